"""Rules and rule packs: the data model, and reading packs from TOML.

A rule pack is a TOML file (data, never executed) with a ``[pack]`` table and a list
of ``[[rules]]``. Built-in packs ship inside the package (``cleaner/rules/packs``) and
are read with :mod:`importlib.resources`; user packs are read from a path.

Example:
    >>> pack = parse_pack('''
    ... [pack]
    ... name = "my_site"
    ... language = "en"
    ... [[rules]]
    ... id = "tip-line"
    ... description = "The site's news tip footer"
    ... scope = "line"
    ... phrases = ["Got a news tip?", "Send us your tips"]
    ... examples = ["Got a news tip?"]
    ... counter_examples = ["He said he got a news tip from a neighbour."]
    ... ''', source="my_site.toml")
    >>> [r.id for r in pack.rules]
    ['my_site/tip-line']
    >>> pack.rules[0].matches("Send us your tips!")
    (0, 18)
    >>> parse_pack('[pack]\\nname = "x"\\n[[rules]]\\nid = "a"\\ndescription = "d"\\n'
    ...            'scope = "line"\\npattern = "(unclosed"\\nexamples = ["x"]', source="x.toml")
    Traceback (most recent call last):
    ...
    cleaner.errors.RulePackError: x.toml: rule 'x/a': invalid pattern: missing ) at position 9
"""

from __future__ import annotations

import contextvars
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import regex

from ..errors import RulePackError
from .literals import fold_for_hints, required_literals

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "SCOPES",
    "Rule",
    "RulePack",
    "Scope",
    "builtin_pack_names",
    "candidate_starts",
    "check_rule",
    "iter_checks",
    "load_builtin_pack",
    "load_pack",
    "pack_from_dict",
    "parse_pack",
    "sentence_starts",
]

Scope = Literal["line", "prefix", "trailing", "inline", "block"]
SCOPES: tuple[str, ...] = ("line", "prefix", "trailing", "inline", "block")

# Default length limits (characters) per scope: a rule never fires on a longer line
# (line, prefix, block heading), a longer fragment (trailing) or a longer match (inline).
DEFAULT_MAX_CHARS: Mapping[str, int] = {
    "line": 200,
    "prefix": 300,
    "trailing": 250,
    "inline": 200,
    "block": 100,
}

# set while a built-in pack is read: its rules skip the check made when a rule is made
_BUILT_IN = contextvars.ContextVar("cleaner_built_in_pack", default=False)

# What may stand around a whole-line or prefix match: list bullets, brackets, quotes,
# and trailing punctuation or arrows ("Most read ›", "[Related: ...]", "- Share on X").
# (Both are matched case-sensitively, ``(?-i:...)``: they hold no cased character, so it is
# the same match, but an ignore-case set test asks for every case of the character at hand,
# ~8 % of a rule's match on a short line.)
LEAD = r"(?-i:[ \t]*(?:[-–—•*·►▶▸▪●■□>»|#+]+[ \t]*)?[\[(（【「«\"“¡¿]?[ \t]*)"
TAIL = r"(?-i:[\s.:;,!?…»›>|\-–—\])）】」\"”*↓→]*)"
_LEAD_RE = regex.compile(LEAD)

