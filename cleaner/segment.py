"""Segmentation with character offsets.

Lines are the output unit; sentences are the matching unit. Offsets always point
into the original text, so whatever is kept is the original characters.

Example:
    >>> from cleaner.segment import split_lines, split_sentences
    >>> text = "Mr. Smith went to Washington. He arrived at 10 a.m. on Monday.\\n\\n- a list item"
    >>> for line in split_lines(text):
    ...     print(line.index, line.number, line.kind, line.text)
    0 0 text Mr. Smith went to Washington. He arrived at 10 a.m. on Monday.
    1 2 list - a list item
    >>> [text[s:e] for s, e in split_sentences(text, 0, 62)]
    ['Mr. Smith went to Washington.', 'He arrived at 10 a.m. on Monday.']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import regex

from . import _accel
from .normalize import code_point_flags

__all__ = ["Line", "line_kind", "split_lines", "split_sentences", "trim_spans"]


@dataclass(slots=True)
class Line:
    """One non-blank line of the input.

    Attributes:
        index: 0-based number among the non-blank lines.
        number: 0-based number of the line in the input, blank lines counted.
        start: offset of its first non-whitespace character in the original text.
        end: offset after its last non-whitespace character.
        text: ``original[start:end]``.
        kind: ``"text"``, ``"list"`` (Markdown list item), ``"heading"`` (``#`` heading),
            ``"table"`` (``|``-separated or tab-separated cells) or ``"quote"`` (``>`` quoted).
    """

    index: int
    number: int
    start: int
    end: int
    text: str
    kind: str


_LINE_RE = regex.compile(r"[^\n\r]+")
_KIND_RE = regex.compile(
    r"(?P<heading>\#{1,6}\s)|(?P<quote>>)|(?P<list>(?:[-*+•●▪◦·–]|\d{1,3}[.)])\s)|(?P<table>\|.*\|)",
)


_MARKERS = "#>-*+•●▪◦·–|0123456789"  # a line starting otherwise is text (or a tab table)
_MARKER_STARTS = frozenset(_MARKERS)


def line_kind(text: str) -> str:
    """The ``kind`` of a stripped, non-blank line (see :class:`Line`)."""
    if text[0] in _MARKER_STARTS:
        m = _KIND_RE.match(text)
        if m is not None:
            return m.lastgroup or "text"
    if "\t" in text and text.count("\t") >= 2:
        return "table"
    return "text"


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into its non-blank lines, with offsets (``\\n``, ``\\r\\n`` and ``\\r``)."""
    native = _accel.native
    if native is not None:
        # the same lines, made in C (text with \r goes the Python way)
        found = native.split_lines(text, Line, line_kind, _MARKERS)
        if found is not None:
            return found
    if "\r" in text:
        return _split_lines_any(text)
    out: list[Line] = []
    append = out.append
    pos = 0
    for number, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            append(
                Line(len(out), number, start, start + len(stripped), stripped, line_kind(stripped))
            )
        pos += len(raw) + 1
    return out


def _split_lines_any(text: str) -> list[Line]:
    """:func:`split_lines` for text with ``\\r`` line breaks too."""
    out: list[Line] = []
    number = 0
    prev_end = 0
    for m in _LINE_RE.finditer(text):
        s, e = m.span()
        gap = text[prev_end:s]
        number += gap.count("\n") + gap.count("\r") - gap.count("\r\n")
        prev_end = e
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = s + lead
        end = start + len(stripped)
        out.append(Line(len(out), number, start, end, stripped, line_kind(stripped)))
    return out


# Abbreviations after which a period does not end a sentence (compared casefolded, without
# the period). Kept short and general: titles, common Latin, months, units, corporate forms.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "rev",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "supt",
        "insp",
        "hon",
        "messrs",
        "mme",
        "mlle",
        "mm",
        "sra",
        "sr",
        "srta",
        "dott",
        "ing",
        "herr",
        "frau",
        "fr",
        "hr",
        "inc",
        "ltd",
        "co",
        "corp",
        "llc",
        "plc",
        "bros",
        "dept",
        "univ",
        "assn",
        "est",
        "vs",
        "v",
        "etc",
        "al",
        "eg",
        "ie",
        "cf",
        "viz",
        "approx",
        "ca",
        "ibid",
        "op",
        "cit",
        "no",
        "nos",
        "nr",
        "vol",
        "vols",
        "pp",
        "p",
        "fig",
        "figs",
        "ch",
        "chap",
        "sec",
        "art",
        "para",
        "ed",
        "eds",
        "op",
        "ref",
        "tel",
        "ext",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "mt",
        "ft",
        "ave",
        "blvd",
        "rd",
        "hwy",
        "am",
        "pm",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "d.c",
        "n.y",
        "l.a",
        "z.b",
        "bzw",
        "usw",
        "ggf",
        "vgl",
        "d.h",
        "u.a",
        "s.o",
    ]
)
# Abbreviations that only bind to a following number ("No. 5", "p. 12").
_NUMBER_ABBREVIATIONS = frozenset(
    ["no", "nos", "nr", "vol", "pp", "p", "fig", "figs", "ch", "chap", "sec", "art", "para", "op"]
)

