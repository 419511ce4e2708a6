"""The ``cleaner rules`` subcommand: ``list``, ``show ID`` and ``check FILE``.

The main command line (:mod:`cleaner.cli`) calls :func:`register` to add it; this module
also runs alone (``python -m cleaner.rules.cli list``).

Exit codes: 0 fine; 1 ``check`` found examples that fail or an unknown rule id;
2 usage error or an invalid pack (the message names the file, the rule and the problem).

Example:
    >>> main(["show", "en/read-more"])  # doctest: +ELLIPSIS
    id: en/read-more
    ...
    0
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ..config import CleanerConfig
from ..errors import ConfigError, RulePackError
from .engine import RuleEngine
from .model import Rule, check_rule, load_pack

__all__ = ["main", "register"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    """Add the ``rules`` subcommand (with ``list``, ``show``, ``check``) to ``subparsers``."""
    rules = subparsers.add_parser(
        "rules",
        help="list, show and check boilerplate rules",
        description="Inspect the rule packs: list the rules, show one, check a pack file.",
    )
    rules.set_defaults(func=_no_command, rules_parser=rules)
    sub = rules.add_subparsers(dest="rules_command", metavar="COMMAND")

    lister = sub.add_parser("list", help="list the rules of the loaded packs")
    _add_pack_flags(lister)
    lister.add_argument(
        "--language",
        metavar="CODE",
        help="only the rules that apply to text in this language (common + its pack)",
    )
    lister.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text (one rule a line), json (one object a line) or a markdown table",
    )
    lister.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="show one rule: pattern, limits, examples")
    show.add_argument("rule_id", metavar="ID", help="a rule id such as en/read-more")
    _add_pack_flags(show)
    show.set_defaults(func=cmd_show)

    check = sub.add_parser(
        "check", help="validate rule pack files and run their examples and counter-examples"
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="rule pack TOML file(s)")
    check.set_defaults(func=cmd_check)


def _add_pack_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rule-pack",
        action="append",
        dest="rule_packs",
        metavar="PACK",
        help="pack to load: 'builtin', a built-in name or a TOML path (repeatable; "
        "default: builtin)",
    )


def _engine(args: argparse.Namespace) -> RuleEngine:
    packs = tuple(args.rule_packs or ("builtin",))
    return RuleEngine(CleanerConfig(rule_packs=packs))


def _no_command(args: argparse.Namespace) -> int:
    args.rules_parser.print_help(sys.stderr)
    return EXIT_USAGE


def _limits(rule: Rule) -> str:
    parts = [f"max {rule.max_chars} chars"]
    if rule.min_chars:
        parts.append(f"min {rule.min_chars} chars")
    if rule.first_lines is not None:
        parts.append(f"first {rule.first_lines} lines")
    if rule.last_lines is not None:
        parts.append(f"last {rule.last_lines} lines")
    return ", ".join(parts)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the loaded rules (all, or those for ``--language``)."""
    try:
        engine = _engine(args)
    except (RulePackError, ConfigError) as exc:
        print(f"cleaner rules: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    rules = engine.rules_for(args.language) if args.language else engine.rules
    if args.format == "json":
        for rule in rules:
            print(json.dumps(_rule_dict(rule), ensure_ascii=False))
    elif args.format == "markdown":
        print("| id | scope | limits | what it removes |")
        print("| --- | --- | --- | --- |")
        for rule in rules:
            desc = rule.description.replace("|", "\\|")
            print(f"| `{rule.id}` | {rule.scope} | {_limits(rule)} | {desc} |")
    else:
        width = max((len(r.id) for r in rules), default=0)
        for rule in rules:
            print(f"{rule.id:<{width}}  {rule.scope:<8}  {rule.description}")
    return EXIT_OK


def _rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "language": rule.language,
        "scope": rule.scope,
        "description": rule.description,
        "pattern": rule.pattern,
        "case_sensitive": rule.case_sensitive,
        "max_chars": rule.max_chars,
        "min_chars": rule.min_chars,
        "first_lines": rule.first_lines,
        "last_lines": rule.last_lines,
        "contains": list(rule.contains),
        "examples": list(rule.examples),
        "counter_examples": list(rule.counter_examples),
        "source": rule.source,
    }


def cmd_show(args: argparse.Namespace) -> int:
    """Print one rule in full."""
    try:
        engine = _engine(args)
    except (RulePackError, ConfigError) as exc:
        print(f"cleaner rules: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        rule = engine.rule(args.rule_id)
    except KeyError:
        import difflib

        close = difflib.get_close_matches(args.rule_id, [r.id for r in engine.rules], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        print(f"cleaner rules: error: no rule {args.rule_id!r}{hint}", file=sys.stderr)
        return EXIT_FAILED
    print(f"id: {rule.id}")
    print(f"language: {rule.language or 'any'}")
    print(f"scope: {rule.scope}")
    print(f"description: {rule.description}")
    print(f"limits: {_limits(rule)}")
    if rule.contains:
        print(f"contains: {', '.join(rule.contains)}")
    elif rule.hints:
        print(f"contains (read off the pattern): {', '.join(rule.hints)}")
    print(f"case sensitive: {'yes' if rule.case_sensitive else 'no'}")
    print(f"source: {rule.source}")
    print(f"pattern: {rule.pattern}")
    print("examples:")
    for example in rule.examples:
        print(f"  + {example}")
    if rule.counter_examples:
        print("counter-examples:")
        for counter in rule.counter_examples:
            print(f"  - {counter}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate pack files and run their examples; 0 when all pass."""
    code = EXIT_OK
    for path in args.files:
        try:
            pack = load_pack(path)
        except RulePackError as exc:
            print(f"cleaner rules: error: {exc}", file=sys.stderr)
            code = EXIT_USAGE
            continue
        problems = [p for rule in pack.rules for p in check_rule(rule)]
        n_examples = sum(len(r.examples) + len(r.counter_examples) for r in pack.rules)
        if problems:
            for problem in problems:
                print(f"{path}: {problem}")
            print(f"{path}: {len(problems)} failing of {n_examples} examples")
            code = max(code, EXIT_FAILED)
        else:
            print(
                f"{path}: pack {pack.name!r} ({pack.language or 'any language'}): "
                f"{len(pack.rules)} rules, {n_examples} examples, all pass"
            )
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``rules`` alone: ``python -m cleaner.rules.cli list``."""
    parser = argparse.ArgumentParser(prog="cleaner")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["rules", *(sys.argv[1:] if argv is None else argv)])
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
