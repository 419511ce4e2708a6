"""What a clean returns: the text, and every removal with its reason.

Example:
    >>> import cleaner
    >>> text = "A sentence long enough to repeat.\\nA sentence long enough to repeat."
    >>> result = cleaner.clean(text)
    >>> result.text
    'A sentence long enough to repeat.'
    >>> [r.reason.value for r in result.removals]
    ['exact_duplicate']
    >>> result.replay() == result.text
    True
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._frozen import fast_init

__all__ = ["CleanResult", "Reason", "Removal", "Span"]


class Reason(str, enum.Enum):
    """Why a piece of text was removed (a short, countable reason string)."""

    EXACT_DUPLICATE = "exact_duplicate"
    """The same text (after key normalisation) stands earlier in the document."""
    NEAR_DUPLICATE = "near_duplicate"
    """Nearly the same text stands earlier (word-level RapidFuzz ratio >= ``min_score``)."""
    CONTAINED = "contained"
    """A shorter copy: (nearly) all its words stand, in order, in an earlier longer sentence."""
    BOILERPLATE = "boilerplate"
    """A rule of a rule pack matched (promo, sign-up, credit, share bar...)."""
    MOVED = "moved"
    """With ``keep="longest"``: the most complete copy, moved to the position of the first."""

    def __str__(self) -> str:
        return self.value


@fast_init
@dataclass(frozen=True)
class Span:
    """A piece of the original text: ``original[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@fast_init
@dataclass(frozen=True)
class Removal:
    """One removed piece of the input, and why.

    Attributes:
        start: offset of the first removed character in the original text.
        end: offset after the last removed character (``original[start:end] == text``).
        text: the removed text, exactly as it stood.
        reason: why it was removed.
        unit: ``"line"`` (a whole line), ``"sentence"`` or ``"span"`` (part of a line).
        line: 0-based number of the input line it stood on.
        method: how it was found: ``"exact"``, ``"all_pairs"``, ``"lsh"`` or ``"rule"``.
        score: 0-100 similarity to ``duplicate_of`` (100 for exact matches and rules).
        duplicate_of: the kept text this one repeats (``None`` for boilerplate).
        rule_id: the id of the rule that matched (boilerplate only), e.g. ``"en/read-more"``.
        replacement: text put in place of the removed text (only with ``keep="longest"``).
        detail: one human sentence saying why.
    """

    start: int
    end: int
    text: str
    reason: Reason
    unit: str
    line: int
    method: str
    score: float = 100.0
    duplicate_of: Span | None = None
    rule_id: str | None = None
    replacement: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of this removal."""
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason.value,
            "unit": self.unit,
            "line": self.line,
            "method": self.method,
            "score": round(self.score, 2),
            "duplicate_of": self.duplicate_of.to_dict() if self.duplicate_of else None,
            "rule_id": self.rule_id,
            "detail": self.detail,
        }
        if self.replacement is not None:
            out["replacement"] = self.replacement
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Removal:
        """Rebuild a removal from :meth:`to_dict` output."""
        dup = data.get("duplicate_of")
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            reason=Reason(data["reason"]),
            unit=str(data["unit"]),
            line=int(data["line"]),
            method=str(data["method"]),
            score=float(data.get("score", 100.0)),
            duplicate_of=Span(int(dup["start"]), int(dup["end"]), str(dup["text"]))
            if dup
            else None,
            rule_id=data.get("rule_id"),
            replacement=data.get("replacement"),
            detail=str(data.get("detail", "")),
        )


@fast_init
@dataclass(frozen=True)
class CleanResult:
    """The outcome of cleaning one document.

    Attributes:
        original: the input text, unchanged.
        text: the cleaned text (original characters of what was kept).
        removals: every removal, in document order.
        language: the language the rules used (given or detected), or ``None``.
    """

    original: str
    text: str
    removals: tuple[Removal, ...] = field(default_factory=tuple)
    language: str | None = None

    @property
    def changed(self) -> bool:
        """True when anything was removed."""
        return bool(self.removals)

    @property
    def removed_chars(self) -> int:
        """Number of original characters removed (not counting separators)."""
        return sum(r.end - r.start for r in self.removals)

    @property
    def stats(self) -> dict[str, Any]:
        """Counts: removals per reason and per rule, characters in, out and removed."""
        return _stats(self.removals, len(self.original), len(self.text))

    def replay(self) -> str:
        """Rebuild the cleaned text from the original and the removals alone.

        >>> import cleaner
        >>> r = cleaner.clean("Hello there.")
        >>> r.replay() == r.text
        True
        """
        from .assemble import assemble

        return assemble(self.original, self.removals)

    def to_dict(self, *, include_original: bool = False) -> dict[str, Any]:
        """A JSON-safe dict: ``text``, ``removals``, ``stats``, ``language``."""
        out: dict[str, Any] = {
            "text": self.text,
            "language": self.language,
            "removals": [r.to_dict() for r in self.removals],
            "stats": self.stats,
        }
        if include_original:
            out["original"] = self.original
        return out

    def explain(self, *, width: int = 100) -> str:
        """A readable table of what was removed and why.

        >>> import cleaner
        >>> print(cleaner.clean("Nothing to remove here.").explain())
        No removals: all 1 line(s) kept.
        """
        return _explain(self, width=width)

    def __str__(self) -> str:
        return self.text


def _stats(removals: Iterable[Removal], chars_in: int, chars_out: int) -> dict[str, Any]:
    by_reason: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    removed = 0
    for r in removals:
        by_reason[r.reason.value] += 1
        if r.rule_id:
            by_rule[r.rule_id] += 1
        removed += r.end - r.start
    return {
        "removals": sum(by_reason.values()),
        "by_reason": dict(sorted(by_reason.items())),
        "by_rule": dict(sorted(by_rule.items())),
        "chars_in": chars_in,
        "chars_out": chars_out,
        "chars_removed": removed,
    }


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _explain(result: CleanResult, *, width: int) -> str:
    n_lines = sum(1 for line in result.original.splitlines() if line.strip())
    if not result.removals:
        return f"No removals: all {n_lines} line(s) kept."
    width = max(width, 40)
    lines = [
        f"{len(result.removals)} removal(s), {result.removed_chars} of {len(result.original)} "
        f"characters; language: {result.language or 'unknown'}",
        "",
    ]
    for n, r in enumerate(result.removals, 1):
        what = r.rule_id if r.rule_id else r.method
        lines.append(
            f"{n:>3}. line {r.line + 1}, {r.unit}, {r.reason.value} ({what}, score {r.score:.0f})"
        )
        lines.append(f"     removed: {_shorten(r.text, width - 14)}")
        if r.duplicate_of is not None:
            lines.append(f"     repeats: {_shorten(r.duplicate_of.text, width - 14)}")
        if r.replacement is not None:
            lines.append(f"     now:     {_shorten(r.replacement, width - 14)}")
        if r.detail:
            lines.append(f"     why:     {_shorten(r.detail, width - 14)}")
    return "\n".join(lines)
