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

import html
import re

import unicodedata

__all__ = ["fold", "key", "words"]

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


def _build_table() -> dict[int, str | None]:
    """Punctuation, symbols, separators and controls become spaces; invisibles vanish."""
    table: dict[int, str | None] = {}
    for cp in range(0x10000):
        cat = unicodedata.category(chr(cp))
        if cat[0] in "PSZC" and cp not in (0xD800,) and not (0xD800 <= cp <= 0xDFFF):
            table[cp] = " "
    for cp in range(0x1F000, 0x1FB00):  # emoji and pictographs
        table[cp] = " "
    for ch in _INVISIBLE:
        table[ord(ch)] = None
    return table


_TABLE = _build_table()
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff"
    "\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
_UNSPACED_RE = re.compile(f"[{_UNSPACED}]")
_UNSPACED_WORD_RE = re.compile(f"[{_UNSPACED}][\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*|[^\\s{_UNSPACED}]+")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")


def fold(text: str) -> str:
    """NFKC, entities, case folding; punctuation to spaces; invisible characters dropped."""
    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold().translate(_TABLE)


def words(text: str) -> list[str]:
    """The words of ``text`` after :func:`fold`, in order."""
    folded = fold(text)
    if _UNSPACED_RE.search(folded) is None:
        return folded.split()
    return _UNSPACED_WORD_RE.findall(folded)


def key(text: str) -> str:
    """The matching key of ``text``: its folded words joined by single spaces."""
    return " ".join(words(text))