_LONGEST_ABBREVIATION = max(len(a) for a in _ABBREVIATIONS | _NUMBER_ABBREVIATIONS)
# what the C core's split_sentences settles without asking _is_abbreviation (see there)
_ABBREVIATION_FACTS = (_LONGEST_ABBREVIATION, _ABBREVIATIONS, _NUMBER_ABBREVIATIONS)

# What may follow a latin-style stop and its space for a sentence to end there (shared with
# the C core's table: sentence_table).
_AFTER_STOP_CLASS = r"[\p{Lu}\p{Lt}\p{Lo}\p{N}\"'“‘«„(\[¿¡\-–—]"
_BOUNDARIES = (
    r"""
        (?P<stop>[.!?…]+|\.\.\.)            # latin-style stops, then closers, then space
        [\"'”’»)\]」』）]*
        (?P<space>\s+)
        (?="""
    + _AFTER_STOP_CLASS
    + r""")
      |
        [。！？!?．]+[」』”’）)]*\s*        # CJK full stops: no space needed
      |
        [।॥؟۔]+\s*                          # Devanagari danda, Arabic/Urdu question mark and stop
"""
)
_THAI_BOUNDARY = r"""
      |
        (?<=\p{Thai})\s+(?=\p{Thai})        # Thai: a space between Thai text ends a phrase
"""
_BOUNDARY_RE = regex.compile(f"(?:{_BOUNDARIES})", regex.VERBOSE)
# Only text that holds Thai takes the Thai alternative: its lookbehind, tried at every
# space, triples the cost of scanning other text (and cannot match there).
_BOUNDARY_THAI_RE = regex.compile(f"(?:{_BOUNDARIES}{_THAI_BOUNDARY})", regex.VERBOSE)
_THAI_RE = re.compile("[\u0e00-\u0e7f]")
_WORD_BEFORE_RE = regex.compile(r"([\w.]+)$")
# the same word matched backwards from its end: a fifth of the time of the search above,
# which tries every start in turn (``$`` also stands before a final newline, so a stop
# right after one is left to the search)
_WORD_ENDING_RE = regex.compile(r"(?r)[\w.]+")


def _is_abbreviation(text: str, stop_at: int, next_char: str) -> bool:
    """True when the period at ``text[stop_at]`` ends an abbreviation or an initial."""
    # Fast paths, same answer: a word of letters longer than any abbreviation (most sentence
    # ends), or a short word of letters after a space, needs no pattern.
    head = text[max(0, stop_at - _LONGEST_ABBREVIATION - 1) : stop_at]
    if head.isalpha() and len(head) > _LONGEST_ABBREVIATION:
        return False
    space = head.rfind(" ")
    if space >= 0 and head[space + 1 :].isalpha():
        return _abbreviation(head[space + 1 :].casefold(), next_char)
    if text[stop_at - 1 : stop_at] == "\n":
        m = _WORD_BEFORE_RE.search(text, max(0, stop_at - 32), stop_at)
    else:
        m = _WORD_ENDING_RE.match(text, max(0, stop_at - 32), stop_at)
    if m is None:
        return False
    return _abbreviation(m.group().casefold().rstrip("."), next_char)


