"""The rule engine: compiles the configured packs once and finds boilerplate in documents.

For each language the rules that apply (language-independent packs plus the pack of
that language) are split by kind: the *line-start* rules (line, prefix, block and
trailing rules, matched from a line start after bullets and brackets), the *trailing*
rules (matched from a sentence start near the end of a line) and the *inline* rules
(rare, searched anywhere). Finding runs in three steps, each cheaper than the next:

1. **Dispatch by line head** (:meth:`_Dispatch.head`). The first three characters of a
   line after its bullets, then its first eight, pick the line-start rules that can match
   text starting that way (decided exactly by the ``regex`` module's partial matching,
   once per distinct head, then cached). Prose lines, whose first words no rule starts
   with, cost one dictionary lookup; so do lines longer than those rules allow.
2. **Prefilter** (:mod:`.prefilter`). Each rule is also *loosened* into a stdlib ``re``
   pattern that matches wherever the rule matches inside a line (assertions left out,
   classes widened, repeats capped: a necessary condition, never a sufficient one).
   A line kept by step 1 is checked against the loosened rules its length and place
   allow (:meth:`_Dispatch.case`), or, for a rule whose loosened form starts with a
   class of most letters, against its ``contains`` hints; for trailing rules, one search
   per sentence-ending character found in the document finds the few lines where a
   loosened trailing rule follows a sentence end, and only those lines are looked at;
   inline rules are searched only when their loosened form occurs in the document.
3. **Matching**. The lines left are matched as before the prefilter: the candidates'
   length, position and ``contains`` limits (:meth:`_Dispatch.select`), then each
   candidate rule, or one combined pattern of them with a named group (``r12``) per rule.

Steps 1 and 2 only skip lines where no rule can match, so the hits are exactly those of
step 3 run on every line. Every ``regex`` call runs with the timeout
``config.rule_timeout_seconds``; when a combined pattern runs out of time, the rules of
that line are tried one by one to name the culprit (:class:`~cleaner.errors.RuleTimeoutError`).
The loosened patterns repeat no group, so the stdlib ``re`` never backtracks
exponentially on them (a catastrophic rule still reaches ``regex`` and its timeout).

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
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

import regex

from ..config import CleanerConfig
from ..errors import ConfigError, RuleTimeoutError
from ..segment import Line
from .language import detect_language, line_in_language
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
from .prefilter import alternatives, any_of, union

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


# Characters skipped before the dispatch key of a line (bullets, brackets, quotes).
_LEAD_CHARS = ' \t-–—•*·►▶▸▪●■□>»|#+[(（【「«"“¡¿'
_KEY_CHARS = 3
_LONG_KEY_CHARS = 8  # second look, only at the few rules the first three characters allow
_CACHE_MAX = 50_000
# up to this many candidate rules are tried one by one (each precompiled); more are
# combined into one alternation, compiled once per distinct set of rules
_SEQUENTIAL = 8
_LEAD_SET = frozenset(_LEAD_CHARS)
# the loosened rule patterns of the prefilter are cut after this many characters
_BUDGET = 8
# a line start or sentence start may begin a rule only where a loosened rule matches
_ANY_LEAD = any_of(LEAD, regex.V0 | regex.IGNORECASE) or "[\\x00-\\U0010ffff]"
# Where the trailing scan looks: after a sentence end and spaces (or a CJK full stop), as
# _BOUNDARY_RE finds them (a superset of the places the engine tries). One search per
# sentence-ending character found in the text: a search led by one literal character
# skips ahead much faster than one led by a class.
_SENTENCE_ENDS = '.!?…"”»)]。！？؟।'
_AFTER_END = r"[\"”’»)\]]?(?:[ \t\u00a0]+(?![ \t\u00a0])|(?<=[。！？])|(?<=[。！？][\"”’»)\]]))"
_Check = Callable[[str, int, int], bool]
# candidates, two length bounds, a block rule among them, length bounds, checks per case
_Head = tuple[tuple[int, ...], int, int, bool, tuple[int, ...], dict[tuple[int, bool], _Check]]


def _always(text: str, start: int, end: int) -> bool:
    return True


def _checker(loose: str | None, hints: str | None) -> _Check:
    """``loose`` (a stdlib ``re`` pattern) matches at ``start``, or the casefolded text
    holds one of ``hints`` (an alternation of escaped strings)."""
    match = _compiled(loose).match if loose is not None else None
    search = _compiled(hints).search if hints is not None else None

    def check(text: str, start: int, end: int) -> bool:
        if match is not None and match(text, start, end) is not None:
            return True
        return search is not None and search(text[start:end].casefold()) is not None

    return check


def _wide(first: str) -> bool:
    """Whether a loosened first-character class holds most letters (so it rules out
    little by itself)."""
    test = _compiled(first).match
    return (
        sum(test(c) is not None for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        > 26
    )


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A prefilter pattern, compiled once per process (engines share them)."""
    return re.compile(pattern)


