"""The one frozen configuration object that holds every option.

Built once at the edge (API call, command line, TOML file), validated in
``__post_init__`` with messages that say what to do, and passed down whole.
Field names carry their unit: ``min_score`` is on RapidFuzz's 0-100 scale,
``lsh_threshold`` is a 0-1 Jaccard similarity, ``*_words`` count words and
``*_chars`` count characters.

Example:
    >>> from cleaner import CleanerConfig
    >>> cfg = CleanerConfig(min_score=92, keep="longest")
    >>> cfg.min_score
    92.0
    >>> cfg.replace(rules=False).rules
    False
    >>> CleanerConfig(min_score=150)
    Traceback (most recent call last):
    ...
    cleaner.errors.ConfigError: min_score must be between 0 and 100 (RapidFuzz scale), got 150
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["CleanerConfig", "KeepPolicy"]

KeepPolicy = Literal["first", "longest"]

_KEEP_CHOICES = ("first", "longest")


@dataclass(frozen=True)
class CleanerConfig:
    """Every option of a :class:`~cleaner.Cleaner`, frozen and validated.

    Duplicate removal:

    Attributes:
        dedup: remove repeated lines and sentences inside a document.
        keep: ``"first"`` keeps the first copy of a repeated segment;
            ``"longest"`` keeps the most complete copy, at the position of the first.
        min_score: near-duplicate cutoff on RapidFuzz's 0-100 scale (word-level
            ``fuzz.ratio`` of the matching keys). Pairs scoring at least this are duplicates.
        containment_min_score: 0-100 share of a shorter sentence's words that must appear,
            in order, inside an earlier longer sentence for it to count as contained.
        min_sentence_words: a sentence needs at least this many words to be removed as an
            exact repeat (shorter ones, such as "Yes." or "Photo:", are never duplicates).
        min_sentence_chars: the same guard in characters (after key normalisation).
        min_near_words: a sentence needs at least this many words to be matched as a near
            duplicate or as contained in another.
        max_numeric_share: 0-1 share of numeric words above which a segment is treated as
            data (table rows, recipes, scores) and never matched.
        lsh_min_segments: documents with at least this many sentences switch from
            all-pairs comparison to MinHash LSH candidates.
        lsh_threshold: 0-1 Jaccard similarity (of word shingles) the LSH index is tuned for.
        lsh_num_perm: number of MinHash permutations.
        seed: seed of the MinHash permutations (results are deterministic for a seed).

    Boilerplate rules:

    Attributes:
        rules: remove boilerplate (promos, sign-ups, credits...) with the rule packs.
        language: ISO 639-1 code of the text, or ``None`` to detect it per document.
        rule_packs: packs to load: ``"builtin"`` (all packs shipped with cleaner, gated by
            language), a built-in pack name (``"common"``, ``"en"``...) or a path to a TOML file.
        disabled_rules: rule ids to switch off (``"en/read-more"``).
        rule_timeout_seconds: time budget of one pattern on one line, for the rules of packs
            read from files or built in code (the built-in line rules are checked against
            backtracking by the test suite instead); a pattern that runs past it is reported
            instead of hanging the batch.
    """

    # duplicates
    dedup: bool = True
    keep: KeepPolicy = "first"
    min_score: float = 90.0
    containment_min_score: float = 90.0
    min_sentence_words: int = 5
    min_sentence_chars: int = 25
    min_near_words: int = 8
    max_numeric_share: float = 0.3
    lsh_min_segments: int = 600
    lsh_threshold: float = 0.5
    lsh_num_perm: int = 128
    seed: int = 1
    # rules
    rules: bool = True
    language: str | None = None
    rule_packs: tuple[str, ...] = ("builtin",)
    disabled_rules: tuple[str, ...] = field(default_factory=tuple)
    rule_timeout_seconds: float = 1.0

    def __post_init__(self) -> None:
        def fix(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        for name in ("dedup", "rules"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false, got {getattr(self, name)!r}")
        if self.keep not in _KEEP_CHOICES:
            raise ConfigError(f"keep must be one of {_KEEP_CHOICES}, got {self.keep!r}")
        for name in ("min_score", "containment_min_score"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{name} must be a number from 0 to 100, got {value!r}")
            if not 0 <= value <= 100:
                raise ConfigError(
                    f"{name} must be between 0 and 100 (RapidFuzz scale), got {value!r}"
                )
            fix(name, float(value))
        for name in ("lsh_threshold", "max_numeric_share"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{name} must be a number from 0 to 1, got {value!r}")
            if not 0 < value <= 1:
                raise ConfigError(f"{name} must be in (0, 1], got {value!r}")
            fix(name, float(value))
        for name, low in (
            ("min_sentence_words", 1),
            ("min_sentence_chars", 1),
            ("min_near_words", 2),
            ("lsh_min_segments", 2),
            ("lsh_num_perm", 16),
            ("seed", 0),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{name} must be a whole number, got {value!r}")
            if value < low:
                raise ConfigError(f"{name} must be at least {low}, got {value}")
        timeout = self.rule_timeout_seconds
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
            raise ConfigError(f"rule_timeout_seconds must be a positive number, got {timeout!r}")
        fix("rule_timeout_seconds", float(timeout))
        if self.language is not None:
            if not isinstance(self.language, str) or not self.language.strip():
                raise ConfigError(
                    f"language must be an ISO 639-1 code such as 'en', or None to detect it, "
                    f"got {self.language!r}"
                )
            fix("language", self.language.strip().lower())
        for name in ("rule_packs", "disabled_rules"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            try:
                items = tuple(str(v) if isinstance(v, Path) else v for v in value)
            except TypeError:
                raise ConfigError(f"{name} must be a list of strings, got {value!r}") from None
            if not all(isinstance(v, str) and v for v in items):
                raise ConfigError(f"{name} must be a list of non-empty strings, got {value!r}")
            fix(name, items)

    # ------------------------------------------------------------------ building
    def replace(self, **changes: Any) -> CleanerConfig:
        """Return a copy with some options changed (validated again).

        >>> CleanerConfig().replace(keep="longest").keep
        'longest'
        """
        unknown = sorted(set(changes) - _FIELD_NAMES)
        if unknown:
            raise ConfigError(_unknown_message(unknown))
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CleanerConfig:
        """Build a config from a mapping (as read from TOML or JSON); unknown keys are errors.

        >>> CleanerConfig.from_dict({"min_score": 95, "disabled_rules": ["en/read-more"]}).min_score
        95.0
        """
        if not isinstance(data, Mapping):
            raise ConfigError(f"a config must be a table of options, got {type(data).__name__}")
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key == "cleaner" and isinstance(value, Mapping):
                flat.update(value)  # allow a [cleaner] table
            else:
                flat[key.replace("-", "_")] = value
        unknown = sorted(set(flat) - _FIELD_NAMES)
        if unknown:
            raise ConfigError(_unknown_message(unknown))
        for key in ("rule_packs", "disabled_rules"):
            if key in flat and isinstance(flat[key], list):
                flat[key] = tuple(flat[key])
        return cls(**flat)

    @classmethod
    def from_toml(cls, path: str | Path) -> CleanerConfig:
        """Read a config from a TOML file (top-level keys or a ``[cleaner]`` table)."""
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{p}: config file not found") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: not valid TOML: {exc}") from None
        try:
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{p}: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        """Return the options as a JSON-safe dict (tuples become lists).

        >>> CleanerConfig().to_dict()["keep"]
        'first'
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


_FIELD_NAMES = frozenset(f.name for f in fields(CleanerConfig))


def _unknown_message(unknown: list[str]) -> str:
    import difflib

    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, sorted(_FIELD_NAMES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        parts.append(f"{name!r}{hint}")
    return f"unknown option(s) {', '.join(parts)}; known options: {', '.join(sorted(_FIELD_NAMES))}"
