"""The rule engine: compiles the configured packs once and finds boilerplate in documents.

For each language the rules that apply (language-independent packs plus the pack of
that language) are compiled into three combined patterns, one alternative per rule with
a named group (``r12``) that says which rule matched:

* the *line-start* pattern (line, prefix, block and trailing rules), tried once per line
  with ``match`` and only on lines no longer than the longest such rule allows;
* the *trailing* pattern, tried at the few sentence starts near the end of a line;
* the *inline* pattern (rare), searched in each line.

Every call runs with the ``regex`` timeout ``config.rule_timeout_seconds``; when a combined
pattern runs out of time, the rules of that line are tried one by one to name the culprit
(:class:`~cleaner.errors.RuleTimeoutError`).

Example:
    >>> from cleaner.config import CleanerConfig
    >>> from cleaner.segment import split_lines
    >>> engine = RuleEngine(CleanerConfig())
    >>> text = "Prices rose in May.\\nREAD MORE: Five ways to save on energy\\nThey fell in June."
    >>> lang = engine.detect_language(text)
    >>> lang
    'en'
    >>> [(h.rule_id, text[h.start:h.end]) for h in engine.find(text, split_lines(text), lang)]
    [('en/read-more', 'READ MORE: Five ways to save on energy')]
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..config import CleanerConfig
from ..errors import ConfigError, RuleTimeoutError
from ..segment import Line
from .language import detect_language, line_in_language
from .model import (
    LEAD,
    Rule,
    RulePack,
    _match_line,
    builtin_pack_names,
    candidate_starts,
    load_builtin_pack,
    load_pack,
)

__all__ = ["RuleEngine", "RuleHit"]


@dataclass(frozen=True)
class RuleHit:
    """One match of a rule.

    Attributes:
        start: absolute offset in the document of the first character to remove.
        end: absolute offset after the last character to remove.
        line: ``Line.index`` of the line it stands on.
        rule_id: ``"<pack>/<name>"``, e.g. ``"en/read-more"``.
        scope: ``"line"``, ``"prefix"``, ``"trailing"``, ``"inline"`` or ``"block"``.
        description: the rule's one-line description.
        block_heading: for the items of a block, the line index of its heading.
    """

    start: int
    end: int
    line: int
    rule_id: str
    scope: str
    description: str
    block_heading: int | None = None


@dataclass(frozen=True)
class _Program:
    """The compiled rules of one language."""

    rules: tuple[Rule, ...]
    start_re: Any
    start_rules: tuple[Rule, ...]
    start_max: int
    trail_re: Any
    trail_rules: tuple[Rule, ...]
    trail_max: int
    inline_re: Any
    inline_rules: tuple[Rule, ...]
    fallbacks: tuple[tuple[str, Any, tuple[Rule, ...], int], ...] = ()


def _combine(rules: Sequence[Rule], prefix: str, lead: str) -> Any:
    if not rules:
        return None
    parts = []
    for i, rule in enumerate(rules):
        body = rule.alternative()
        if rule.case_sensitive:
            body = f"(?-i:{body})"
        parts.append(f"(?P<{prefix}{i}>{body})")
    return regex.compile(lead + "(?:" + "|".join(parts) + ")", regex.V0 | regex.IGNORECASE)


def _is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name


# A block item: a short title-like line (not a sentence, not table data).
_NUMERIC_RE = re.compile(r"[\d.,:%/+-]+\Z")
_SENTENCES_RE = re.compile(r"[.!?]\s+[A-Z]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def _is_block_item(line: Line, max_chars: int) -> bool:
    text = line.text
    if not 20 <= len(text) <= max_chars or line.kind in ("table", "heading"):
        return False
    if len(text.split()) < 4 and not _CJK_RE.search(text):
        return False
    if len(_LETTER_RE.findall(text, 0, 40)) < 6:
        return False
    stripped = text.rstrip(" |*")
    if (
        line.kind != "list"
        and stripped[-1:] in (".", ";", ",", ":")
        and not (stripped.endswith("...") or stripped.endswith("…"))
    ):
        return False
    words = text.split()
    if len(words) >= 3 and sum(1 for w in words if _NUMERIC_RE.match(w)) > 0.3 * len(words):
        return False
    return len(_SENTENCES_RE.findall(text)) <= (2 if line.kind == "list" else 0)


def _looks_like_data(items: Sequence[Line]) -> bool:
    """Items sharing one template (same last word on half of them) are data, not headlines."""
    if len(items) < 2:
        return False
    last = [line.text.rstrip(" .|*").rsplit(None, 1)[-1].casefold() for line in items]
    top = max(last.count(w) for w in set(last))
    return top >= max(2, len(items) / 2)


class RuleEngine:
    """Compiles the configured rule packs once; finds boilerplate in documents.

    Args:
        config: the options (``rule_packs``, ``disabled_rules``, ``rule_timeout_seconds``).
        extra_packs: packs built in code (see :func:`~cleaner.rules.model.pack_from_dict`),
            used after the configured ones.

    The patterns of a language are compiled the first time a document of that language
    is seen, then reused (state of this engine object, not a module global).
    """

    def __init__(self, config: CleanerConfig, extra_packs: Iterable[RulePack] = ()) -> None:
        self.config = config
        packs: list[RulePack] = []
        seen: set[str] = set()
        for name in config.rule_packs:
            if name == "builtin":
                loaded = [load_builtin_pack(n) for n in builtin_pack_names()]
            elif _is_path(name) or Path(name).is_file():
                loaded = [load_pack(name)]
            else:
                loaded = [load_builtin_pack(name)]
            for pack in loaded:
                if pack.name not in seen:
                    seen.add(pack.name)
                    packs.append(pack)
        for pack in extra_packs:
            if pack.name not in seen:
                seen.add(pack.name)
                packs.append(pack)
        self.packs: tuple[RulePack, ...] = tuple(packs)
        all_rules = [rule for pack in packs for rule in pack.rules]
        disabled = self._disabled(all_rules, config.disabled_rules)
        self.rules: tuple[Rule, ...] = tuple(r for r in all_rules if r.id not in disabled)
        self._by_id = {r.id: r for r in all_rules}
        self._programs: dict[str | None, _Program] = {}

    @staticmethod
    def _disabled(rules: Sequence[Rule], patterns: Sequence[str]) -> set[str]:
        ids = [r.id for r in rules]
        out: set[str] = set()
        for pattern in patterns:
            if any(c in pattern for c in "*?["):
                found = fnmatch.filter(ids, pattern)
            elif "/" not in pattern:  # a whole pack
                found = [i for i in ids if i.split("/", 1)[0] == pattern]
            else:
                found = [pattern] if pattern in ids else []
            if not found:
                import difflib

                close = difflib.get_close_matches(pattern, ids, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ConfigError(
                    f"disabled_rules: no loaded rule matches {pattern!r}{hint}; "
                    "see `cleaner rules list`"
                )
            out.update(found)
        return out

    def rule(self, rule_id: str) -> Rule:
        """The loaded rule with this id (also a disabled one); ``KeyError`` if unknown."""
        return self._by_id[rule_id]

    def rules_for(self, language: str | None) -> tuple[Rule, ...]:
        """The enabled rules that apply to text in ``language`` (``None``: unknown)."""
        return self._program(language).rules

    def detect_language(self, text: str) -> str | None:
        """Return the ISO 639-1 code of ``text``, or ``None`` when unsure.

        >>> RuleEngine(CleanerConfig()).detect_language("Dit is een artikel over het weer.")
        'nl'
        """
        return detect_language(text)

    # ------------------------------------------------------------------ compiling
    def _program(self, language: str | None) -> _Program:
        prog = self._programs.get(language)
        if prog is None:
            prog = self._compile(language)
            self._programs[language] = prog
        return prog

    def _compile(self, language: str | None) -> _Program:
        rules = tuple(r for r in self.rules if r.language is None or r.language == language)
        start = tuple(r for r in rules if r.scope != "inline")
        trail = tuple(r for r in rules if r.scope == "trailing")
        inline = tuple(r for r in rules if r.scope == "inline")
        fallbacks = []
        others = sorted(
            {r.language for r in self.rules if r.fallback and r.language and r.language != language}
        )
        for lang in others:
            fb = tuple(
                r for r in self.rules if r.fallback and r.language == lang and r.scope != "inline"
            )
            if fb:
                fb_max = max(r.max_chars for r in fb)
                fallbacks.append((str(lang), _combine(fb, "r", LEAD), fb, fb_max))
        return _Program(
            rules=rules,
            start_re=_combine(start, "r", LEAD),
            start_rules=start,
            start_max=max((r.max_chars for r in start), default=0),
            trail_re=_combine(trail, "t", ""),
            trail_rules=trail,
            trail_max=max((r.max_chars for r in trail), default=0),
            inline_re=_combine(inline, "i", ""),
            inline_rules=inline,
            fallbacks=tuple(fallbacks),
        )

    # ------------------------------------------------------------------ finding
    def find(
        self, text: str, lines: Sequence[Line], language: str | None, *, doc_id: str | None = None
    ) -> list[RuleHit]:
        """Return the rule hits in ``text`` (whose non-blank lines are ``lines``), in order.

        A line is removed by at most one line-level rule; trailing and inline hits on a
        line never overlap.
        """
        prog = self._program(language)
        if not prog.rules:
            return []
        hits: list[RuleHit] = []
        n = len(lines)
        i = 0
        while i < n:
            line = lines[i]
            length = line.end - line.start
            rule = None
            if prog.start_re is not None and length <= prog.start_max:
                rule = self._start_rule(prog.start_re, prog.start_rules, text, line, n, doc_id)
            if rule is None and prog.fallbacks:
                rule = self._fallback_rule(prog, text, line, n, language, doc_id)
            if rule is not None:
                scope = "prefix" if rule.scope == "trailing" else rule.scope
                hits.append(RuleHit(line.start, line.end, i, rule.id, scope, rule.description))
                i += 1
                if rule.scope == "block":
                    i = self._block_items(rule, lines, i, hits)
                continue
            if prog.trail_re is not None and length > 20:
                hit = self._trailing(prog, text, line, n, doc_id)
                if hit is not None:
                    hits.append(hit)
            if prog.inline_re is not None:
                self._inline(prog, text, line, n, doc_id, hits)
            i += 1
        return hits

    @staticmethod
    def _position_ok(rule: Rule, index: int, n: int) -> bool:
        if rule.first_lines is None and rule.last_lines is None:
            return True
        if rule.first_lines is not None and index < rule.first_lines:
            return True
        return rule.last_lines is not None and index >= n - rule.last_lines

    def _timeout(self, rule_id: str, line: Line, doc_id: str | None) -> RuleTimeoutError:
        t = self.config.rule_timeout_seconds
        doc = f"document {doc_id!r}" if doc_id is not None else "a document without id"
        return RuleTimeoutError(
            f"rule {rule_id!r} ran past its {t:g} s budget on line {line.index} of {doc} "
            f"({line.end - line.start} characters); fix or disable the rule "
            f"(disabled_rules=[{rule_id!r}])"
        )

    def _slow(
        self, rules: Sequence[Rule], text: str, line: Line, n: int, doc_id: str | None
    ) -> tuple[Rule, tuple[int, int]] | None:
        """Try rules one by one on a line (after a filtered or timed-out combined match)."""
        timeout = self.config.rule_timeout_seconds
        for rule in rules:
            if not self._position_ok(rule, line.index, n):
                continue
            try:
                span = _match_line(rule, rule._compiled, text, line.start, line.end, 0, timeout)
            except TimeoutError:
                raise self._timeout(rule.id, line, doc_id) from None
            if span is not None:
                return rule, span
        return None

    def _fallback_rule(
        self,
        prog: _Program,
        text: str,
        line: Line,
        n: int,
        language: str | None,
        doc_id: str | None,
    ) -> Rule | None:
        length = line.end - line.start
        for lang, pattern, rules, max_chars in prog.fallbacks:
            if length <= max_chars and line_in_language(line.text, lang, language):
                rule = self._start_rule(pattern, rules, text, line, n, doc_id)
                if rule is not None:
                    return rule
        return None

    def _start_rule(
        self,
        pattern: Any,
        rules: tuple[Rule, ...],
        text: str,
        line: Line,
        n: int,
        doc_id: str | None,
    ) -> Rule | None:
        try:
            m = pattern.match(text, line.start, line.end, timeout=self.config.rule_timeout_seconds)
        except TimeoutError:
            found = self._slow(rules, text, line, n, doc_id)
            return found[0] if found else None
        if m is None:
            return None
        rule = rules[int(m.lastgroup[1:])]
        length = line.end - line.start
        if rule.min_chars <= length <= rule.max_chars and self._position_ok(rule, line.index, n):
            return rule
        found = self._slow(rules, text, line, n, doc_id)
        return found[0] if found else None

    def _trailing(
        self, prog: _Program, text: str, line: Line, n: int, doc_id: str | None
    ) -> RuleHit | None:
        timeout = self.config.rule_timeout_seconds
        for pos in candidate_starts(text, line.start, line.end, prog.trail_max)[1:]:
            try:
                m = prog.trail_re.match(text, pos, line.end, timeout=timeout)
            except TimeoutError:
                found = self._slow(prog.trail_rules, text, line, n, doc_id)
                if found is None:
                    return None
                rule, (s, e) = found
                return RuleHit(s, e, line.index, rule.id, "trailing", rule.description)
            if m is None:
                continue
            rule = prog.trail_rules[int(m.lastgroup[1:])]
            frag = line.end - pos
            if rule.min_chars <= frag <= rule.max_chars and self._position_ok(rule, line.index, n):
                return RuleHit(pos, line.end, line.index, rule.id, "trailing", rule.description)
        return None

    def _inline(
        self,
        prog: _Program,
        text: str,
        line: Line,
        n: int,
        doc_id: str | None,
        hits: list[RuleHit],
    ) -> None:
        limit = hits[-1].start if hits and hits[-1].line == line.index else line.end
        try:
            found = list(
                prog.inline_re.finditer(
                    text, line.start, limit, timeout=self.config.rule_timeout_seconds
                )
            )
        except TimeoutError:
            for rule in prog.inline_rules:
                try:
                    list(
                        rule._compiled.finditer(
                            text, line.start, limit, timeout=self.config.rule_timeout_seconds
                        )
                    )
                except TimeoutError:
                    raise self._timeout(rule.id, line, doc_id) from None
            return
        new = []
        for m in found:
            rule = prog.inline_rules[int(m.lastgroup[1:])]
            if rule.min_chars <= m.end() - m.start() <= rule.max_chars and self._position_ok(
                rule, line.index, n
            ):
                new.append(
                    RuleHit(m.start(), m.end(), line.index, rule.id, "inline", rule.description)
                )
        if new:
            at = len(hits) - 1 if hits and hits[-1].line == line.index else len(hits)
            hits[at:at] = new

    @staticmethod
    def _block_items(rule: Rule, lines: Sequence[Line], i: int, hits: list[RuleHit]) -> int:
        """Add the headline-like lines under a block heading; return the next line index."""
        heading = i - 1
        j = i
        while (
            j < len(lines)
            and j - i < rule.block_max_items
            and _is_block_item(lines[j], rule.block_item_max_chars)
        ):
            j += 1
        if j - i < rule.block_min_items or _looks_like_data(lines[i:j]):
            return i
        for k in range(i, j):
            line = lines[k]
            hits.append(
                RuleHit(
                    line.start,
                    line.end,
                    k,
                    rule.id,
                    "block",
                    f"{rule.description} (item under the heading on line {heading})",
                    block_heading=heading,
                )
            )
        return j
