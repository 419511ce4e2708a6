"""A second look at a document once its repeats are cut.

Rules run before duplicates, so a promo glued onto a repeated sentence ("... Photo: AP")
is not a whole line for them; and what is left of a line after a cut, or a line whose
repeated neighbour is gone, can repeat a line kept elsewhere. So when duplicate removal
took anything, the document is looked at again *as it now stands*: a rule may take what is
left of a cut line (or a promo glued to it that only the shorter line shows), and repeats
found in the new text go too, mapped back to the original characters. This is what keeps a
second clean from finding anything the first left behind
(``clean(clean(x).text).text == clean(x).text``).

Example:
    >>> import cleaner
    >>> text = ("The council approved the new budget after a long debate.\\n"
    ...         "The council approved the new budget after a long debate. Photo: AP")
    >>> print(cleaner.clean(text, language="en").text)
    The council approved the new budget after a long debate.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import _accel
from .assemble import group_by_line
from .config import CleanerConfig
from .dedup import Memo, find_duplicates, repoint
from .result import Reason, Removal, Span
from .segment import Line, line_kind, trim_spans

if TYPE_CHECKING:
    from .rules import RuleEngine

__all__ = ["second_look"]

_MAX_ROUNDS = 3
_LEFT = " (all that was left of the line once a repeat was cut)"
_AFTER = " (seen once the other repeats were gone)"


class _Standing:
    """The document with removals taken out (one kept line per line, pieces of a cut line
    joined by a space), and the way back from its offsets to the original ones."""

    def __init__(
        self,
        text: str,
        lines: Sequence[Line],
        removals: Sequence[Removal],
        grouped: tuple[set[int], dict[int, list[Removal]]] | None = None,
    ) -> None:
        # (``grouped``: group_by_line(lines, removals), when the caller has it)
        whole, cuts = grouped if grouped is not None else group_by_line(lines, removals)
        self.segments: list[tuple[int, int, int, int]] = []  # now start, orig start, len, line
        # its lines, as split_lines(self.text) would give them (each kept line is one line),
        # but numbered as in the original (what explanations name)
        self.lines: list[Line] = []
        self.cut_now: list[int] = []  # the indices in self.lines of the lines that were cut
        self.cut_lines = set(cuts)  # ...and their Line.index in the original
        native = _accel.native
        if native is not None:
            # (the loop below, in C, given the cut lines' pieces: the same text and lines)
            # (``lines`` are split_lines', line k at place k, as the assembly takes them)
            cut_lines: dict[int, tuple[list[tuple[int, int]], list[str], str, str]] = {}
            for index, rs in cuts.items():
                if rs and index not in whole:
                    pieces = uncut(text, lines[index], rs)
                    texts = [text[s:e] for s, e in pieces]
                    joined = " ".join(texts)
                    cut_lines[index] = (pieces, texts, joined, line_kind(joined) if joined else "")
            made = native.standing_lines(
                lines if isinstance(lines, list) else list(lines), whole, cut_lines
            )
            self.text, self.segments, self.starts, self.lines, self.cut_now = made
            return
        parts: list[str] = []
        size = 0
        segments, out_lines = self.segments, self.lines
        for line in lines:
            if line.index in whole:
                continue
            cut = cuts.get(line.index)
            if not cut:  # (most lines: kept as they are, one segment)
                if parts:
                    parts.append("\n")
                    size += 1
                length = line.end - line.start
                segments.append((size, line.start, length, line.index))
                parts.append(line.text)
                n = len(out_lines)
                out_lines.append(Line(n, line.number, size, size + length, line.text, line.kind))
                size += length
                continue
            pieces = uncut(text, line, cut)
            kept: list[str] = []
            for k, (s, e) in enumerate(pieces):
                if k or parts:
                    parts.append("\n" if k == 0 else " ")
                    size += 1
                segments.append((size, s, e - s, line.index))
                kept.append(text[s:e])
                parts.append(kept[-1])
                size += e - s
            if kept:
                joined = " ".join(kept)
                n = len(out_lines)
                self.cut_now.append(n)
                out_lines.append(
                    Line(n, line.number, size - len(joined), size, joined, line_kind(joined))
                )
        self.text = "".join(parts)
        self.starts = [seg[0] for seg in self.segments]

    def line_at(self, pos: int) -> int:
        """``Line.index`` of the original line behind ``pos``."""
        return self.segments[max(0, bisect.bisect_right(self.starts, pos) - 1)][3]

    def runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The original spans behind ``text[start:end]``, contiguous ones merged."""
        out: list[tuple[int, int]] = []
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        while k < len(self.segments) and self.segments[k][0] < end:
            now, orig, length, _ = self.segments[k]
            a = orig + max(0, start - now)
            b = orig + min(length, end - now)
            if b > a:
                if out and out[-1][1] == a:
                    out[-1] = (out[-1][0], b)
                else:
                    out.append((a, b))
            k += 1
        return out