_NAME_RE = regex.compile(r"[a-z0-9][a-z0-9_.-]*\Z")
_FORBIDDEN_RE = regex.compile(r"\(\?P?<[A-Za-z_]|\(\?P=|\\[1-9]|\\g<")
_RULE_KEYS = frozenset(
    {
        "id",
        "description",
        "scope",
        "pattern",
        "phrases",
        "case_sensitive",
        "max_chars",
        "min_chars",
        "first_lines",
        "last_lines",
        "examples",
        "counter_examples",
        "block_min_items",
        "block_max_items",
        "block_item_max_chars",
        "contains",
    }
)
_PACK_KEYS = frozenset({"name", "language", "description", "fallback"})


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regex: literal text, any run of spaces, either apostrophe."""
    parts = []
    for word in phrase.split():
        parts.append(regex.escape(word).replace("'", "['’ʼ]").replace("’", "['’ʼ]"))
    return r"\s+".join(parts)


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule.

    Attributes:
        id: ``"<pack>/<name>"``, e.g. ``"en/read-more"``.
        description: one line saying what it removes.
        scope: ``"line"`` (the whole line matches), ``"prefix"`` (a promo opener that takes
            the rest of its line), ``"trailing"`` (a fragment glued onto the end of a content
            line after a sentence end; at a line start it takes the line), ``"inline"`` (just
            the matched span) or ``"block"`` (a heading line, plus the run of headline-like
            lines under it).
        pattern: the regex (``regex`` module syntax, case-insensitive unless
            ``case_sensitive``); phrase lists are turned into one.
        language: ISO 639-1 code the rule is gated on, ``None`` for every language.
        max_chars: the rule never fires on a longer line (line, prefix, block) / fragment
            (trailing) / match (inline).
        min_chars: ... nor on a shorter one.
        first_lines: only in the first N non-blank lines (``None``: anywhere).
        last_lines: only in the last N non-blank lines (with ``first_lines``: either).
        examples: lines it must match; counter_examples: lines it must not.
        block_min_items: a block takes its items only when at least this many follow.
        block_max_items: at most this many items under a block heading.
        block_item_max_chars: longest line that still counts as a block item.
        contains: a speed hint: the rule is only tried on lines (trailing: fragments) that
            contain one of these strings, compared casefolded. Give it to rules whose
            pattern starts with a wildcard, which would otherwise be tried on every line.
        fallback: the pack is a fallback pack: its line-start rules also run on short lines
            written in its language (plain ASCII for English) inside documents of other
            languages, as web pages often keep English buttons and widgets.
        source: the file it came from (for messages).
    """

    id: str
    description: str
    scope: Scope
    pattern: str
    language: str | None = None
    case_sensitive: bool = False
    max_chars: int = 200
    min_chars: int = 0
    first_lines: int | None = None
    last_lines: int | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    block_min_items: int = 2
    block_max_items: int = 12
    block_item_max_chars: int = 160
    contains: tuple[str, ...] = ()
    fallback: bool = False
    source: str = "<code>"

    def __post_init__(self) -> None:
        object.__setattr__(self, "contains", tuple(fold_for_hints(c) for c in self.contains))
        if self.scope not in SCOPES:
            raise RulePackError(
                f"{self.source}: rule {self.id!r}: scope must be one of {SCOPES}, "
                f"got {self.scope!r}"
            )
        if not isinstance(self.pattern, str) or not self.pattern:
            raise RulePackError(f"{self.source}: rule {self.id!r}: the pattern is empty")
        if _FORBIDDEN_RE.search(self.pattern):
            raise RulePackError(
                f"{self.source}: rule {self.id!r}: named groups and backreferences are not "
                "allowed (rules are combined into one pattern); use (?:...) groups"
            )
        if not _BUILT_IN.get():
            self.check_pattern()

    def check_pattern(self) -> None:
        """Compile the pattern in the form the engine runs, and raise
        :class:`~cleaner.errors.RulePackError` (naming the source and the rule) when it is
        not valid or matches the empty string. Every rule is checked when it is made, but
        for the built-in ones, which the tests check: they compile on first use, so that a
        cleaner only compiles the rules of the languages it meets.

        >>> Rule("t/x", "d", "line", "(unclosed")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        cleaner.errors.RulePackError: <code>: rule 't/x': invalid pattern: ...
        """
        # Compiled once, in the form the engine runs: line, prefix and block rules only
        # ever match at a line start (``_start``); trailing and inline rules match where
        # they stand (``_compiled``). The other form is compiled on first use, if ever
        # (trailing rules also start lines): compiling is most of a cleaner's start-up.
        anchored = self.scope in ("line", "prefix", "block")
        try:
            compiled = regex.compile((LEAD if anchored else "") + self.alternative(), self.flags)
        except regex.error as exc:
            problem = exc
            try:  # report the position in the rule's own pattern
                regex.compile(self.pattern, self.flags)
            except regex.error as own:
                problem = own
            raise RulePackError(
                f"{self.source}: rule {self.id!r}: invalid pattern: {problem}"
            ) from None
        try:
            empty = compiled.fullmatch("", timeout=1.0)
        except TimeoutError:  # pragma: no cover - a pattern that cannot match "" in 1 s
            empty = None
        if empty is not None:
            raise RulePackError(
                f"{self.source}: rule {self.id!r}: the pattern matches the empty string; "
                "it must require some text"
            )
        # (cached_property storage: the instance dictionary, which a frozen dataclass allows)
        self.__dict__["_start" if anchored else "_compiled"] = compiled

    @cached_property
    def _compiled(self) -> Any:
        """This rule's pattern where it stands (trailing fragments, inline spans)."""
        return regex.compile(self.alternative(), self.flags)

    @cached_property
    def hints(self) -> tuple[str, ...]:
        """The strings (folded by :func:`~cleaner.rules.literals.fold_for_hints`) one of which
        a line needs for this rule to be tried:
        ``contains`` when given, else those that every match of the pattern holds
        (:func:`~cleaner.rules.literals.required_literals`), else none (always tried).

        >>> Rule("t/x", "d", "line", r"(?:\\S+\\s+){0,3}newsletters?").hints
        ('newsletter',)
        >>> Rule("t/y", "d", "line", r"\\w+ ago", contains=["Ago"]).hints
        ('ago',)
        """
        if self.contains:
            return self.contains
        return required_literals(self.pattern) or ()

    @cached_property
    def _contains_re(self) -> re.Pattern[str]:
        """The hints as one search (over text folded by :func:`fold_for_hints`)."""
        return re.compile("|".join(re.escape(c) for c in self.hints))

    @cached_property
    def _start(self) -> Any:
        """This rule anchored at a line start (after bullets, brackets or quotes)."""
        return regex.compile(LEAD + self.alternative(), self.flags)

    @property
    def flags(self) -> int:
        """The ``regex`` flags of this rule."""
        return regex.V0 if self.case_sensitive else regex.V0 | regex.IGNORECASE

    def alternative(self) -> str:
        """This rule's piece of the combined pattern (without its group name).

        Line rules must run to the end of the line (after optional punctuation); prefix,
        trailing and block rules take the rest of the line; inline rules are the match.
        """
        body = f"(?:{self.pattern})"
        if self.scope in ("line", "block"):
            return body + TAIL + r"\Z"
        if self.scope in ("prefix", "trailing"):
            return body + r"[^\r\n]*"
        return body

    def matches(self, line: str) -> tuple[int, int] | None:
        """The ``(start, end)`` this rule removes from one line, or ``None`` (slow path).

        Position limits are not checked (they depend on the document); length limits are.

        >>> r = Rule("t/x", "d", "trailing", r"don'?t miss\\s*:", max_chars=80)
        >>> line = "It rained. Don't miss: the best umbrellas"
        >>> line[slice(*r.matches(line))]
        "Don't miss: the best umbrellas"
        """
        text = line.strip()
        off = len(line) - len(line.lstrip())
        return _match_line(self, self._compiled, text, 0, len(text), off)

    @cached_property
    def pack(self) -> str:
        """The pack name (the part of the id before the slash)."""
        return self.id.split("/", 1)[0]


