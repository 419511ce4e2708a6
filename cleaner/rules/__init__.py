"""The rules layer: boilerplate removal driven by rule packs (TOML data).

The pipeline uses exactly this interface:

* ``RuleEngine(config)`` compiles the packs named by the config once;
* ``engine.detect_language(text)`` returns an ISO 639-1 code or ``None``;
* ``engine.find(text, lines, language, doc_id=None)`` returns :class:`RuleHit` s.
"""

from __future__ import annotations

from .engine import RuleEngine, RuleHit

__all__ = ["RuleEngine", "RuleHit"]
