"""The public entry points: :class:`Cleaner`, :func:`clean` and :func:`clean_text`.

Example:
    >>> import cleaner
    >>> text = (
    ...     "The council approved the new budget on Tuesday evening.\\n"
    ...     "READ MORE: Council tax to rise again next year\\n"
    ...     "The council approved the new budget on Tuesday evening."
    ... )
    >>> result = cleaner.clean(text)
    >>> print(result.text)
    The council approved the new budget on Tuesday evening.
    >>> cleaner.clean_text(text) == result.text
    True
    >>> c = cleaner.Cleaner(cleaner.CleanerConfig(rules=False))
    >>> print(c.clean_text(text))
    The council approved the new budget on Tuesday evening.
    READ MORE: Council tax to rise again next year
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from .assemble import assemble
from .config import CleanerConfig
from .dedup import find_duplicates, repoint
from .result import CleanResult, Reason, Removal, Span
from .rules import RuleEngine
from .segment import Line, split_lines

__all__ = ["Cleaner", "clean", "clean_text"]


def _uncut(text: str, line: Line, cuts: list[Removal]) -> list[tuple[int, int]]:
    """The pieces of ``line`` outside ``cuts``, trimmed of whitespace."""
    pieces: list[tuple[int, int]] = []
    pos = line.start
    for r in sorted(cuts, key=lambda r: r.start):
        if r.start > pos:
            pieces.append((pos, r.start))
        pos = max(pos, r.end)
    if pos < line.end:
        pieces.append((pos, line.end))
    out = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_MAX_ROUNDS = 3


def _as_it_stands(
    text: str, lines: list[Line], removals: list[Removal]
) -> tuple[str, list[tuple[int, int]], set[int]]:
    """The document with ``removals`` taken out, one kept line per line, and for each of its
    characters ``(offset in text, Line.index)`` (``-1`` for the separators put between
    pieces); also the indexes of the lines that lost part of their text."""
    by_number = {line.number: line for line in lines}
    whole: set[int] = set()
    cuts: dict[int, list[Removal]] = {}
    for r in removals:
        line = by_number[r.line]
        if r.replacement is None and r.start <= line.start and r.end >= line.end:
            whole.add(line.index)
        else:
            cuts.setdefault(line.index, []).append(r)
    parts: list[str] = []
    where: list[tuple[int, int]] = []
    for line in lines:
        if line.index in whole:
            continue
        pieces = (
            _uncut(text, line, cuts[line.index]) if line.index in cuts else [(line.start, line.end)]
        )
        for k, (s, e) in enumerate(pieces):
            if k or parts:
                parts.append("\n" if k == 0 else " ")
                where.append((-1, line.index))  # a separator: no original character
            parts.append(text[s:e])
            where.extend((p, line.index) for p in range(s, e))
    return "".join(parts), where, {i for i in cuts if i not in whole}


def _boilerplate_copies(removals: list[Removal], claimed: list[Removal]) -> list[Removal]:
    """Copies of text that a rule has now claimed are boilerplate too (same rule)."""
    if not claimed:
        return removals
    out = []
    for r in removals:
        dup = r.duplicate_of
        rule = (
            next((c for c in claimed if c.start < dup.end and dup.start < c.end), None)
            if dup is not None
            else None
        )
        if rule is None:
            out.append(r)
        else:
            out.append(
                dataclasses.replace(
                    r,
                    reason=Reason.BOILERPLATE,
                    method="rule",
                    rule_id=rule.rule_id,
                    duplicate_of=None,
                    detail=f"repeats text that {rule.rule_id} removed: {rule.text[:60]}",
                )
            )
    return out


def _runs(where: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The original spans behind ``now[start:end]``: contiguous runs of original offsets."""
    runs: list[tuple[int, int]] = []
    run_start = prev = -2
    for k in range(start, end):
        p = where[k][0]
        if p < 0:
            continue
        if p != prev + 1:
            if run_start >= 0:
                runs.append((run_start, prev + 1))
            run_start = p
        prev = p
    if run_start >= 0:
        runs.append((run_start, prev + 1))
    return runs


def _check_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError("cleaner works on str, got bytes: decode first, e.g. data.decode('utf-8')")
    raise TypeError(f"cleaner works on str, got {type(text).__name__}: pass the article text")