def _has_literal(rule: Rule, text: str) -> bool:
    """Whether ``text`` passes the rule's hints (always, without any)."""
    if not rule.hints:
        return True
    return rule._contains_re.search(fold_for_hints(text)) is not None


def _match_line(
    rule: Rule,
    compiled: Any,
    text: str,
    start: int,
    end: int,
    off: int = 0,
    timeout: float | None = None,
) -> tuple[int, int] | None:
    """Reference matcher of one rule on ``text[start:end]`` (a stripped line)."""
    length = end - start
    if not _has_literal(rule, text[start:end]):
        return None
    if rule.scope in ("line", "prefix", "block"):
        if not rule.min_chars <= length <= rule.max_chars:
            return None
        if rule._start.match(text, start, end, timeout=timeout) is not None:
            return (start + off, end + off)
        return None
    if rule.scope == "trailing":
        if (
            rule.min_chars <= length <= rule.max_chars
            and rule._start.match(text, start, end, timeout=timeout) is not None
        ):
            return (start + off, end + off)
        for pos in candidate_starts(text, start, end, rule.max_chars)[1:]:
            if compiled.match(text, pos, end, timeout=timeout) is not None:
                frag = end - pos
                if rule.min_chars <= frag:
                    return (pos + off, end + off)
        return None
    for m in compiled.finditer(text, start, end, timeout=timeout):
        if rule.min_chars <= m.end() - m.start() <= rule.max_chars:
            return (m.start() + off, m.end() + off)
    return None


# Where a sentence may end inside a line (fixed pattern, so the faster stdlib ``re``).
_BOUNDARY_RE = re.compile(r"[.!?…\"”»)\]。！？؟।][\"”’»)\]]?[ \t\u00a0]*")
# a match is a sentence boundary when it ends in a space, or after a CJK full stop
_CJK_STOPS = frozenset("。！？")
_SPACES = frozenset(" \t\u00a0")


def candidate_starts(text: str, start: int, end: int, max_chars: int) -> list[int]:
    """Offsets in ``text[start:end]`` where a trailing fragment may begin.

    The line start (after bullets), and the start of every sentence whose remainder of the
    line is at most ``max_chars`` long.

    >>> candidate_starts("He left. Sign up now", 0, 20, 100)
    [0, 9]
    """
    m = _LEAD_RE.match(text, start, end)
    return [m.end() if m else start, *sentence_starts(text, start, end, max_chars)]


