"""Strings a rule's every match must contain, read off its pattern (a speed hint).

A rule whose pattern starts with a wildcard (``(?:\\S+\\s+){0,3}newsletter``) or with a word
every line may start with cannot be told apart by the first characters of a line, so it
would be tried on every line its length allows. Most such patterns still require one of a
few words somewhere; this module finds them, so that the rule is only tried on the lines
that hold one (the same test as a rule's ``contains`` list, which is given by hand).

The strings are *necessary*, never a guess: every match of the pattern contains one of
them, compared casefolded (see :func:`fold_for_hints`). Where the pattern cannot be read
(syntax only the ``regex`` module has) or nothing long enough is required, there is no hint
and the rule is tried as before: a hint only ever saves time.

Example:
    >>> required_literals(r"(?:assine|receba)[^\\n]{0,80}?(?:newsletter|boletim)")
    ('newsletter', 'boletim')
    >>> required_literals(r"(?:\\S+\\s+){0,3}Newsletter\\s*$")
    ('newsletter',)
    >>> required_literals(r"\\w+\\s+on") is None  # ("on": too short to be worth a test)
    True
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["MAX_STRINGS", "MIN_CHARS", "fold_for_hints", "required_literals"]

MIN_CHARS = 3  # each required string has at least this many characters...
MAX_STRINGS = 32  # ...and there are at most this many, or the hint is not worth a test

# the standard library's regular expression parser (its syntax is regex's, mostly), an
# internal module without type stubs: read as Any, and checked by the tests on every pack
_parser: Any
_sre: Any
try:
    _parser = importlib.import_module("re._parser")
    _sre = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    _parser = importlib.import_module("sre_parse")
    _sre = importlib.import_module("sre_constants")

# What the standard parser would read as literal text while the regex module does not:
# POSIX classes ("[[:alpha:]]"), and fuzzy-match constraints ("{e<=1}"), which also make
# the text before them approximate. A pattern with either gets no hint (nor, to be safe,
# one with an escaped brace before such text: "\\{e" could follow an escaped backslash).
_REGEX_ONLY = re.compile(r"\[:\^?\w+:\]|\{[^\d,}]")

# \p{...} and \P{...} (not after an escaped backslash)
_PROPERTY = re.compile(r"(?<!\\)\\[pP]\{[\w=&.-]+\}|(?<!\\)\\[pP][A-Z]")

_Factor = frozenset[str] | None  # one of these strings is in every match (None: unknown)

# (the opcodes of Python 3.11+ only are missing from 3.10's parser)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)
_REPEATS = tuple(
    op
    for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
    if op is not None
)


def fold_for_hints(text: str) -> str:
    """``text`` casefolded as the hints are compared with it.

    ``str.casefold`` and case-insensitive matching agree on every character but two: a
    pattern's ``i`` matches ``İ`` (which casefolds to ``i`` and a combining dot) and its
    ``I`` matches ``ı`` (which casefolds to itself). So both read as ``i`` here; the text
    only ever holds more hints this way, never fewer.

    >>> fold_for_hints("İLGİLİ Haberler"), fold_for_hints("Straße")
    ('ilgili haberler', 'strasse')
    """
    folded = text.casefold()
    if "\u0307" in folded or "ı" in folded:
        folded = folded.replace("\u0307", "").replace("ı", "i")
    return folded


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings (folded by :func:`fold_for_hints`), one of which stands in every match of
    ``pattern``; ``None`` when the pattern cannot be read or requires nothing of at least
    :data:`MIN_CHARS` characters (or more than :data:`MAX_STRINGS` alternatives). The same
    strings serve a case-sensitive rule: its matches are some of the case-insensitive ones."""
    # (a Unicode property is one character of a class, which requires no literal: read as
    # "." outside a class, and as a "." among the class's characters inside one)
    readable = _PROPERTY.sub(".", pattern)
    if _REGEX_ONLY.search(readable):
        return None  # (read differently by the two parsers: no hint)
    try:
        parsed = _parser.parse(readable, 0)
    except Exception:  # (syntax of the regex module alone: no hint)
        return None
    factor = _sequence(list(parsed))
    if not factor or not _worth(factor):
        return None
    return tuple(sorted(factor, key=lambda s: (-len(s), s)))


def _worth(factor: frozenset[str]) -> bool:
    return len(factor) <= MAX_STRINGS and min(map(len, factor)) >= MIN_CHARS


def _better(a: _Factor, b: _Factor) -> _Factor:
    """The more selective of two factors (either is required: the sequence holds both)."""
    if not a:
        return b if b else a
    if not b:
        return a
    key_a = (_worth(a), min(map(len, a)), -len(a))
    key_b = (_worth(b), min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: list[tuple[Any, Any]]) -> _Factor:
    """What a sequence of items requires: each run of literal characters, or what one of
    its items requires, whichever says most."""
    best: _Factor = None
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset({fold_for_hints("".join(run))}))
            run = []
        best = _better(best, _item(op, av))
    if run:
        best = _better(best, frozenset({fold_for_hints("".join(run))}))
    return best


def _item(op: Any, av: Any) -> _Factor:
    """What one (non-literal) item requires of the text it matches."""
    if op is _sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _ATOMIC:
        return _sequence(list(av))
    if op is _sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            factor = _sequence(list(alternative))
            if not factor:
                return None  # (an alternative that requires nothing)
            union |= factor
        return frozenset(union)
    if op in _REPEATS:
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else None
    # anything else (classes, wildcards, anchors, lookarounds) requires no literal here
    return None
