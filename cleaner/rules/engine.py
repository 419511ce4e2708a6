"""The rule engine: compiles the configured packs once and finds boilerplate in documents.

For each language the rules that apply (language-independent packs plus the pack of
that language) are compiled into three combined patterns, one alternative per rule with
a named group (``r12``) that says which rule matched:

* the *line-start* pattern (line, prefix, block and trailing rules), tried once per line
  with ``match`` on the line's own text (as :meth:`Rule.matches` and ``cleaner rules check``
  run it) and only on lines no longer than the longest such rule allows;
* the *trailing* pattern, tried at the few sentence starts near the end of a line;
* the *inline* pattern (rare), searched in each line.

The rules of packs read from files or built in code run with the ``regex`` timeout
``config.rule_timeout_seconds``; when a combined pattern runs out of time, the rules of that
line are tried one by one to name the culprit (:class:`~cleaner.errors.RuleTimeoutError`).
The line-start and trailing rules of the built-in packs run without it: the timeout costs
two CPU-clock system calls a match, more than most matches themselves, and
``tests/test_rule_safety.py`` runs each of them on strings built to make it backtrack, up
to its ``max_chars`` (the longest text it is ever given). The inline search over a whole
document stays timed: its length has no bound.

Example:
    >>> from cleaner.config import CleanerConfig
    >>> from cleaner.segment import split_lines
    >>> engine = RuleEngine(CleanerConfig())
    >>> text = (
    ...     "Prices rose in May, and the minister said that they would fall.\\n"
    ...     "READ MORE: Five ways to save on energy\\nThey fell in June."
    ... )
    >>> lang = engine.detect_language(text)
    >>> lang
    'en'
    >>> [(h.rule_id, text[h.start:h.end]) for h in engine.find(text, split_lines(text), lang)]
    [('en/read-more', 'READ MORE: Five ways to save on energy')]
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import regex

from .. import _accel
from .._frozen import fast_init
from ..config import CleanerConfig
from ..errors import ConfigError, RuleTimeoutError
from ..normalize import casefold_table
from ..segment import Line
from .language import detect_language, line_in_language
from .literals import fold_for_hints
from .model import (
    _BOUNDARY_RE,
    _CJK_STOPS,
    _SPACES,
    LEAD,
    Rule,
    RulePack,
    _match_line,
    builtin_pack_names,
    load_builtin_pack,
    load_pack,
)

__all__ = ["RuleEngine", "RuleHit"]


@fast_init
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


# Characters skipped before the dispatch key of a line (bullets, brackets, quotes).
_LEAD_CHARS = ' \t-–—•*·►▶▸▪●■□>»|#+[(（【「«"“¡¿'
_KEY_CHARS = 3
_LONG_KEY_CHARS = 8  # second look, only at the few rules the first three characters allow
_CACHE_MAX = 50_000
# up to this many candidate rules are tried one by one (each precompiled); more are
# combined into one alternation, compiled once per distinct set of rules
_SEQUENTIAL = 8


def _combine(rules: Sequence[Rule], names: Sequence[int], lead: str) -> Any:
    parts = []
    for rule, name in zip(rules, names, strict=True):
        body = rule.alternative()
        if rule.case_sensitive:
            body = f"(?-i:{body})"
        parts.append(f"(?P<r{name}>{body})")
    return regex.compile(lead + "(?:" + "|".join(parts) + ")", regex.V0 | regex.IGNORECASE)


def _timed(call: Callable[..., Any], timeout: float | None, *args: Any) -> Any:
    """``call(*args)`` (a ``regex`` pattern's ``match`` or ``finditer``) within ``timeout``
    seconds (``None``: no limit).

    The keyword is left out when there is no limit: the ``regex`` module takes ~0.5 µs to
    read a ``timeout=None`` keyword, as much as a short match itself.

    >>> _timed(regex.compile("ab").match, None, "xabc", 1, 4).span()
    (1, 3)
    """
    if timeout is None:
        return call(*args)
    return call(*args, timeout=timeout)


def _limited(rule: Rule) -> bool:
    return rule.first_lines is not None or rule.last_lines is not None


class _Dispatch:
    """Rules of one kind, and a cache from a text prefix to the rules that can match there.

    Whether a rule can match text starting with a given prefix is decided exactly by the
    ``regex`` module's partial matching, once per distinct prefix (the first three
    characters after bullets and brackets); a line is then matched against one combined
    pattern of only those rules. Prose lines, whose first words no rule starts with, cost
    a dictionary lookup.
    """

    def __init__(self, rules: Sequence[Rule], anchored: bool, timeout: float | None) -> None:
        self.rules = tuple(rules)
        self.anchored = anchored
        # the regex timeout of a match (None: only built-in rules, checked in the tests)
        self.timeout = timeout
        self.max_chars = max((r.max_chars for r in rules), default=0)
        # lines this close to the start or the end may meet position-limited rules
        self.first_window = max((r.first_lines or 0 for r in rules), default=0)
        self.last_window = max((r.last_lines or 0 for r in rules), default=0)
        self._by_key: dict[str, tuple[tuple[int, ...], int, int]] = {}
        self._by_long_key: dict[str, tuple[tuple[int, ...], int, int]] = {}
        self._patterns: dict[tuple[int, ...], Any] = {}
        self._entries: dict[tuple[int, ...], tuple[tuple[int, ...], int, int]] = {}

    def key(self, text: str, pos: int, end: int, size: int = _KEY_CHARS) -> str:
        """The dispatch key of the text at ``pos`` (``size`` characters past the bullets
        and brackets of an anchored dispatch; :data:`_LONG_KEY_CHARS` for :meth:`narrow`)."""
        if self.anchored:
            head = text[pos : min(end, pos + 16)]
            skip = len(head) - len(head.lstrip(_LEAD_CHARS))
            return head[: skip + size].rstrip()
        return text[pos : min(end, pos + size)].rstrip()

    def candidates(self, key: str) -> tuple[tuple[int, ...], int, int]:
        """The rules that can match text starting with ``key``, and two length bounds: the
        longest line any of them without position limits takes, and the longest line a
        position-limited one takes (so most lines are skipped without looking further).

        A rule that cannot match text starting with a prefix of ``key`` cannot match text
        starting with ``key`` either, so only the rules left by ``key`` less its last
        character are tried (also cached): a new key that starts like no rule costs
        dictionary lookups, not a partial match per rule.
        """
        found = self._by_key.get(key)
        if found is None:
            if len(key) > 1:
                shorter = self.candidates(key[:-1])[0]
            else:
                shorter = tuple(range(len(self.rules)))
            rules = self.rules
            idx = tuple(
                i
                for i in shorter
                if (rules[i]._start if self.anchored else rules[i]._compiled).match(
                    key, partial=True
                )
                is not None
            )
            found = self._entry(idx)
            if len(self._by_key) < _CACHE_MAX:
                self._by_key[key] = found
        return found

    def narrow(self, idx: tuple[int, ...], key: str) -> tuple[tuple[int, ...], int, int]:
        """Of the candidates ``idx``, those that can match text starting with the longer
        ``key``, with the same two length bounds as :meth:`candidates` (cached per key)."""
        found = self._by_long_key.get(key)
        if found is None:
            rules = self.rules
            found = self._entry(
                tuple(
                    k
                    for k in idx
                    if (rules[k]._start if self.anchored else rules[k]._compiled).match(
                        key, partial=True
                    )
                    is not None
                )
            )
            if len(self._by_long_key) < _CACHE_MAX:
                self._by_long_key[key] = found
        return found

    def _entry(self, idx: tuple[int, ...]) -> tuple[tuple[int, ...], int, int]:
        found = self._entries.get(idx)  # (many keys leave the same rules: one entry each)
        if found is None:
            free = [self.rules[i].max_chars for i in idx if not _limited(self.rules[i])]
            edge = [self.rules[i].max_chars for i in idx if _limited(self.rules[i])]
            found = self._entries[idx] = (idx, max(free, default=-1), max(edge, default=-1))
        return found

    def select(
        self, idx: tuple[int, ...], length: int, index: int, n: int, text: str
    ) -> tuple[int, ...]:
        """The candidates whose length, position and ``contains`` limits allow this place.

        ``length`` is the line (or fragment) length, ``index`` the line number among ``n``
        and ``text`` the line (or fragment), for the ``contains`` hints.
        """
        rules = self.rules
        out = []
        folded = None
        for k in idx:
            rule = rules[k]
            if length > rule.max_chars or length < rule.min_chars:
                continue
            if (rule.first_lines is not None or rule.last_lines is not None) and not (
                (rule.first_lines is not None and index < rule.first_lines)
                or (rule.last_lines is not None and index >= n - rule.last_lines)
            ):
                continue
            if rule.hints:
                if folded is None:
                    folded = fold_for_hints(text)
                if rule._contains_re.search(folded) is None:
                    continue
            out.append(k)
        return tuple(out)

    @functools.cached_property
    def native_spec(self) -> tuple[Any, ...]:
        """This dispatch as the C core's ``scan_rule_lines`` reads it: the key caches and the
        methods that fill them, the bounds, each rule's length, position and ``contains``
        limits (``-1``: no position limit), and the C core's own tables of the short and
        the long keys' entries (``key_table``: the same entries, found without making a str
        of the key) and of those limits (``rule_table``: read without an int or str object)."""
        rules = self.rules
        limits = (
            tuple(r.min_chars for r in rules),
            tuple(r.max_chars for r in rules),
            tuple(-1 if r.first_lines is None else r.first_lines for r in rules),
            tuple(-1 if r.last_lines is None else r.last_lines for r in rules),
            tuple(r.hints for r in rules),
        )
        native = _accel.native
        tables = (
            ()
            if native is None
            else (
                native.key_table(_CACHE_MAX),
                native.key_table(_CACHE_MAX),
                native.rule_table(*limits),
            )
        )
        return (
            self._by_key,
            self.candidates,
            self._by_long_key,
            self.narrow,
            self.max_chars,
            self.first_window,
            self.last_window,
            *limits,
            *tables,
        )

    def pattern(self, idx: tuple[int, ...]) -> Any:
        compiled = self._patterns.get(idx)
        if compiled is None:
            compiled = _combine([self.rules[i] for i in idx], idx, LEAD if self.anchored else "")
            if len(self._patterns) < _CACHE_MAX:
                self._patterns[idx] = compiled
        return compiled


@dataclass(frozen=True)
class _Program:
    """The compiled rules of one language."""

    rules: tuple[Rule, ...]
    start: _Dispatch
    trailing: _Dispatch
    inline_re: Any
    inline_rules: tuple[Rule, ...]
    fallbacks: tuple[tuple[str, _Dispatch], ...] = ()
    # text that every inline match starts with, one per inline rule (None: some rule has
    # none): a document holding none of them has no inline match, and is not searched
    inline_anchors: tuple[str, ...] | None = None
    # the time budget of the inline search (None: all inline rules are built-in)
    inline_timeout: float | None = None


_META = frozenset("\\.^$*+?{}[]()|#")
_QUANTIFIERS = frozenset("*+?{")


def _literal_prefix(rule: Rule) -> str | None:
    r"""The plain text every match of a case-sensitive ``rule`` starts with (at least three
    characters), read off the start of its pattern: the characters before the first
    special one, less one a quantifier follows. ``None`` for a pattern with an alternation
    (anywhere: kept simple), a case-insensitive rule, or a shorter prefix.

    >>> from cleaner.rules.model import pack_from_dict
    >>> def rule(pattern, case_sensitive=True):
    ...     return pack_from_dict({"pack": {"name": "p"}, "rules": [{"id": "r",
    ...         "description": "d", "scope": "inline", "pattern": pattern,
    ...         "case_sensitive": case_sensitive, "examples": []}]}).rules[0]
    >>> _literal_prefix(rule(r"Click\s+[Tt]o\s+Tweet"))
    'Click'
    >>> _literal_prefix(rule(r"Clicks?\s+here")), _literal_prefix(rule(r"Click|Tap"))
    ('Click', None)
    >>> _literal_prefix(rule(r"Click here", case_sensitive=False)) is None
    True
    """
    pattern = rule.pattern
    if not rule.case_sensitive or "|" in pattern:
        return None
    end = 0
    while end < len(pattern) and pattern[end] not in _META:
        end += 1
    if end < len(pattern) and pattern[end] in _QUANTIFIERS:
        end -= 1  # (the character before a quantifier may be absent or repeated)
    return pattern[:end] if end >= 3 else None


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
        vetted: list[RulePack] = []  # (the packs read from cleaner/rules/packs)
        for name in config.rule_packs:
            from_file = name != "builtin" and (_is_path(name) or Path(name).is_file())
            if name == "builtin":
                loaded = [load_builtin_pack(n) for n in builtin_pack_names()]
            elif from_file:
                loaded = [load_pack(name)]
            else:
                loaded = [load_builtin_pack(name)]
            for pack in loaded:
                if pack.name not in seen:
                    seen.add(pack.name)
                    packs.append(pack)
                    if not from_file:
                        vetted.append(pack)
        for pack in extra_packs:
            if pack.name not in seen:
                seen.add(pack.name)
                packs.append(pack)
        self.packs: tuple[RulePack, ...] = tuple(packs)
        # the rules that run without the time budget: those of the built-in packs, which
        # tests/test_rule_safety.py checks against catastrophic backtracking
        self._vetted = frozenset(id(rule) for pack in vetted for rule in pack.rules)
        all_rules = [rule for pack in packs for rule in pack.rules]
        disabled = self._disabled(all_rules, config.disabled_rules)
        self.rules: tuple[Rule, ...] = tuple(r for r in all_rules if r.id not in disabled)
        self._by_id = {r.id: r for r in all_rules}
        self._programs: dict[str | None, _Program] = {}
        # the longest line any block rule takes as an item (see _active)
        self._item_chars = max(
            (r.block_item_max_chars for r in self.rules if r.scope == "block"), default=0
        )

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

    def _timeout_of(self, rules: Sequence[Rule]) -> float | None:
        """The time budget of a match of some of ``rules``: none when all are built-in."""
        if all(id(rule) in self._vetted for rule in rules):
            return None
        return self.config.rule_timeout_seconds

    def _compile(self, language: str | None) -> _Program:
        rules = tuple(r for r in self.rules if r.language is None or r.language == language)
        inline = tuple(r for r in rules if r.scope == "inline")
        anchors = tuple(map(_literal_prefix, inline))
        fallbacks = []
        others = sorted(
            {r.language for r in self.rules if r.fallback and r.language and r.language != language}
        )
        for lang in others:
            fb = [
                r for r in self.rules if r.fallback and r.language == lang and r.scope != "inline"
            ]
            if fb:
                fallbacks.append((lang, _Dispatch(fb, anchored=True, timeout=self._timeout_of(fb))))
        start = [r for r in rules if r.scope != "inline"]
        trailing = [r for r in rules if r.scope == "trailing"]
        return _Program(
            rules=rules,
            start=_Dispatch(start, anchored=True, timeout=self._timeout_of(start)),
            trailing=_Dispatch(trailing, anchored=False, timeout=self._timeout_of(trailing)),
            inline_re=_combine(inline, range(len(inline)), "") if inline else None,
            inline_rules=inline,
            fallbacks=tuple(fallbacks),
            inline_anchors=None if None in anchors else cast("tuple[str, ...]", anchors),
            inline_timeout=self._timeout_of(inline),
        )

    # ------------------------------------------------------------------ finding
    def find(
        self,
        text: str,
        lines: Sequence[Line],
        language: str | None,
        *,
        doc_id: str | None = None,
        only: Collection[int] | None = None,
    ) -> list[RuleHit]:
        """Return the rule hits in ``text`` (whose non-blank lines are ``lines``), in order.

        A line is removed by at most one line-level rule; trailing and inline hits on a
        line never overlap. ``only``: the indices of the lines whose hits are wanted (the
        hits of the whole search on those lines; lines that cannot change them are skipped).
        """
        prog = self._program(language)
        if not prog.rules:
            return []
        if only is not None:
            wanted = set(only)
            active = self._active(lines, wanted)
            return [
                h
                for h in self._find(prog, text, lines, language, doc_id, active, wanted)
                if h.line in wanted
            ]
        return self._find(prog, text, lines, language, doc_id, None)

    def _active(self, lines: Sequence[Line], wanted: set[int]) -> list[bool]:
        """The lines to look at for the hits of the ``wanted`` lines: each wanted line and
        the lines above it back to one that cannot be a block item. A block heading takes
        a run of item lines under it, so only a line above the run can decide whether a
        wanted line goes as an item; a line that is no item cannot be taken by a heading
        above it, so the search may start there. Everything else a hit depends on is the
        line itself and its position (the line count is the same)."""
        active = [False] * len(lines)
        limit = self._item_chars
        for k in sorted(wanted, reverse=True):
            if not 0 <= k < len(lines) or active[k]:
                continue
            active[k] = True
            while limit and k > 0 and _is_block_item(lines[k], limit):
                k -= 1
                if active[k]:
                    break
                active[k] = True
        return active

    def _find(
        self,
        prog: _Program,
        text: str,
        lines: Sequence[Line],
        language: str | None,
        doc_id: str | None,
        active: list[bool] | None,
        wanted: set[int] | None = None,
    ) -> list[RuleHit]:
        """The hits: the lines where some rule is left to try once the dispatch keys, caches,
        bounds and ``select`` have had their say (:meth:`_scan_lines`, or the C core's
        ``scan_rule_lines``: the same rows), then matched in order. ``wanted``: the lines
        whose hits the caller keeps (None: all)."""
        native = _accel.native
        if native is not None:
            rows = native.scan_rule_lines(
                text,
                lines,
                active,
                prog.start.native_spec,
                prog.trailing.native_spec,
                [dispatch.native_spec for _, dispatch in prog.fallbacks],
                _LEAD_CHARS,
                casefold_table(),
            )
        else:
            rows = self._scan_lines(prog, text, lines, active)
        hits: list[RuleHit] = []
        whole: set[int] = set()
        cut_from: dict[int, int] = {}
        n = len(lines)
        after = 0  # lines before this one were taken by a block
        start_rules = prog.start.rules
        # (built-in rules only, a few candidates: _start_rule's loop, here without its two
        # calls a try, most of the cost of a short match)
        direct = prog.start.timeout is None
        for i, start_idx, fallback_idx, trailing_idx in rows:
            if i < after:
                continue
            line = lines[i]
            rule = None
            if start_idx is not None:
                if direct and len(start_idx) <= _SEQUENTIAL:
                    own = line.text
                    for k in start_idx:
                        if start_rules[k]._start.match(own) is not None:
                            rule = start_rules[k]
                            break
                else:
                    rule = self._start_rule(prog.start, start_idx, text, line, n, doc_id)
            if rule is None and fallback_idx is not None:
                for f, idx in fallback_idx:
                    lang, dispatch = prog.fallbacks[f]
                    rule = self._start_rule(dispatch, idx, text, line, n, doc_id, lang, language)
                    if rule is not None:
                        break
            if rule is not None:
                scope = "prefix" if rule.scope == "trailing" else rule.scope
                hits.append(RuleHit(line.start, line.end, i, rule.id, scope, rule.description))
                whole.add(i)
                if rule.scope == "block":
                    after = self._block_items(rule, lines, i + 1, hits)
                    whole.update(range(i + 1, after))
                continue
            if trailing_idx is not None:
                for pos, idx in trailing_idx:
                    hit = self._trailing(prog.trailing, idx, text, line, pos, n, doc_id)
                    if hit is not None:
                        hits.append(hit)
                        cut_from[i] = hit.start
                        break
        if prog.inline_re is not None:
            self._inline(prog, text, lines, whole, cut_from, doc_id, hits, wanted)
            hits.sort(key=lambda h: (h.start, h.end))
        return hits

    @staticmethod
    def _scan_lines(
        prog: _Program, text: str, lines: Sequence[Line], active: list[bool] | None
    ) -> list[
        tuple[
            int,
            tuple[int, ...] | None,
            list[tuple[int, tuple[int, ...]]] | None,
            list[tuple[int, tuple[int, ...]]] | None,
        ]
    ]:
        """For each (active) line, the rules of the start, fallback and trailing dispatches
        that its keys, length, position and ``contains`` hints leave to try, as ``(line,
        start rules, [(fallback, rules)], [(fragment start, rules)])`` (``None``: none),
        for the lines that have any. The Python twin of the C core's ``scan_rule_lines``."""
        rows = []
        n = len(lines)
        start, trailing = prog.start, prog.trailing
        start_keys, trail_keys = start._by_key, trailing._by_key
        start_max, trail_max = start.max_chars, trailing.max_chars
        boundaries = _BOUNDARY_RE.finditer
        for i, line in enumerate(lines):
            if active is not None and not active[i]:
                continue
            s, e = line.start, line.end
            length = e - s
            start_idx: tuple[int, ...] | None = None
            if length <= start_max:
                head = text[s : min(e, s + 24)]
                skip = len(head) - len(head.lstrip(_LEAD_CHARS))
                # keys never end in a space: regex's partial matching can miss a rule
                # when the text stops right after a space (a word boundary it cannot see)
                key = head[: skip + _KEY_CHARS].rstrip()
                entry = start_keys.get(key) or start.candidates(key)
                edge = i < start.first_window or i >= n - start.last_window
                if entry[0] and (length <= entry[1] or (edge and length <= entry[2])):
                    entry = start.narrow(entry[0], head[: skip + _LONG_KEY_CHARS].rstrip())
                    if entry[0] and (length <= entry[1] or (edge and length <= entry[2])):
                        kept = start.select(entry[0], length, line.index, n, line.text)
                        start_idx = kept or None
            fallback_idx = []
            for f, (_, dispatch) in enumerate(prog.fallbacks):
                if length <= dispatch.max_chars:
                    idx = dispatch.candidates(dispatch.key(text, s, e))[0]
                    if idx:
                        # (the rules the longer key leaves, as for the start rules: most
                        # lines of another language start like none of them)
                        idx = dispatch.narrow(idx, dispatch.key(text, s, e, _LONG_KEY_CHARS))[0]
                    kept = dispatch.select(idx, length, line.index, n, line.text)
                    if kept:
                        fallback_idx.append((f, kept))
            trailing_idx = []
            if trail_max and length > 6:
                for b in boundaries(text, max(s, e - trail_max - 4), e):
                    pos = b.end()
                    if pos >= e or e - pos > trail_max:
                        continue
                    if text[pos - 1] not in _SPACES and text[b.start()] not in _CJK_STOPS:
                        continue
                    key = text[pos : pos + _KEY_CHARS].rstrip()
                    entry = trail_keys.get(key) or trailing.candidates(key)
                    frag = e - pos
                    if (
                        entry[0]
                        and frag >= _LONG_KEY_CHARS
                        and (frag <= entry[1] or frag <= entry[2])
                    ):
                        # (a fragment this long holds its long key: no character past the line)
                        entry = trailing.narrow(
                            entry[0], text[pos : pos + _LONG_KEY_CHARS].rstrip()
                        )
                    if entry[0] and (frag <= entry[1] or frag <= entry[2]):
                        kept = trailing.select(entry[0], frag, line.index, n, text[pos:e])
                        if kept:
                            trailing_idx.append((pos, kept))
            if start_idx or fallback_idx or trailing_idx:
                rows.append((i, start_idx, fallback_idx or None, trailing_idx or None))
        return rows

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
        self,
        rules: Sequence[Rule],
        text: str,
        line: Line,
        n: int,
        doc_id: str | None,
        *,
        own_text: bool = False,
    ) -> tuple[Rule, tuple[int, int]] | None:
        """Try rules one by one on a line (after a combined match ran out of time);
        ``own_text``: ``text`` is the line's own text (a start rule's match)."""
        timeout = self.config.rule_timeout_seconds
        start, end = (0, len(text)) if own_text else (line.start, line.end)
        for rule in rules:
            if not self._position_ok(rule, line.index, n):
                continue
            try:
                span = _match_line(rule, rule._compiled, text, start, end, 0, timeout)
            except TimeoutError:
                raise self._timeout(rule.id, line, doc_id) from None
            if span is not None:
                return rule, span
        return None

    def _start_rule(
        self,
        dispatch: _Dispatch,
        idx: tuple[int, ...],
        text: str,
        line: Line,
        n: int,
        doc_id: str | None,
        line_language: str | None = None,
        doc_language: str | None = None,
    ) -> Rule | None:
        """The first of the candidates ``idx`` (kept by ``select``) that matches at the start
        of ``line`` (and takes the line)."""
        if line_language is not None and not line_in_language(
            line.text, line_language, doc_language
        ):
            return None
        rules = dispatch.rules
        own = line.text  # (a rule sees the line alone, as Rule.matches runs it)
        timeout = dispatch.timeout
        if len(idx) <= _SEQUENTIAL:
            for k in idx:
                try:
                    if _timed(rules[k]._start.match, timeout, own):
                        return rules[k]
                except TimeoutError:
                    raise self._timeout(rules[k].id, line, doc_id) from None
            return None
        try:
            m = _timed(dispatch.pattern(idx).match, timeout, own)
        except TimeoutError:
            found = self._slow([rules[k] for k in idx], own, line, n, doc_id, own_text=True)
            return found[0] if found else None
        return None if m is None else rules[int(m.lastgroup[1:])]

    def _trailing(
        self,
        dispatch: _Dispatch,
        idx: tuple[int, ...],
        text: str,
        line: Line,
        pos: int,
        n: int,
        doc_id: str | None,
    ) -> RuleHit | None:
        """A fragment from the sentence start ``pos`` to the line end, if one of the
        candidates ``idx`` (kept by ``select``) takes it."""
        rules = dispatch.rules
        timeout = dispatch.timeout
        if len(idx) <= _SEQUENTIAL:
            for k in idx:
                try:
                    if _timed(rules[k]._compiled.match, timeout, text, pos, line.end):
                        rule = rules[k]
                        return RuleHit(
                            pos, line.end, line.index, rule.id, "trailing", rule.description
                        )
                except TimeoutError:
                    raise self._timeout(rules[k].id, line, doc_id) from None
            return None
        try:
            m = _timed(dispatch.pattern(idx).match, timeout, text, pos, line.end)
        except TimeoutError:
            found = self._slow([rules[k] for k in idx], text, line, n, doc_id)
            if found is None:
                return None
            rule, (start, end) = found
            return RuleHit(start, end, line.index, rule.id, "trailing", rule.description)
        if m is None:
            return None
        rule = rules[int(m.lastgroup[1:])]
        return RuleHit(pos, line.end, line.index, rule.id, "trailing", rule.description)

    def _inline(
        self,
        prog: _Program,
        text: str,
        lines: Sequence[Line],
        whole: set[int],
        cut_from: dict[int, int],
        doc_id: str | None,
        hits: list[RuleHit],
        wanted: set[int] | None = None,
    ) -> None:
        """Inline spans: one search over the whole text, then mapped to their lines (of
        which only the ``wanted`` ones are asked for, when given)."""
        anchors = prog.inline_anchors
        if anchors is not None:
            # (every match starts with one of them, and a hit lies inside its line: when
            # only some lines' hits are wanted, only those lines need to hold one)
            native = _accel.native
            if wanted is None and native is not None:
                # (the C core's search: a third of ``in``'s time over a whole document)
                held = native.contains_any(text, anchors)
            else:
                where = (
                    (text,)
                    if wanted is None
                    else (lines[k].text for k in wanted if 0 <= k < len(lines))
                )
                held = any(a in piece for piece in where for a in anchors)
            if not held:
                return
        timeout = prog.inline_timeout
        try:
            found = list(_timed(prog.inline_re.finditer, timeout, text))
        except TimeoutError:
            for rule in prog.inline_rules:
                for line in lines:
                    try:
                        rule._compiled.search(text, line.start, line.end, timeout=timeout)
                    except TimeoutError:
                        raise self._timeout(rule.id, line, doc_id) from None
            return
        starts = [line.start for line in lines]
        n = len(lines)
        for m in found:
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or k in whole or m.end() > lines[k].end:
                continue
            if k in cut_from and m.end() > cut_from[k]:
                continue
            rule = prog.inline_rules[int(m.lastgroup[1:])]
            if rule.min_chars <= m.end() - m.start() <= rule.max_chars and self._position_ok(
                rule, k, n
            ):
                hits.append(RuleHit(m.start(), m.end(), k, rule.id, "inline", rule.description))

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