def sentence_starts(text: str, start: int, end: int, max_chars: int) -> list[int]:
    """Starts of the sentences of ``text[start:end]`` (not the first) that leave at most
    ``max_chars`` characters to the end.

    >>> sentence_starts("He left. Sign up now! Bye", 0, 25, 100)
    [9, 22]
    """
    lo = max(start, end - max_chars - 4)
    return [
        b.end()
        for b in _BOUNDARY_RE.finditer(text, lo, end)
        if start < b.end() < end
        and end - b.end() <= max_chars
        and (text[b.end() - 1] in _SPACES or text[b.start()] in _CJK_STOPS)
    ]


@dataclass(frozen=True)
class RulePack:
    """A named set of rules, optionally gated on a language.

    Attributes:
        name: pack name (the prefix of its rule ids).
        language: ISO 639-1 code, or ``None`` for a language-independent pack.
        rules: the rules, in file order (earlier rules win on the same line).
        source: where it was read from.
        description: one line about the pack.
    """

    name: str
    language: str | None
    rules: tuple[Rule, ...]
    source: str = "<code>"
    description: str = ""


def _fail(source: str, where: str, problem: str) -> RulePackError:
    return RulePackError(f"{source}: {where}: {problem}")


def _str_list(value: Any, source: str, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, where, f"{key} must be a list of non-empty strings")
    return tuple(value)


