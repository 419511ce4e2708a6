"""Matching keys: how two pieces of text are compared. The output never changes.

A key is the text after NFKC, case folding, HTML entity decoding, removal of invisible
characters (zero-width space and joiners, soft hyphen, BOM), and with punctuation,
symbols, quotes, dashes and whitespace folded away. Words are what remains between
them. Each character of Chinese, Japanese, Thai, Lao, Khmer and Myanmar text is a word
of its own, since those scripts do not put spaces between words.

Example:
    >>> from cleaner.normalize import key, words
    >>> key("He said: “Don’t&nbsp;panic!”\\u200b")
    'he said don t panic'
    >>> key('He said: "Don\\'t panic!"') == key("HE SAID — DON’T PANIC")
    True
    >>> words("价格上涨 5%")
    ['价', '格', '上', '涨', '5']
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from array import array
from collections.abc import Callable
from typing import Any

from . import _accel

__all__ = [
    "FoldedText",
    "code_point_flags",
    "expansions",
    "fold",
    "has_unspaced",
    "in_place_table",
    "key",
    "lower_table",
    "normalized_fold_table",
    "words",
]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


# The 256-code-point blocks past the BMP that hold characters NFKC changes (mathematical
# alphanumerics, enclosed and segmented digits, CJK compatibility ideographs...); a test
# checks the list against the running Python's Unicode data.
_ASTRAL_NFKC_BLOCKS = (
    0x107, 0x1D1, 0x1D4, 0x1D5, 0x1D6, 0x1D7, 0x1EE, 0x1F1, 0x1F2, 0x1FB, 0x2F8, 0x2F9, 0x2FA,
)  # fmt: skip


_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff"
    "\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
_UNSPACED_RE = re.compile(f"[{_UNSPACED}]")


def _build_tables() -> tuple[dict[int, str | None], dict[int, str], str]:
    """Tables for folding.

    ``table``: punctuation, symbols, separators and controls become spaces; invisible
    characters vanish (used after NFKC and case folding). ``fast``: the same, plus every
    character whose NFKC form folds to one character (or to punctuation only) mapped
    straight to it, so a whole document folds in place with one ``translate``. ``care``:
    the characters that cannot fold in place (ligatures, fractions...): a document holding
    one takes the slower, exact path.
    """
    table: dict[int, str | None] = {}
    fast: dict[int, str] = {}
    care: list[str] = []
    category = unicodedata.category
    is_nfkc = unicodedata.is_normalized
    odd: list[str] = []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if category(ch)[0] in "PSZC":
            table[cp] = " "
        if cp >= 0xA0 and not is_nfkc("NFKC", ch):
            odd.append(ch)
    for cp in range(0x1F000, 0x1FB00):  # emoji and pictographs
        table[cp] = " "
    for block in _ASTRAL_NFKC_BLOCKS:  # math letters, segmented digits, CJK compatibility...
        for cp in range(block << 8, (block + 1) << 8):
            if not is_nfkc("NFKC", chr(cp)):
                odd.append(chr(cp))
    for ch in odd:
        folded = unicodedata.normalize("NFKC", ch).casefold().translate(table)
        if _UNSPACED_RE.search(folded) is not None:
            # folds into a script written without spaces (㆒ -> 一, ㋐ -> ア), which words()
            # splits per character: a text holding it cannot be split at spaces in place
            care.append(ch)
        elif len(folded) == 1:
            fast[ord(ch)] = folded
        elif not folded.strip():
            fast[ord(ch)] = " "
        else:
            care.append(ch)
    for ch in _INVISIBLE:
        table[ord(ch)] = None
        care.append(ch)
    merged: dict[int, str] = {k: v for k, v in table.items() if v is not None}
    merged.update(fast)
    return table, merged, "".join(sorted(set(care)))


_TABLE, _FAST_TABLE, _CARE = _build_tables()
# The same tables as lists indexed by code point: ``str.translate`` looks a list up without
# the dictionary miss (and its exception) on every letter, 2x faster on non-ASCII text.
# Code points past the end stay as they are, as with a dictionary miss.
_TABLE_LIST: list[str | int | None] = list(range(max(_TABLE) + 1))
_FAST_LIST: list[str | int | None] = list(range(max(_FAST_TABLE) + 1))
for _cp, _to in _TABLE.items():
    _TABLE_LIST[_cp] = _to
for _cp, _to in _FAST_TABLE.items():
    _FAST_LIST[_cp] = _to
_UNSPACED_WORD_RE = re.compile(
    f"[{_UNSPACED}][\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*|[^\\s{_UNSPACED}]+"
)
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")


def fold(text: str) -> str:
    """NFKC, entities, case folding; punctuation to spaces; invisible characters dropped."""
    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold().translate(_TABLE_LIST)


def words(text: str) -> list[str]:
    """The words of ``text`` after :func:`fold`, in order."""
    folded = fold(text)
    if _UNSPACED_RE.search(folded) is None:
        return folded.split()
    return _UNSPACED_WORD_RE.findall(folded)


def has_unspaced(text: str) -> bool:
    """True when ``text`` holds a script written without spaces between words (Chinese,
    Japanese, Thai, Lao, Khmer, Myanmar)."""
    native = _accel.native
    if native is not None:
        return native.has_unspaced(text, unspaced_flags())
    return _UNSPACED_RE.search(text) is not None


@functools.cache
def unspaced_flags() -> bytes:
    """For the C core: 1 for each code point below U+10000 that ``_UNSPACED_RE`` matches."""
    return code_point_flags((_UNSPACED_RE, 1))


def code_point_flags(*classes: tuple[Any, int]) -> bytes:
    """A byte per code point below U+10000: the bitwise or of the ``flag`` of every
    ``(pattern, flag)`` whose compiled pattern (``re`` or ``regex``) matches that character.
    How the C core's tables learn a character class from the very pattern that uses it.

    >>> table = code_point_flags((re.compile(r"[a-c]"), 1), (re.compile(r"[b-z]"), 2))
    >>> table[ord("a")], table[ord("b")], table[ord("z")], table[ord("A")]
    (1, 3, 2, 0)
    """
    chars = "".join(map(chr, range(0x10000)))
    table = bytearray(0x10000)
    for pattern, flag in classes:
        for m in pattern.finditer(chars):
            table[m.start()] |= flag
    return bytes(table)


def key(text: str) -> str:
    """The matching key of ``text``: its folded words joined by single spaces."""
    return " ".join(words(text))


# Past the BMP, a character class makes ``re`` test ranges one by one on every character:
# the few astral characters that need care are looked for only in text that has any.
_NEEDS_CARE_RE = re.compile(
    f"[{re.escape(''.join(c for c in _CARE if ord(c) < 0x10000))}{_UNSPACED}]"
    "|&(?:#\\d+|#x[0-9a-fA-F]+|[A-Za-z]\\w*);"
)
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_CARE = frozenset(c for c in _CARE if ord(c) >= 0x10000)


def _needs_care(text: str) -> bool:
    """Whether ``text`` cannot be folded in place (see :class:`FoldedText`)."""
    if _NEEDS_CARE_RE.search(text) is not None:
        return True
    return not _ASTRAL_CARE.isdisjoint(_ASTRAL_RE.findall(text))


class FoldedText:
    """A whole document folded once, so the words of any slice come cheaply.

    When folding keeps every character in place (no entity, invisible character, length-
    changing case fold, NFKC change, unspaced script or character that folds into one: the
    common case), the document is
    folded in one pass and slices are split directly; otherwise each slice is folded on
    its own. Either way ``words(start, end) == words(text[start:end])``.

    >>> doc = FoldedText("“Hello,” she said. ÉTÉ!")
    >>> doc.words(0, 18), doc.words(19, 23)
    (['hello', 'she', 'said'], ['été'])
    """

    __slots__ = ("_folded", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded: str | None = None
        if not _needs_care(text):
            folded = text.casefold()
            if len(folded) == len(text):
                self._folded = folded.translate(_FAST_LIST)

    @property
    def in_place(self) -> bool:
        """Whether the text folded in place (the fast path): then a space or a punctuation
        mark between two slices always separates words, so the words of adjacent slices
        that meet there add up to the words of the whole."""
        return self._folded is not None

    def words(self, start: int, end: int) -> list[str]:
        """The words of ``text[start:end]``."""
        if self._folded is not None:
            return self._folded[start:end].split()
        return words(self._text[start:end])


IN_PLACE_CARE = 0xFFFFFFFF  # in_place_table: a character that cannot fold in place


@functools.cache
def in_place_table() -> array[int]:
    """What :class:`FoldedText` folds each code point below U+10000 to on its fast path (its
    casefold, then the fold table), as unsigned 32-bit codes, with :data:`IN_PLACE_CARE`
    for a character that sends a text down the careful path (one that needs care, an
    unspaced script, a casefold longer than one character). For the C core, which folds a
    line with it in one pass; built once per process from the tables above (~30 ms).

    >>> table = in_place_table()
    >>> chr(table[ord("É")]), chr(table[ord("“")]), table[ord("ß")] == IN_PLACE_CARE
    ('é', ' ', True)
    """
    codes = array("I", [IN_PLACE_CARE]) * 0x10000
    for cp in range(0x10000):
        ch = chr(cp)
        folded = ch.casefold()  # (FoldedText's fast path, one character at a time)
        if len(folded) == 1 and not _needs_care(ch):
            codes[cp] = ord(folded.translate(_FAST_LIST))
    return codes


@functools.cache
def _canonical_decompositions() -> tuple[tuple[int, ...], ...]:
    """The canonical decomposition of every code point below U+10000 that has one (for
    :func:`normalized_fold_table` and :func:`expansions`; read once)."""
    found = []
    for cp in range(0x10000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and decomposition[0] != "<":
            found.append(tuple(int(part, 16) for part in decomposition.split()))
    return tuple(found)


@functools.cache
def normalized_fold_table() -> array[int]:
    """:func:`in_place_table`, with :data:`IN_PLACE_CARE` also for every character that can
    make a text not NFKC-normalized: one NFKC changes on its own, one with a combining class,
    and one that composes with the character before it (the second of a canonical pair, a
    Hangul vowel or final jamo). A text of the other characters is NFKC-normalized, so it
    folds in place exactly as :func:`words` folds it: for the C core's rough scan of a
    document that holds an unspaced script (built once, ~15 ms, when one comes).

    >>> table = normalized_fold_table()
    >>> chr(table[ord("É")]), table[0x0301] == IN_PLACE_CARE, table[ord("²")] == IN_PLACE_CARE
    ('é', True, True)
    """
    codes = array("I", in_place_table())
    seconds = _composing_seconds()
    for cp in range(0x10000):
        ch = chr(cp)
        if cp in seconds or unicodedata.combining(ch) or not unicodedata.is_normalized("NFKC", ch):
            codes[cp] = IN_PLACE_CARE
    return codes


@functools.cache
def _composing_seconds() -> frozenset[int]:
    """The code points that compose with the character before them: the second of a
    canonical pair, a Hangul vowel or final jamo (none past U+FFFF has a second below it)."""
    seconds = {0x1161 + k for k in range(21)} | {0x11A8 + k for k in range(27)}
    seconds.update(parts[1] for parts in _canonical_decompositions() if len(parts) == 2)
    return frozenset(seconds)


UNSPACED_FLAG = 0x80000000  # unspaced_fold_table: the character folds to an unspaced one


@functools.cache
def unspaced_fold_table() -> array[int]:
    """What :func:`fold` makes of each code point below U+10000, for the lines of a script
    written without spaces: a code per character that folds to one (or to whitespace only,
    as a space), marked with :data:`UNSPACED_FLAG` when that one is of such a script (which
    :func:`words` makes a word of its own), and :data:`IN_PLACE_CARE` for the others.

    A character is kept when what NFKC makes of it starts with a character that composes
    with nothing before it and has no combining class: NFKC of a text of kept characters
    is then the NFKC of each character end to end (a full-width ``（`` is ``(``, a
    half-width ``ｶ`` is ``カ``), and case folding and the fold table map each character on
    its own, so the text folds character by character, exactly as :func:`fold` folds it.
    For the C core's ``line_parts``, ``fold_parts`` and rough scan with ``unspaced``: the
    same words as :func:`words` (the tests compare them on every code point and on random
    text). Built once, when such a line comes.

    >>> table = unspaced_fold_table()
    >>> chr(table[ord("中")] & ~UNSPACED_FLAG), bool(table[ord("中")] & UNSPACED_FLAG)
    ('中', True)
    >>> chr(table[ord("Ａ")]), table[ord("（")] == table[ord("…")] == ord(" ")
    ('a', True)
    >>> table[0x0301] == table[0xFF9E] == table[ord("ß")] == IN_PLACE_CARE
    True
    """
    codes = array("I", [IN_PLACE_CARE]) * 0x10000
    unspaced, seconds = unspaced_flags(), _composing_seconds()
    normalize, combining = unicodedata.normalize, unicodedata.combining
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        normal = normalize("NFKC", chr(cp))
        if ord(normal[0]) in seconds or combining(normal[0]):
            continue
        folded = normal.casefold().translate(_TABLE_LIST)
        if len(folded) == 1:
            code = ord(folded)
            codes[cp] = code | UNSPACED_FLAG if code < 0x10000 and unspaced[code] else code
        elif folded and folded.isspace():
            codes[cp] = ord(" ")
    return codes


@functools.cache
def expansions() -> tuple[dict[int, str], re.Pattern[str]]:
    """Characters below U+10000 that cannot fold in place because they stand for more (or
    other) characters, as ``str.translate`` takes them, and a pattern that finds one: a
    text with them replaced folds to the same words (see :func:`words`) as the text itself,
    and often folds in place. Built once, when a line first needs it (~50 ms).

    Three kinds, each replaced by characters the in-place fold takes (no combining class, no
    NFKC change, none that composes with the character before it), or by none:

    * one that NFKC changes into a text that case folding leaves alone (``"½"`` is
      ``"1⁄2"``, ``"ﬁ"`` is ``"fi"``): NFKC of the replaced text is NFKC of the text (both
      decompose alike), which leaves it as it is if it is normalized;
    * one that NFKC leaves alone, with no decomposition, that composes with nothing, whose
      case fold is longer (``"ß"`` is ``"ss"``): the same case fold;
    * an invisible character (a zero-width space, a soft hyphen...), which folding drops:
      nothing. A text with them dropped that is NFKC-normalized is so on either side of
      each, and NFKC, case folding and the fold table act on either side alone.

    Not for a text holding ``&``: a replacement could make an entity (the caller checks).

    >>> table, pattern = expansions()
    >>> "½ ß ﬁ hy\\u00adphen".translate(table), pattern.search("plain") is None
    ('1⁄2 ss fi hyphen', True)
    """
    in_place, simple = in_place_table(), normalized_fold_table()
    # (the characters of canonical decompositions: either side of a pair composes)
    pairs = {cp for parts in _canonical_decompositions() for cp in parts}
    table: dict[int, str] = {}
    for cp in range(0x10000):
        if in_place[cp] != IN_PLACE_CARE or 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        normal = unicodedata.normalize("NFKC", ch)
        if normal != ch:
            if normal.casefold() != normal:
                continue
            stands_for = normal
        elif unicodedata.combining(ch) or unicodedata.decomposition(ch) or cp in pairs:
            continue
        else:
            stands_for = ch.casefold()
            if len(stands_for) < 2:
                continue
        if stands_for and all(
            ord(x) < 0x10000 and simple[ord(x)] != IN_PLACE_CARE for x in stands_for
        ):
            table[cp] = stands_for
    # the invisible characters stand for nothing: folding drops them (no combining class,
    # no decomposition, none composes: the text on either side folds as it would alone)
    for ch in _INVISIBLE:
        table[ord(ch)] = ""
    pattern = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")
    return table, pattern


@functools.cache
def casefold_table() -> array[int]:
    """``str.casefold`` of each code point below U+10000 as unsigned 32-bit codes, where it is
    one character; :data:`IN_PLACE_CARE` where it is longer (``"ß"`` folds to ``"ss"``). For
    the C core's rule scan, which folds a line with it for the rules' ``contains`` test and
    leaves a line holding such a character to ``str.casefold``. Built once (~10 ms).

    >>> table = casefold_table()
    >>> chr(table[ord("É")]), chr(table[ord("ς")]), table[ord("ß")] == IN_PLACE_CARE
    ('é', 'σ', True)
    """
    return _single_character_table(str.casefold)


@functools.cache
def lower_table() -> array[int]:
    """``str.lower`` of each code point below U+10000 as unsigned 32-bit codes, where it is
    one character whatever its neighbours; :data:`IN_PLACE_CARE` where it is not (a longer
    result such as that of "İ", or the final-sigma rule of "Σ"). For the C core, which
    lowers a line with it and leaves a line holding such a character to ``str.lower``.

    >>> table = lower_table()
    >>> chr(table[ord("É")]), table[ord("Σ")] == IN_PLACE_CARE
    ('é', True)
    """
    # (the one character whose lowercase depends on its neighbours: final sigma)
    return _single_character_table(str.lower, context=(0x03A3,))


def _single_character_table(
    convert: Callable[[str], str], context: tuple[int, ...] = ()
) -> array[int]:
    """``convert`` of each code point below U+10000 as unsigned 32-bit codes where it gives
    one character, :data:`IN_PLACE_CARE` where it gives more or the code point is one of
    ``context`` (converted by its neighbours)."""
    codes = array("I", [IN_PLACE_CARE]) * 0x10000
    for cp in range(0x10000):
        out = convert(chr(cp))
        if len(out) == 1 and cp not in context:
            codes[cp] = ord(out)
    return codes