def _combine(rules: Sequence[Rule], names: Sequence[int], lead: str) -> Any:
    parts = []
    for rule, name in zip(rules, names, strict=True):
        body = rule.alternative()
        if rule.case_sensitive:
            body = f"(?-i:{body})"
        parts.append(f"(?P<r{name}>{body})")
    return regex.compile(lead + "(?:" + "|".join(parts) + ")", regex.V0 | regex.IGNORECASE)


_line_start = attrgetter("start")


def _limited(rule: Rule) -> bool:
    return rule.first_lines is not None or rule.last_lines is not None


class _Dispatch:
    """Rules of one kind, and caches from a text prefix to the rules that can match there.

    Whether a rule can match text starting with a given prefix is decided exactly by the
    ``regex`` module's partial matching, once per distinct prefix (the first three
    characters after bullets and brackets, then the first eight); a line is then checked
    against the loosened candidates (:meth:`check`) and matched against one combined
    pattern of only those rules. Prose lines, whose first words no rule starts with, cost
    a dictionary lookup.
    """

    def __init__(self, rules: Sequence[Rule], anchored: bool) -> None:
        self.rules = tuple(rules)
        self.anchored = anchored
        self.max_chars = max((r.max_chars for r in rules), default=0)
        # lines this close to the start or the end may meet position-limited rules
        self.first_window = max((r.first_lines or 0 for r in rules), default=0)
        self.last_window = max((r.last_lines or 0 for r in rules), default=0)
        self._by_key: dict[str, tuple[tuple[int, ...], int, int]] = {}
        self._by_long_key: dict[str, tuple[tuple[int, ...], int, int]] = {}
        self._patterns: dict[tuple[int, ...], Any] = {}
        # the prefilter: each rule loosened (see prefilter.py), one check per set of rules
        self.loose = alternatives(
            [(r.alternative(), r.flags, r.max_chars) for r in self.rules], _BUDGET
        )
        self._checks: dict[tuple[int, ...], _Check] = {}
        # a line head (up to eight characters after the bullets) -> what its line may meet
        self.heads: dict[str, _Head] = {}
        self._checked: dict[str, tuple[tuple[int, ...], _Check, bool]] = {}

    def key(self, text: str, pos: int, end: int) -> str:
        if self.anchored:
            head = text[pos : min(end, pos + 16)]
            skip = len(head) - len(head.lstrip(_LEAD_CHARS))
            return head[: skip + _KEY_CHARS].rstrip()
        return text[pos : min(end, pos + _KEY_CHARS)].rstrip()

    def candidates(self, key: str) -> tuple[tuple[int, ...], int, int]:
        """The rules that can match text starting with ``key``, and two length bounds: the
        longest line any of them without position limits takes, and the longest line a
        position-limited one takes (so most lines are skipped without looking further)."""
        found = self._by_key.get(key)
        if found is None:
            idx = tuple(
                i
                for i, rule in enumerate(self.rules)
                if (rule._start if self.anchored else rule._compiled).match(key, partial=True)
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
            found = self._entry(
                tuple(k for k in idx if self.rules[k]._start.match(key, partial=True) is not None)
            )
            if len(self._by_long_key) < _CACHE_MAX:
                self._by_long_key[key] = found
        return found

    def check(self, idx: tuple[int, ...]) -> _Check:
        """A necessary condition for any of the rules ``idx`` to match a line (or a
        fragment): ``check(text, start, end)`` is false only where none of them can.

        A rule is looked for loosened (see :mod:`.prefilter`), or, when its loosened form
        would match nearly anywhere (its first character is a letter class) and it has
        ``contains`` hints, through those hints (as :meth:`select` reads them).
        """
        found = self._checks.get(idx)
        if found is not None:
            return found
        loose: list[tuple[str, str]] = []
        hints: list[str] = []
        found = _always
        for k in idx:
            rule, alts = self.rules[k], self.loose[k]
            if rule.contains and (alts is None or any(_wide(first) for first, _ in alts)):
                hints.extend(rule.contains)
            elif alts is None:
                break
            else:
                loose.extend(alts)
        else:
            found = _checker(
                (_ANY_LEAD + "*" if self.anchored else "") + union(loose) if loose else None,
                "|".join(re.escape(hint) for hint in dict.fromkeys(hints)) if hints else None,
            )
        if len(self._checks) < _CACHE_MAX:
            self._checks[idx] = found
        return found

    def case(self, found: _Head, length: int, edge_line: bool) -> _Check:
        """The check of the candidates ``found`` (from :meth:`head`) that a line of this
        length and place may meet (cached per entry, length range and place)."""
        idx, _, _, _, bounds, cases = found
        key = (bisect.bisect_left(bounds, length), edge_line)
        check = cases.get(key)
        if check is None:
            rules = self.rules
            check = self.check(
                tuple(
                    k
                    for k in idx
                    if rules[k].min_chars <= length <= rules[k].max_chars
                    and (edge_line or not _limited(rules[k]))
                )
            )
            cases[key] = check
        return check

    def head(self, text: str, start: int, end: int) -> _Head:
        """What a line of ``text[start:end]`` may meet, from its first characters: the
        candidate rules, the two length bounds of :meth:`candidates`, whether one of them
        is a block rule, and the bounds and cache of :meth:`case` (cached per line head)."""
        head = text[start : min(end, start + 24)]
        skip = len(head) - len(head.lstrip(_LEAD_CHARS))
        raw = head[: skip + _LONG_KEY_CHARS]
        found = self.heads.get(raw)
        if found is None:
            # keys never end in a space: regex's partial matching can miss a rule
            # when the text stops right after a space (a word boundary it cannot see)
            idx = self.candidates(head[: skip + _KEY_CHARS].rstrip())[0]
            free = edge = -1
            if idx:
                idx, free, edge = self.narrow(idx, raw.rstrip())
            block = any(self.rules[k].scope == "block" for k in idx)
            bounds = sorted(
                {self.rules[k].max_chars for k in idx} | {self.rules[k].min_chars - 1 for k in idx}
            )
            found = (idx, free, edge, block, tuple(bounds), {})
            if len(self.heads) < _CACHE_MAX:
                self.heads[raw] = found
        return found

    def checked(self, key: str) -> tuple[tuple[int, ...], _Check, bool]:
        """:meth:`candidates` of ``key`` with their check, and whether one is a block rule
        (for the fallback packs, which take no second look at a longer key)."""
        found = self._checked.get(key)
        if found is None:
            idx = self.candidates(key)[0]
            block = any(self.rules[k].scope == "block" for k in idx)
            found = (idx, self.check(idx), block)
            if len(self._checked) < _CACHE_MAX:
                self._checked[key] = found
        return found

    def _entry(self, idx: tuple[int, ...]) -> tuple[tuple[int, ...], int, int]:
        free = [self.rules[i].max_chars for i in idx if not _limited(self.rules[i])]
        edge = [self.rules[i].max_chars for i in idx if _limited(self.rules[i])]
        return idx, max(free, default=-1), max(edge, default=-1)

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
            if rule.contains:
                if folded is None:
                    folded = text.casefold()
                if rule._contains_re.search(folded) is None:
                    continue
            out.append(k)
        return tuple(out)

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
    # the prefilter searches (``None``: every place is a candidate)
    trail_scan: tuple[tuple[str, Callable[[str], Iterator[re.Match[str]]]], ...] | None = None
    inline_scan: re.Pattern[str] | None = None


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
        inline = tuple(r for r in rules if r.scope == "inline")
        fallbacks = []
        others = sorted(
            {r.language for r in self.rules if r.fallback and r.language and r.language != language}
        )
        for lang in others:
            fb = [
                r for r in self.rules if r.fallback and r.language == lang and r.scope != "inline"
            ]
            if fb:
                fallbacks.append((lang, _Dispatch(fb, anchored=True)))
        trailing = _Dispatch([r for r in rules if r.scope == "trailing"], anchored=False)
        trail_scan = None
        if all(alts is not None for alts in trailing.loose):
            body = union([alt for alts in trailing.loose if alts is not None for alt in alts])
            trail_scan = tuple(
                (end, _compiled(f"{re.escape(end)}{_AFTER_END}(?={body})").finditer)
                for end in _SENTENCE_ENDS
            )
        inline_scan = None
        inline_loose = alternatives(
            [(r.alternative(), r.flags, r.max_chars) for r in inline], _BUDGET
        )
        if inline and all(alts is not None for alts in inline_loose):
            inline_scan = _compiled(union([a for alts in inline_loose if alts for a in alts]))
        return _Program(
            rules=rules,
            start=_Dispatch([r for r in rules if r.scope != "inline"], anchored=True),
            trailing=trailing,
            inline_re=_combine(inline, range(len(inline)), "") if inline else None,
            inline_rules=inline,
            fallbacks=tuple(fallbacks),
            trail_scan=trail_scan,
            inline_scan=inline_scan,
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
        line never overlap.

        ``lines`` are the lines :func:`~cleaner.segment.split_lines` gives for ``text``
        (each starts after a line break and spaces). With ``only`` (indices into ``lines``),
        only those lines are examined as starting lines: the result is the full result
        filtered to hits on those lines, plus the items a block heading on one of them
        takes from the lines under it. (Position limits still count from the ends of the
        whole ``lines``; a line outside ``only`` is looked at only when a block rule could
        start on it, since a block there may take lines of ``only`` as its items.)
        """
        prog = self._program(language)
        if not prog.rules:
            return []
        hits: list[RuleHit] = []
        whole: set[int] = set()
        cut_from: dict[int, int] = {}
        n = len(lines)
        wanted = None if only is None else set(only)
        start, trailing = prog.start, prog.trailing
        heads, head = start.heads, start.head
        trail_keys = trailing._by_key
        start_max, trail_max = start.max_chars, trailing.max_chars
        first_window, last_edge = start.first_window, n - start.last_window
        boundaries = _BOUNDARY_RE.finditer
        # the lines a trailing rule may end (None: every line)
        trail_lines: set[int] | Collection[int] = ()
        if trail_max:
            if prog.trail_scan is None:
                trail_lines = range(n)
            else:
                line_at = bisect.bisect_right
                trail_lines = {
                    line_at(lines, m.end(), key=_line_start) - 1
                    for end, scan in prog.trail_scan
                    if end in text
                    for m in scan(text)
                }
        i = 0
        while i < n:
            line = lines[i]
            s, e = line.start, line.end
            length = e - s
            rule = None
            if length <= start_max:
                entry = None
                if text[s] not in _LEAD_SET:
                    entry = heads.get(text[s : s + _LONG_KEY_CHARS if s + 8 < e else e])
                found = entry or head(text, s, e)
                idx, free, edge, block = found[0], found[1], found[2], found[3]
                if idx and (wanted is None or i in wanted or block):
                    edge_line = i < first_window or i >= last_edge
                    if (length <= free or (edge_line and length <= edge)) and start.case(
                        found, length, edge_line
                    )(text, s, e):
                        rule = self._start_rule(start, idx, text, line, n, doc_id)
            if rule is None and prog.fallbacks:
                rule = self._fallback(prog, text, line, n, wanted, doc_id, language)
            if rule is not None:
                scope = "prefix" if rule.scope == "trailing" else rule.scope
                hits.append(RuleHit(s, e, i, rule.id, scope, rule.description))
                whole.add(i)
                i += 1
                if rule.scope == "block":
                    j = self._block_items(rule, lines, i, hits)
                    whole.update(range(i, j))
                    i = j
                continue
            if length > 6 and i in trail_lines and (wanted is None or i in wanted):
                for b in boundaries(text, max(s, e - trail_max - 4), e):
                    pos = b.end()
                    if pos >= e or e - pos > trail_max:
                        continue
                    if text[pos - 1] not in _SPACES and text[b.start()] not in _CJK_STOPS:
                        continue
                    key = text[pos : pos + _KEY_CHARS].rstrip()
                    entry3 = trail_keys.get(key) or trailing.candidates(key)
                    frag = e - pos
                    if entry3[0] and (frag <= entry3[1] or frag <= entry3[2]):
                        hit = self._trailing(trailing, entry3[0], text, line, pos, n, doc_id)
                        if hit is not None:
                            hits.append(hit)
                            cut_from[i] = hit.start
                            break
            i += 1
        if prog.inline_re is not None and (
            prog.inline_scan is None or prog.inline_scan.search(text) is not None
        ):
            self._inline(prog, text, lines, whole, cut_from, doc_id, hits)
            hits.sort(key=lambda h: (h.start, h.end))
        if wanted is not None:
            hits = [h for h in hits if h.line in wanted or (h.block_heading in wanted)]
        return hits

    def _fallback(
        self,
        prog: _Program,
        text: str,
        line: Line,
        n: int,
        wanted: set[int] | None,
        doc_id: str | None,
        language: str | None,
    ) -> Rule | None:
        """The first rule of a fallback pack (another language's) that takes ``line``."""
        s, e = line.start, line.end
        for lang, dispatch in prog.fallbacks:
            if e - s <= dispatch.max_chars:
                if text[s] in _LEAD_SET:
                    key = dispatch.key(text, s, e)
                else:
                    key = text[s : s + _KEY_CHARS if s + _KEY_CHARS < e else e].rstrip()
                idx, check, block = dispatch.checked(key)
                if idx and (wanted is None or line.index in wanted or block) and check(text, s, e):
                    rule = self._start_rule(dispatch, idx, text, line, n, doc_id, lang, language)
                    if rule is not None:
                        return rule
        return None

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
        """Try rules one by one on a line (after a combined match ran out of time)."""
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
        """The first candidate rule that matches at the start of ``line`` (takes the line)."""
        idx = dispatch.select(idx, line.end - line.start, line.index, n, line.text)
        if not idx:
            return None
        if line_language is not None and not line_in_language(
            line.text, line_language, doc_language
        ):
            return None
        rules = dispatch.rules
        timeout = self.config.rule_timeout_seconds
        if len(idx) <= _SEQUENTIAL:
            for k in idx:
                try:
                    if rules[k]._start.match(text, line.start, line.end, timeout=timeout):
                        return rules[k]
                except TimeoutError:
                    raise self._timeout(rules[k].id, line, doc_id) from None
            return None
        try:
            m = dispatch.pattern(idx).match(text, line.start, line.end, timeout=timeout)
        except TimeoutError:
            found = self._slow([rules[k] for k in idx], text, line, n, doc_id)
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
        """A fragment from the sentence start ``pos`` to the line end, if a rule takes it."""
        idx = dispatch.select(idx, line.end - pos, line.index, n, text[pos : line.end])
        if not idx:
            return None
        rules = dispatch.rules
        timeout = self.config.rule_timeout_seconds
        if len(idx) <= _SEQUENTIAL:
            for k in idx:
                try:
                    if rules[k]._compiled.match(text, pos, line.end, timeout=timeout):
                        rule = rules[k]
                        return RuleHit(
                            pos, line.end, line.index, rule.id, "trailing", rule.description
                        )
                except TimeoutError:
                    raise self._timeout(rules[k].id, line, doc_id) from None
            return None
        try:
            m = dispatch.pattern(idx).match(text, pos, line.end, timeout=timeout)
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
    ) -> None:
        """Inline spans: one search over the whole text, then mapped to their lines."""
        timeout = self.config.rule_timeout_seconds
        try:
            found = list(prog.inline_re.finditer(text, timeout=timeout))
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