def _int(value: Any, source: str, where: str, key: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _fail(source, where, f"{key} must be a whole number >= {low}, got {value!r}")
    return value


def parse_pack(text: str, *, source: str, default_name: str | None = None) -> RulePack:
    """Parse the TOML text of a rule pack; errors name ``source``, the rule and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{source}: not valid TOML: {exc}") from None
    return pack_from_dict(data, source=source, default_name=default_name)


def pack_from_dict(
    data: Mapping[str, Any], *, source: str = "<code>", default_name: str | None = None
) -> RulePack:
    """Build a pack from a mapping shaped like the TOML file (rules written in code).

    >>> pack = pack_from_dict({"pack": {"name": "demo"}, "rules": [{"id": "x",
    ...     "description": "a demo", "scope": "line", "phrases": ["Demo line"],
    ...     "examples": ["Demo line."]}]})
    >>> pack.rules[0].id, pack.language
    ('demo/x', None)
    """
    unknown_top = set(data) - {"pack", "rules"}
    if unknown_top:
        raise RulePackError(
            f"{source}: unknown table(s) {sorted(unknown_top)}; a pack has [pack] and [[rules]]"
        )
    head = data.get("pack", {})
    if not isinstance(head, Mapping):
        raise RulePackError(f"{source}: [pack] must be a table")
    unknown = set(head) - _PACK_KEYS
    if unknown:
        raise RulePackError(f"{source}: [pack]: unknown key(s) {sorted(unknown)}")
    name = head.get("name", default_name)
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise RulePackError(
            f"{source}: [pack]: name must be lowercase letters, digits, '_', '-' or '.', "
            f"got {name!r}"
        )
    language = head.get("language")
    if language is not None and (not isinstance(language, str) or not language.strip()):
        raise RulePackError(f"{source}: [pack]: language must be an ISO 639-1 code")
    language = language.strip().lower() if language else None
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulePackError(f"{source}: a pack needs at least one [[rules]] entry")
    fallback = head.get("fallback", False)
    if not isinstance(fallback, bool) or (fallback and language is None):
        raise RulePackError(
            f"{source}: [pack]: fallback must be true or false, and needs a language"
        )
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_rules, 1):
        rules.append(_rule_from_dict(raw, n, name, language, source, seen, fallback))
    return RulePack(name, language, tuple(rules), source, str(head.get("description", "")))


def _rule_from_dict(
    raw: Any,
    n: int,
    pack: str,
    language: str | None,
    source: str,
    seen: set[str],
    fallback: bool = False,
) -> Rule:
    if not isinstance(raw, Mapping):
        raise RulePackError(f"{source}: rule #{n} must be a table")
    short = raw.get("id")
    if not isinstance(short, str) or not _NAME_RE.match(short):
        raise RulePackError(
            f"{source}: rule #{n}: id must be lowercase letters, digits, '_', '-' or '.', "
            f"got {short!r}"
        )
    rid = f"{pack}/{short}"
    where = f"rule {rid!r}"
    if rid in seen:
        raise _fail(source, where, "the id is used twice in this pack")
    seen.add(rid)
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(source, where, f"unknown key(s) {sorted(unknown)}")
    desc = raw.get("description")
    if not isinstance(desc, str) or not desc.strip():
        raise _fail(source, where, "a description is required")
    scope = raw.get("scope")
    if scope not in SCOPES:
        raise _fail(source, where, f"scope must be one of {SCOPES}, got {scope!r}")
    has_pattern, has_phrases = "pattern" in raw, "phrases" in raw
    if has_pattern == has_phrases:
        raise _fail(source, where, "give exactly one of pattern or phrases")
    if has_pattern:
        pattern = raw["pattern"]
        if not isinstance(pattern, str) or not pattern.strip():
            raise _fail(source, where, "pattern must be a non-empty string")
    else:
        phrases = _str_list(raw["phrases"], source, where, "phrases")
        ordered = sorted(phrases, key=len, reverse=True)
        pattern = "|".join(_phrase_regex(p) for p in ordered)
    examples = _str_list(raw.get("examples"), source, where, "examples")
    counter = _str_list(raw.get("counter_examples", []), source, where, "counter_examples")
    if "case_sensitive" in raw and not isinstance(raw["case_sensitive"], bool):
        raise _fail(source, where, "case_sensitive must be true or false")
    kwargs: dict[str, Any] = {}
    for key, low in (
        ("max_chars", 1),
        ("min_chars", 0),
        ("first_lines", 1),
        ("last_lines", 1),
        ("block_min_items", 1),
        ("block_max_items", 1),
        ("block_item_max_chars", 1),
    ):
        if key in raw:
            kwargs[key] = _int(raw[key], source, where, key, low)
    kwargs.setdefault("max_chars", DEFAULT_MAX_CHARS[scope])
    if "contains" in raw:
        kwargs["contains"] = _str_list(raw["contains"], source, where, "contains")
    return Rule(
        id=rid,
        description=desc.strip(),
        scope=scope,
        pattern=pattern,
        language=language,
        case_sensitive=bool(raw.get("case_sensitive", False)),
        examples=examples,
        counter_examples=counter,
        fallback=fallback,
        source=source,
        **kwargs,
    )


def load_pack(path: str | Path) -> RulePack:
    """Read a rule pack from a TOML file (its name defaults to the file's stem)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulePackError(f"{p}: rule pack not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{p}: cannot read rule pack: {exc}") from None
    return parse_pack(text, source=str(p), default_name=p.stem.lower())


def _packs_dir() -> Any:
    # (this package's own packs, whatever name it is imported under)
    return resources.files(__package__ or "cleaner.rules").joinpath("packs")


def builtin_pack_names() -> list[str]:
    """Names of the packs shipped with cleaner (``common`` first, then languages).

    >>> names = builtin_pack_names()
    >>> names[0], "en" in names
    ('common', True)
    """
    names = sorted(
        entry.name[:-5] for entry in _packs_dir().iterdir() if entry.name.endswith(".toml")
    )
    return sorted(names, key=lambda n: (n != "common", n))


def load_builtin_pack(name: str) -> RulePack:
    """Read one built-in pack by name (``"common"``, ``"en"``...)."""
    entry = _packs_dir().joinpath(f"{name}.toml")
    if not entry.is_file():
        raise RulePackError(
            f"no built-in rule pack {name!r}; built-in packs: {', '.join(builtin_pack_names())}"
        )
    token = _BUILT_IN.set(True)  # (checked by the tests: compiled on first use)
    try:
        return parse_pack(
            entry.read_text(encoding="utf-8"), source=f"cleaner/rules/packs/{name}.toml"
        )
    finally:
        _BUILT_IN.reset(token)


def check_rule(rule: Rule) -> list[str]:
    """Run a rule's examples and counter-examples; return the failures (empty when fine).

    >>> check_rule(Rule("t/x", "d", "line", "subscribe now", examples=("Subscribe now!",),
    ...                 counter_examples=("Subscribe now to the idea",)))
    []
    """
    problems = []
    for example in rule.examples:
        if rule.matches(example) is None:
            problems.append(f"{rule.id}: example does not match: {example!r}")
    for counter in rule.counter_examples:
        if rule.matches(counter) is not None:
            problems.append(f"{rule.id}: counter-example matches: {counter!r}")
    return problems


def iter_checks(packs: Sequence[RulePack]) -> list[str]:
    """:func:`check_rule` over every rule of ``packs``."""
    out: list[str] = []
    for pack in packs:
        for rule in pack.rules:
            out.extend(check_rule(rule))
    return out