def _in_place_ok(text: str, memo: Memo) -> bool:
    """Whether the second look may search ``text`` itself when only whole lines went: not
    with an unspaced script in it (the rough words depend on whether the document holds
    one, and the lines taken might hold all of it)."""
    return not memo.has_unspaced(text)


def uncut(text: str, line: Line, cuts: Sequence[Removal]) -> list[tuple[int, int]]:
    """The pieces of ``line`` outside ``cuts``, trimmed of whitespace."""
    pieces: list[tuple[int, int]] = []
    pos = line.start
    for r in sorted(cuts, key=lambda r: r.start):
        if r.start > pos:
            pieces.append((pos, r.start))
        pos = max(pos, r.end)
    if pos < line.end:
        pieces.append((pos, line.end))
    return trim_spans(text, pieces)


def _boilerplate_copies(removals: list[Removal], claimed: list[Removal]) -> list[Removal]:
    """Copies of text that a rule has now claimed are boilerplate too (same rule), and so
    are copies of those copies."""
    while claimed:
        removals, claimed = _convert(removals, claimed)
    return removals


def _convert(
    removals: list[Removal], claimed: list[Removal]
) -> tuple[list[Removal], list[Removal]]:
    out = []
    converted = []
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
            converted.append(
                dataclasses.replace(
                    r,
                    reason=Reason.BOILERPLATE,
                    method="rule",
                    rule_id=rule.rule_id,
                    duplicate_of=None,
                    detail=f"repeats text that {rule.rule_id} removed: {rule.text[:60]}",
                )
            )
            out.append(converted[-1])
    return out, converted


def second_look(
    text: str,
    lines: Sequence[Line],
    removals: list[Removal],
    rules: RuleEngine | None,
    config: CleanerConfig,
    language: str | None,
    doc_id: str | None,
    memo: Memo | None = None,
) -> tuple[list[Removal], tuple[set[int], dict[int, list[Removal]]] | None]:
    """All removals, with what the cuts left behind added (see the module docstring), and
    ``group_by_line(lines, removals)`` of them when its last round made it (``None`` when
    not), for the assembly.

    ``memo`` is the one the first duplicate search of ``text`` filled (optional).
    """
    current = list(removals)
    if memo is None:
        memo = Memo.for_text(text)
    in_place = config.dedup and _in_place_ok(text, memo)
    grouped = None
    for _ in range(_MAX_ROUNDS):
        grouped = group_by_line(lines, current)
        if in_place and not grouped[1]:
            # Only whole lines went (the usual case): the text as it stands is the other
            # lines as they are, so the search runs on the text itself, without the lines
            # taken (the same lines, words and guards; no rule has a cut line to look at).
            more = [
                dataclasses.replace(r, detail=r.detail + _AFTER)
                for r in find_duplicates(text, lines, current, config, memo, grouped=grouped)
            ]
            if not more:
                return current, grouped
            current = repoint(current + more)
            continue
        now = _Standing(text, lines, current, grouped)
        memo.pieces_of(now.text, text)  # (no unspaced script in text: none in its pieces)
        now_lines = now.lines
        found: list[Removal] = []
        if rules is not None and now.cut_now:
            # (hits on the cut lines only: a cut line's text starts with a piece of its own)
            for hit in rules.find(now.text, now_lines, language, doc_id=doc_id, only=now.cut_now):
                origin = lines[now.line_at(now_lines[hit.line].start)]
                for start, end in now.runs(hit.start, hit.end):
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
                            detail=f"{hit.rule_id} ({hit.scope}): {hit.description}{_LEFT}",
                        )
                    )
        taken = [(r.start, r.end) for r in found]
        for r in find_duplicates(now.text, now_lines, [], config, memo) if config.dedup else []:
            dup = r.duplicate_of
            if dup is None:
                continue
            dup_runs = now.runs(dup.start, dup.end)
            if not dup_runs:
                continue
            d0, d1 = dup_runs[0][0], dup_runs[-1][1]
            origin = lines[now.line_at(r.start)]
            cut = origin.index in now.cut_lines
            for start, end in now.runs(r.start, r.end):
                if any(a < end and start < b for a, b in taken):
                    continue
                found.append(
                    dataclasses.replace(
                        r,
                        start=start,
                        end=end,
                        text=text[start:end],
                        unit="span" if r.unit == "line" and cut else r.unit,
                        line=origin.number,
                        duplicate_of=Span(d0, d1, text[d0:d1]),
                        detail=r.detail + (_LEFT if cut else _AFTER),
                    )
                )
        if not found:
            return current, grouped
        claimed = [r for r in found if r.rule_id]
        others = [r for r in found if not r.rule_id]
        current = _boilerplate_copies(current + others, claimed) + claimed
        current = repoint(current)
    return current, None  # (the last round changed them)
