"""The rules layer: boilerplate removal driven by rule packs (TOML data).

The pipeline uses exactly this interface:

* ``RuleEngine(config)`` compiles the packs named by the config once;
* ``engine.detect_language(text)`` returns an ISO 639-1 code or ``None``;
* ``engine.find(text, lines, language, doc_id=None)`` returns :class:`RuleHit` s.

Packs are read with :func:`load_pack` (a TOML file), :func:`load_builtin_pack` (a pack
shipped with cleaner) or built in code with :func:`pack_from_dict`; see docs/rules.md.

>>> from cleaner.rules import load_builtin_pack
>>> load_builtin_pack("en").rules[0].id
'en/read-more'
"""

from __future__ import annotations

from .engine import RuleEngine, RuleHit
from .language import detect_language
from .model import (
    Rule,
    RulePack,
    builtin_pack_names,
    check_rule,
    load_builtin_pack,
    load_pack,
    pack_from_dict,
    parse_pack,
)

__all__ = [
    "Rule",
    "RuleEngine",
    "RuleHit",
    "RulePack",
    "builtin_pack_names",
    "check_rule",
    "detect_language",
    "load_builtin_pack",
    "load_pack",
    "pack_from_dict",
    "parse_pack",
]
