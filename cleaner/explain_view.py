"""A terminal view of one cleaned document: the text with removed spans marked, and why.

With colour (a terminal), removed spans are shown struck through in red with their number;
without colour they are wrapped in plain markers ``[-1 ... -]`` so the view survives a pipe
or a log file. A numbered list of reasons follows the text.

Example:
    >>> from cleaner.result import CleanResult, Reason, Removal
    >>> text = "Real news here.\\nREAD MORE: Promo"
    >>> cut = Removal(16, 32, "READ MORE: Promo", Reason.BOILERPLATE, "line", 1, "rule",
    ...               rule_id="en/read-more", detail="a promo line")
    >>> print(render(CleanResult(text, "Real news here.", (cut,)), color=False))
    Real news here.
    [-1 READ MORE: Promo -]
    <BLANKLINE>
    1 removal(s), 16 of 32 characters (50.0%)
      [1] line 2, boilerplate, rule en/read-more: a promo line
"""

from __future__ import annotations

from .result import CleanResult, Removal

__all__ = ["render"]

_RESET = "\x1b[0m"
_STYLES = {
    "boilerplate": "\x1b[9;31m",  # struck through, red
    "exact_duplicate": "\x1b[9;35m",  # magenta
    "near_duplicate": "\x1b[9;33m",  # yellow
    "contained": "\x1b[9;36m",  # cyan
    "moved": "\x1b[9;34m",  # blue
}
_TAG = "\x1b[1;7m"  # bold, reversed: the removal number


def _why(removal: Removal) -> str:
    parts = [f"line {removal.line + 1}", removal.reason.value]
    if removal.rule_id:
        parts.append(f"rule {removal.rule_id}")
    else:
        parts.append(f"{removal.method}, score {removal.score:.0f}")
    head = ", ".join(parts)
    if removal.detail:
        return f"{head}: {removal.detail}"
    if removal.duplicate_of is not None:
        return f"{head}: repeats {removal.duplicate_of.text[:80]!r}"
    return head


def render(result: CleanResult, *, color: bool) -> str:
    """The original text with every removed span marked, then the numbered reasons."""
    original = result.original
    pieces: list[str] = []
    position = 0
    for number, removal in enumerate(result.removals, 1):
        start = max(removal.start, position)  # overlapping removals: mark each character once
        if removal.end <= start:
            continue
        pieces.append(original[position:start])
        span = original[start : removal.end]
        if color:
            style = _STYLES.get(removal.reason.value, "\x1b[9m")
            # keep colours inside each line so a pager or a terminal resize does not bleed
            coloured = "\n".join(
                f"{style}{part}{_RESET}" if part else "" for part in span.split("\n")
            )
            pieces.append(f"{_TAG}[{number}]{_RESET}{coloured}")
        else:
            pieces.append(f"[-{number} {span} -]")
        position = removal.end
    pieces.append(original[position:])
    body = "".join(pieces).rstrip("\n")
    total = len(original)
    removed = result.removed_chars
    if not result.removals:
        return f"{body}\n\nNo removals."
    share = 100 * removed / total if total else 0.0
    lines = [
        body,
        "",
        f"{len(result.removals)} removal(s), {removed} of {total} characters ({share:.1f}%)",
    ]
    for number, removal in enumerate(result.removals, 1):
        tag = f"{_TAG}[{number}]{_RESET}" if color else f"[{number}]"
        lines.append(f"  {tag} {_why(removal)}")
    return "\n".join(lines)
