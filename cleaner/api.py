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

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from . import _gcpause
from .assemble import assemble, group_by_line
from .config import CleanerConfig
from .dedup import Memo, find_duplicates
from .leftovers import second_look
from .result import CleanResult, Reason, Removal
from .rules import RuleEngine, RulePack
from .segment import split_lines

__all__ = ["Cleaner", "clean", "clean_text"]


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
        packs: rule packs built in code (:func:`cleaner.rules.pack_from_dict`), used beside
            the packs the config names.
        **options: options to change on top of ``config`` (validated like the config).

    >>> Cleaner(min_score=95).config.min_score
    95.0
    >>> from cleaner.rules import pack_from_dict
    >>> site = pack_from_dict({"pack": {"name": "mysite"}, "rules": [{"id": "tip-line",
    ...     "description": "The site's tip line", "scope": "line",
    ...     "phrases": ["Got a news tip? Email us"], "examples": ["Got a news tip? Email us."]}]})
    >>> Cleaner(packs=[site]).clean_text("The vote passed.\\nGot a news tip? Email us.")
    'The vote passed.'
    """

    def __init__(
        self,
        config: CleanerConfig | None = None,
        /,
        *,
        packs: Iterable[RulePack] = (),
        **options: Any,
    ) -> None:
        cfg = config if config is not None else CleanerConfig()
        if not isinstance(cfg, CleanerConfig):
            raise TypeError(f"config must be a CleanerConfig, got {type(cfg).__name__}")
        if options:
            cfg = cfg.replace(**options)
        self.config: CleanerConfig = cfg
        self._rules: RuleEngine | None = RuleEngine(cfg, tuple(packs)) if cfg.rules else None

    def __repr__(self) -> str:
        return f"Cleaner({self.config!r})"

    def clean(self, text: str, *, doc_id: str | None = None) -> CleanResult:
        """Clean one document; returns the text and every removal with its reason.

        A document of 100,000 characters or more is cleaned with Python's cyclic garbage
        collector paused (it would spend a quarter of the time re-scanning the search's
        short-lived objects); it is switched back on afterwards, also on an error, unless
        the caller had turned it off.

        Args:
            text: the article text (``str``; decode bytes first).
            doc_id: an id used in error messages (e.g. a rule that timed out).
        """
        text = _check_text(text)
        if len(text) < _gcpause.PAUSE_CHARS:
            # (paused() leaves such a document alone; calling it costs ~1.8 µs all the same)
            return self._clean(text, doc_id)
        with _gcpause.paused(len(text)):  # a long document: see cleaner._gcpause
            return self._clean(text, doc_id)

    def _clean(self, text: str, doc_id: str | None) -> CleanResult:
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
                # (Removal's fields by position: keywords cost ~1 µs a removal)
                removals.append(
                    Removal(
                        hit.start,  # start
                        hit.end,  # end
                        text[hit.start : hit.end],  # text
                        Reason.BOILERPLATE,  # reason
                        "line" if whole else "span",  # unit
                        line.number,  # line
                        "rule",  # method
                        100.0,  # score
                        None,  # duplicate_of
                        hit.rule_id,
                        None,  # replacement
                        f"{hit.rule_id} ({hit.scope}): {hit.description}",  # detail
                    )
                )
        found: list[Removal] = []
        memo = Memo.for_text(text)
        # (the removals by line: the search's, and the assembly's when nothing else goes)
        by_line = group_by_line(lines, removals)
        grouped: tuple[set[int], dict[int, list[Removal]]] | None = by_line
        if cfg.dedup:
            found = find_duplicates(text, lines, removals, cfg, memo, grouped=by_line)
            removals.extend(found)
        if found or by_line[1]:
            # what the cuts left behind: a promo left alone on its line, a new repeat
            removals, grouped = second_look(
                text, lines, removals, self._rules, cfg, language, doc_id, memo
            )
        removals.sort(key=lambda r: (r.start, r.end))
        out = assemble(text, removals, lines, grouped=grouped)
        return CleanResult(text, out, tuple(removals), language)  # (by position: see above)

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


@functools.cache
def _default_cleaner() -> Cleaner:
    return _cleaner_for(CleanerConfig())


def _resolve(config: CleanerConfig | None, options: dict[str, Any]) -> Cleaner:
    if config is None and not options:
        # the defaults, without building and comparing a configuration on every call
        # (that alone cost ~7 µs, most of it validating a new CleanerConfig)
        return _default_cleaner()
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
