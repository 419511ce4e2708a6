"""Build the cleaned text from the original and the removals: the one place output is made.

Detection steps only propose removals; this module turns ``(original, removals)`` into
text, keeping the original characters of everything that survives and the original
separators (a single newline stays a single newline, a blank line stays a blank line,
indentation and Markdown markers stay as they were).

Example:
    >>> from cleaner.assemble import assemble
    >>> from cleaner.result import Reason, Removal
    >>> text = "One.\\n\\nTwo. Three.\\n\\nFour."
    >>> cut = Removal(11, 17, "Three.", Reason.EXACT_DUPLICATE, "sentence", 2, "exact")
    >>> assemble(text, [cut])
    'One.\\n\\nTwo.\\n\\nFour.'
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Sequence

import regex

from . import _accel
from .result import Removal
from .segment import Line, split_lines

__all__ = ["assemble", "cut_line", "group_by_line"]

_NUMBER = operator.attrgetter("number")

_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")
_NEWLINES = regex.compile(r"^[\s]*[\n\r]")


def _newline_part(gap: str) -> str:
    """The separator part of a gap between two lines: up to and including its last newline."""
    last = max(gap.rfind("\n"), gap.rfind("\r"))
    return gap[: last + 1] if last >= 0 else gap


def _indent(original: str, line: Line) -> str:
    """The whitespace between the line's start and its first character."""
    begin = line.start
    while begin > 0 and original[begin - 1] not in "\n\r" and original[begin - 1].isspace():
        begin -= 1
    return original[begin : line.start]


def cut_line(original: str, line: Line, cuts: Sequence[Removal]) -> str | None:
    """The line's text with the cuts applied, or ``None`` when nothing worth keeping is left."""
    pieces: list[str] = []
    pos = line.start
    spans = sorted((max(r.start, line.start), min(r.end, line.end), r) for r in cuts)
    for s, e, removal in spans:
        if e <= pos:
            continue
        s = max(s, pos)
        # Eat the whitespace beside the cut: after it when text follows, else before it.
        after = e
        while after < line.end and original[after] in " \t\u00a0\u3000":
            after += 1
        if after < line.end and removal.replacement is None:
            e = after
        else:
            while s > pos and original[s - 1] in " \t\u00a0\u3000":
                s -= 1
        pieces.append(original[pos:s])
        if removal.replacement is not None:
            if pieces and pieces[-1] and not pieces[-1][-1].isspace():
                pieces.append(" ")
            pieces.append(removal.replacement)
        pos = e
    pieces.append(original[pos : line.end])
    out = "".join(pieces).strip()
    if not out or _HAS_WORD.search(out) is None:
        return None
    return out


def group_by_line(
    lines: Sequence[Line], removals: Iterable[Removal]
) -> tuple[set[int], dict[int, list[Removal]]]:
    """The ``Line.index`` of every line a removal takes whole, and the removals that cut
    only part of a line (or put a replacement in it), by ``Line.index``. (``lines`` are in
    order, as :func:`~cleaner.segment.split_lines` gives them.)"""
    whole: set[int] = set()
    cuts: dict[int, list[Removal]] = {}
    removals = removals if isinstance(removals, list) else list(removals)
    if not removals:
        return whole, cuts
    native = _accel.native
    if native is not None and isinstance(lines, list):
        return native.group_lines(lines, removals)  # (the loop below, in C)
    # a few removals (the usual case) find their lines by bisection; many, through a map
    by_number = {line.number: line for line in lines} if 4 * len(removals) > len(lines) else None
    for r in removals:
        if by_number is not None:
            target = by_number.get(r.line)
        else:
            k = bisect.bisect_left(lines, r.line, key=_NUMBER)
            target = lines[k] if k < len(lines) and lines[k].number == r.line else None
        if target is None:
            raise ValueError(f"removal {r.start}:{r.end} names line {r.line + 1}, which is blank")
        if r.replacement is None and r.start <= target.start and r.end >= target.end:
            whole.add(target.index)
        else:
            cuts.setdefault(target.index, []).append(r)
    return whole, cuts


def assemble(
    original: str,
    removals: Iterable[Removal],
    lines: Sequence[Line] | None = None,
    *,
    grouped: tuple[set[int], dict[int, list[Removal]]] | None = None,
) -> str:
    """Return ``original`` with ``removals`` taken out, separators preserved.

    A line that a removal covers whole is dropped with its separator; a line that loses
    only some sentences keeps the rest; a line left with no letters or digits is dropped.
    ``grouped``: ``group_by_line(lines, removals)`` (in any order), when the caller has it.
    """
    removals = list(removals)
    if not removals:
        if original.strip():
            return original  # the gaps between lines are all kept: the text as it was
        return ""
    if lines is None:
        lines = split_lines(original)
    if not lines:
        return ""
    whole, by_line = grouped if grouped is not None else group_by_line(lines, removals)
    native = _accel.native
    if native is not None and isinstance(lines, list):
        # the loop below, in C (cut lines still made by cut_line)
        return native.assemble_lines(original, lines, whole, by_line, cut_line)

    out: list[str] = []
    prev: Line | None = None
    sep = ""
    # A run of kept lines without cuts is copied from the original in one slice: between two
    # such neighbours the separator and indent written below add up to the gap itself.
    run_start = -1  # offset where the pending verbatim run begins (-1: none)
    run_end = 0
    for line in lines:
        index = line.index
        dropped = index in whole
        cuts = None if dropped else by_line.get(index)
        if prev is not None and index > 0:
            if run_start >= 0 and not dropped and not cuts and prev.index == index - 1:
                run_end = line.end
                prev = line
                continue
            gap = _newline_part(original[lines[index - 1].end : line.start])
            if gap.count("\n") + gap.count("\r") > sep.count("\n") + sep.count("\r"):
                sep = gap
        if dropped:
            continue
        kept = original[line.start : line.end] if not cuts else cut_line(original, line, cuts)
        if kept is None:
            continue
        if run_start >= 0:
            out.append(original[run_start:run_end])
            run_start = -1
        if prev is None:
            out.append(original[: line.start] if index == 0 else _indent(original, line))
        else:
            out.append(sep)
            out.append(_indent(original, line))
        if cuts:
            out.append(kept)
        else:
            run_start, run_end = line.start, line.end
        prev = line
        sep = ""
    if prev is None:
        return ""
    if run_start >= 0:
        out.append(original[run_start:run_end])
    out.append(original[lines[-1].end :])
    return "".join(out)
