"""In-document duplicates (placeholder: finds nothing yet)."""

from __future__ import annotations

from collections.abc import Sequence

from .config import CleanerConfig
from .result import Removal
from .segment import Line


def find_duplicates(
    text: str, lines: Sequence[Line], prior: Sequence[Removal], config: CleanerConfig
) -> list[Removal]:
    return []