def _abbreviation(word: str, next_char: str) -> bool:
    """Whether ``word`` (casefolded, without its final period) is an abbreviation or an
    initial before ``next_char``."""
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith", "A. B. Jones"
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return True  # "U.S", "e.g", "a.m"
    if word in _NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    return word in _ABBREVIATIONS


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one line) into sentences; returns ``(start, end)`` offsets.

    Handles abbreviations and initials, decimals, times and URLs (no space after their
    periods), quotes and brackets after the stop, ellipses, and the stops of Chinese,
    Japanese, Hindi, Arabic and Urdu; Thai phrases split at spaces.

    >>> s = "“It works.” She left. 价格上涨了。我们走吧！No. 5 is e.g. fine... Really?"
    >>> [s[a:b] for a, b in split_sentences(s)]
    ['“It works.”', 'She left.', '价格上涨了。', '我们走吧！', 'No. 5 is e.g. fine...', 'Really?']
    """
    if end is None:
        end = len(text)
    if start >= end:
        return []
    native = _accel.native
    if native is not None:
        # the same split in C, for text without Thai or characters past U+FFFF
        found = native.split_sentences(
            text, start, end, sentence_table(), _is_abbreviation, _ABBREVIATION_FACTS
        )
        if found is not None:
            return found
    out: list[tuple[int, int]] = []
    seg_start = start
    thai = _THAI_RE.search(text, start, end) is not None
    for m in (_BOUNDARY_THAI_RE if thai else _BOUNDARY_RE).finditer(text, start, end):
        stop = m.start("stop")
        closed = m.start("space") > m.end("stop")  # a quote or bracket closes the sentence
        if stop >= 0 and text[stop] == "." and m.end("stop") - stop == 1 and not closed:
            nxt = text[m.end()] if m.end() < end else ""
            if _is_abbreviation(text, stop, nxt):
                continue
        cut = m.start("space") if m.start("space") >= 0 else m.end()
        if m.start("stop") < 0:
            # CJK / danda / Thai: the sentence ends after the stop and its closers
            piece_end = m.end()
            while piece_end > seg_start and text[piece_end - 1].isspace():
                piece_end -= 1
            cut = piece_end
        if cut > seg_start:
            out.append((seg_start, cut))
        seg_start = m.end()
    if seg_start < end:
        out.append((seg_start, end))
    for s, e in out:
        if text[s].isspace() or text[e - 1].isspace():
            # the ends of the range given, or a space the patterns do not count as one
            # (``\x1c``-``\x1f``): trim
            return trim_spans(text, out)
    return out


def trim_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` without their surrounding whitespace; empty ones dropped."""
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


SENTENCE_SPACE = 1  # sentence_table: the regex module's \s
SENTENCE_AFTER_STOP = 2  # sentence_table: may follow a latin-style stop and its space


@functools.cache
def sentence_table() -> bytes:
    """For the C core's sentence split: a byte per code point below U+10000 with
    :data:`SENTENCE_SPACE` and :data:`SENTENCE_AFTER_STOP` set as the ``regex`` module (the one
    running here, with its Unicode tables) classes it in the boundary pattern above. Built
    once per process (~10 ms).

    >>> table = sentence_table()
    >>> table[ord(" ")], table[ord("A")], table[ord("a")], table[ord("“")]
    (1, 2, 0, 2)
    """
    return code_point_flags(
        (regex.compile(r"\s", regex.VERBOSE), SENTENCE_SPACE),
        (regex.compile(_AFTER_STOP_CLASS, regex.VERBOSE), SENTENCE_AFTER_STOP),
    )