class Cleaner:
    """A configured cleaner: rules compiled once, reusable and thread-safe.

    Args:
        config: a :class:`CleanerConfig`; ``None`` for the defaults.
        **options: options to change on top of ``config`` (validated like the config).

    >>> Cleaner(min_score=95).config.min_score
    95.0
    """

    def __init__(self, config: CleanerConfig | None = None, /, **options: Any) -> None:
        cfg = config if config is not None else CleanerConfig()
        if not isinstance(cfg, CleanerConfig):
            raise TypeError(f"config must be a CleanerConfig, got {type(cfg).__name__}")
        if options:
            cfg = cfg.replace(**options)
        self.config: CleanerConfig = cfg
        self._rules: RuleEngine | None = RuleEngine(cfg) if cfg.rules else None

    def __repr__(self) -> str:
        return f"Cleaner({self.config!r})"

    def clean(self, text: str, *, doc_id: str | None = None) -> CleanResult:
        """Clean one document; returns the text and every removal with its reason.

        Args:
            text: the article text (``str``; decode bytes first).
            doc_id: an id used in error messages (e.g. a rule that timed out).
        """
        text = _check_text(text)
        cfg = self.config
        lines = split_lines(text)
        if not lines:
            return CleanResult(original=text, text="", removals=(), language=cfg.language)
        language = cfg.language
        removals: list[Removal] = []
        if self._rules is not None:
            if language is None:
                language = self._rules.detect_language(text)
            for hit in self._rules.find(text, lines, language, doc_id=doc_id):
                line = lines[hit.line]
                whole = hit.start <= line.start and hit.end >= line.end
                removals.append(
                    Removal(
                        start=hit.start,
                        end=hit.end,
                        text=text[hit.start : hit.end],
                        reason=Reason.BOILERPLATE,
                        unit="line" if whole else "span",
                        line=line.number,
                        method="rule",
                        score=100.0,
                        rule_id=hit.rule_id,
                        detail=f"{hit.rule_id} ({hit.scope}): {hit.description}",
                    )
                )
        if cfg.dedup:
            found = find_duplicates(text, lines, removals, cfg)
            removals.extend(found)
            if found:
                removals = self._leftovers(text, lines, removals, language, doc_id)
        removals.sort(key=lambda r: (r.start, r.end))
        out = assemble(text, removals, lines)
        return CleanResult(original=text, text=out, removals=tuple(removals), language=language)

    def _leftovers(
        self,
        text: str,
        lines: list[Line],
        removals: list[Removal],
        language: str | None,
        doc_id: str | None,
    ) -> list[Removal]:
        """All removals, with what the cuts left behind: boilerplate or repeats that only
        show once cut.

        Rules run before duplicates, so a promo glued to a repeated sentence ("... Photo:
        AP") is not a whole line for them; and what is left of a line after a cut can repeat
        a line kept elsewhere. So the document is looked at again as it now stands (only when
        a line lost part of its text): a rule may take what is left of such a line when it
        claims all of it, and repeats found in the new text go as well. This keeps a second
        clean from finding anything the first left behind (a line that was beside a removed
        repeat can be a stray copy once its neighbour is gone).
        """
        current = list(removals)
        for _ in range(_MAX_ROUNDS):
            now, where, cut_lines = _as_it_stands(text, lines, current)
            now_lines = split_lines(now)
            found: list[Removal] = []
            left = " (all that was left of the line once a repeat was cut)"
            if self._rules is not None and cut_lines:
                for hit in self._rules.find(now, now_lines, language, doc_id=doc_id):
                    target = now_lines[hit.line]
                    origin = lines[where[target.start][1]]
                    if origin.index not in cut_lines or (hit.start, hit.end) != (
                        target.start,
                        target.end,
                    ):
                        continue
                    for start, end in _runs(where, target.start, target.end):
                        found.append(
                            Removal(
                                start=start,
                                end=end,
                                text=text[start:end],
                                reason=Reason.BOILERPLATE,
                                unit="span",
                                line=origin.number,
                                method="rule",
                                rule_id=hit.rule_id,
                                detail=f"{hit.rule_id} ({hit.scope}): {hit.description}{left}",
                            )
                        )
            taken = {(r.start, r.end) for r in found}
            for r in find_duplicates(now, now_lines, [], self.config):
                dup = r.duplicate_of
                if dup is None:
                    continue
                d0, d1 = where[dup.start][0], where[dup.end - 1][0] + 1
                if d0 < 0 or d1 <= d0:
                    continue
                origin = lines[where[r.start][1]]
                for start, end in _runs(where, r.start, r.end):
                    if any(a < end and start < b for a, b in taken):
                        continue
                    found.append(
                        dataclasses.replace(
                            r,
                            start=start,
                            end=end,
                            text=text[start:end],
                            unit="span" if r.unit == "line" else r.unit,
                            line=origin.number,
                            duplicate_of=Span(d0, d1, text[d0:d1]),
                            detail=r.detail + left,
                        )
                    )
            if not found:
                break
            current = _boilerplate_copies(current, [r for r in found if r.rule_id]) + found
            current = repoint(current)
        return current

    def clean_text(self, text: str) -> str:
        """Clean one document and return only the cleaned text."""
        return self.clean(text).text

    def clean_many(self, texts: Iterable[str]) -> Iterator[CleanResult]:
        """Clean documents one after another (lazily), in order."""
        for text in texts:
            yield self.clean(text)


@functools.lru_cache(maxsize=16)
def _cleaner_for(config: CleanerConfig) -> Cleaner:
    return Cleaner(config)


def _resolve(config: CleanerConfig | None, options: dict[str, Any]) -> Cleaner:
    cfg = config if config is not None else CleanerConfig()
    if options:
        cfg = cfg.replace(**options)
    return _cleaner_for(cfg)


def clean(text: str, config: CleanerConfig | None = None, **options: Any) -> CleanResult:
    """Clean one document with ``config`` (or the defaults) and explain every removal.

    The compiled cleaner for a config is reused across calls.

    >>> clean("Short text.").text
    'Short text.'
    """
    return _resolve(config, options).clean(text)


def clean_text(text: str, config: CleanerConfig | None = None, **options: Any) -> str:
    """Like :func:`clean`, but return only the cleaned text.

    >>> clean_text("  ")
    ''
    """
    return _resolve(config, options).clean(text).text
