"""Rule engine (placeholder until the rules layer lands: it finds nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import CleanerConfig
from ..segment import Line

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
    """

    start: int
    end: int
    line: int
    rule_id: str
    scope: str
    description: str


class RuleEngine:
    """Compiles the configured rule packs once; finds boilerplate in documents."""

    def __init__(self, config: CleanerConfig) -> None:
        self.config = config

    def detect_language(self, text: str) -> str | None:
        """Return the ISO 639-1 code of ``text``, or ``None`` when unsure."""
        return None

    def find(
        self, text: str, lines: Sequence[Line], language: str | None, *, doc_id: str | None = None
    ) -> list[RuleHit]:
        """Return the rule hits in ``text`` (whose non-blank lines are ``lines``)."""
        return []
