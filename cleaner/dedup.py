"""Duplicates inside one document: exact, near, and shortened (contained) copies.

Lines are the output unit and sentences the matching unit. The steps:

1. **Keys.** Each sentence gets a matching key (:mod:`cleaner.normalize`). Fuzzy
   matching hands RapidFuzz the segments' word lists, so it compares them word by word,
   in C, with no Python loop over pairs (on the LSH path every distinct word of the
   document becomes one character, the same in every process, for the signatures).
2. **Guards.** Only prose can be a duplicate: a segment needs ``min_sentence_words``
   words and ``min_sentence_chars`` characters and at most ``max_numeric_share``
   numbers; a single sentence must end with a stop (or be followed by another one).
   List items, headings, table rows and quoted (``>``) lines, short lines of questions
   only (the question before each interviewee's answer) and short lines without a stop
   (feature bullets, captions, field labels) are the frame of a structure and never match.
   Short lines seen four times or more that make up 5% of the lines or more mark the
   document as *structured* (a meal plan, an interview): there only long, multi-sentence
   paragraphs and long sentences can go.
3. **Sentences.** A sentence repeated exactly goes, even out of a line with new text
   (a sentence glued onto a later paragraph), and so does a near copy. A contained copy
   (a later, shorter sentence whose words stand, in order, in an earlier one) goes only
   from a line that is all repeated material with at least one exact or near copy beside
   it; a line that is only a shortened sentence (a heading, a teaser, a summary) stays:
   when in doubt, keep. An earlier sentence that stands word for word inside a later one
   (glued on with no stop between) is cut out of it, and a later sentence that stands
   word for word inside an earlier one (a piece of it, split off) goes from the end of a
   line with other text (where it was glued on); on a line of its own it is a pull quote
   or a summary, and stays. A short heading glued onto a later paragraph goes too.
4. **Lines**, last. A line repeated exactly, or nearly (word-level ratio ``>= min_score``),
   goes as one removal pointing at a line that is still there; its sentence-level
   removals give way to it. This also takes lines whose sentences cannot match one by one
   (mostly numbers, no stops).

Fuzzy candidates come from all pairs (``rapidfuzz.process.cdist``) in ordinary documents
and from MinHash LSH (:mod:`cleaner.lsh`) in long ones, re-scored with the same scorer.
A copy always points at a kept, earlier segment (``duplicate_of``).

Example:
    >>> from cleaner import CleanerConfig
    >>> from cleaner.segment import split_lines
    >>> text = ("The country shares a maritime border with both Ukraine and Russia.\\n"
    ...         "Officials said the talks would continue next week in Ankara.\\n"
    ...         "The country shares a maritime border with both Ukraine and Russia.")
    >>> found = find_duplicates(text, split_lines(text), [], CleanerConfig())
    >>> [(r.reason.value, r.line) for r in found]
    [('exact_duplicate', 2)]
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, cast

import regex
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from . import _accel
from .assemble import group_by_line
from .config import CleanerConfig
from .lsh import (
    MAX_BUCKET,
    SignatureCache,
    add_unions,
    candidate_pairs_and_bucket,
    candidate_pairs_with,
)
from .normalize import (
    FoldedText,
    expansions,
    has_unspaced,
    in_place_table,
    lower_table,
    normalized_fold_table,
    unspaced_flags,
    unspaced_fold_table,
    words,
)
from .result import Reason, Removal, Span
from .segment import _ABBREVIATION_FACTS, Line, _is_abbreviation, sentence_table, split_sentences

if TYPE_CHECKING:  # (numpy is imported where a long document's LSH search needs it)
    import numpy as np

__all__ = ["Memo", "find_duplicates", "repoint"]

_STOP_CHARS = ".!?…。！？।॥؟۔．"
_STOPS = frozenset(_STOP_CHARS)
_QUESTION_CHARS = "?？;؟"
_QUESTION_MARKS = frozenset(_QUESTION_CHARS)
_ATTRIBUTION_MARKS = "—–-~"  # "— Name (@handle) date": an attribution, not a heading
_CLOSERS = "\"'”’»)]」』）›"
_FRAME_KINDS = frozenset(("list", "heading", "table", "quote"))
_FRAME_COPIES = 4  # a short line seen this many times is the frame of a structure
_FRAME_MIN_WORDS = 3  # ...if it has at least this many words (not a lone "Advertisement")
_STRUCTURED_SHARE = 0.05  # frames make a document structured from this share of its lines
_LONG_LINE_WORDS = 15  # a line this long is prose even without a final stop
_STRUCTURED_MIN_WORDS = 20  # in a structured document, shorter paragraphs always stay
_STRUCTURED_MIN_SENTENCE_WORDS = 15  # ...and shorter sentences too
_SHORT_COPY_MIN_WORDS = 4  # a stray copy of a heading needs this many words
_GLUED_MIN_WORDS = 5  # ...and this many when glued onto another line
KEEP_WORDS_CHARS = 4_000_000  # a longer document's memo keeps keys only (memory; pure Python)
_TEXT = operator.attrgetter("text")
_NGRAM = 4  # copies share runs of this many words with their original...
_MIN_SHARED_GRAMS = 2  # ...at least this many of them


@dataclass(slots=True)
class _Unit:
    """A line or a sentence, as the matcher sees it."""

    line: int  # Line.index
    number: int  # Line.number (input line, blank lines counted)
    start: int
    end: int
    key: str
    n_words: int
    eligible: bool  # may be removed as an exact repeat
    near: bool  # may be matched as a near or contained copy
    kept_words: list[str] | None  # the words of key (None: split key when asked)
    removed: bool = False
    # for lines: their sentence ids; a sentence's is the one empty tuple (not a new list
    # for each of a long document's sentences: ~12,700 a search at 10,000 paragraphs)
    sentences: Sequence[int] = ()
    short: bool = False  # a short line without a stop, allowed as a stray copy

    @property
    def words(self) -> list[str]:
        """The words of ``key`` (kept, or split off the key: words hold no spaces)."""
        return self.kept_words if self.kept_words is not None else _split_key(self.key)


class _Repeat:
    """A sentence that step 1 of :func:`find_duplicates` found repeated exactly, made into
    its :class:`Removal` only if it stays: most such sentences fill a line that step 5 then
    takes whole, and give way to that line's removal (a removal costs ~4 µs to make, its
    text, span and explanation included; this ~0.3 µs).

    Until then the steps read a removal's ``start`` and ``end`` only."""

    __slots__ = ("end", "original", "sentence", "start")

    def __init__(self, sentence: _Unit, original: _Unit) -> None:
        self.start = sentence.start
        self.end = sentence.end
        self.sentence = sentence
        self.original = original

    def removal(self, text: str) -> Removal:
        """The removal step 1 would have made."""
        return _sentence_removal(
            text, self.sentence, self.original, Reason.EXACT_DUPLICATE, "exact", 100.0
        )


def _ends_with_stop(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _STOPS


_NUMBER_WORD_RE = re.compile(r"(?:^| )\d")


def _numeric_share(ws: list[str], key: str) -> float:
    """Share of words that start with a digit (``key`` is ``" ".join(ws)``)."""
    if not ws or key.replace(" ", "").isalpha():
        return 0.0  # (letters only: no number, the common case, without a pattern)
    return len(_NUMBER_WORD_RE.findall(key)) / len(ws)


def _candidate_lines(line_words: list[list[str]]) -> set[int]:
    """Lines holding two or more runs of ``_NGRAM`` words that stand elsewhere in the document.

    Every exact, near, contained or embedded copy that the guards allow shares at least two
    such runs with its original (five words hold two runs of four; one changed word in ten
    leaves three), so the sentence-level work is done on these lines only, and a phrase
    that merely recurs ("one of the most") does not make a line a candidate. (Whole short
    lines that repeat are added by the caller.) The C core does it in one pass; without it,
    :func:`_candidate_lines_numpy`.
    """
    native = _accel.native
    if native is not None:
        return set(native.repeated_runs(line_words, _NGRAM, _MIN_SHARED_GRAMS))
    return _candidate_lines_numpy(line_words)


def _candidate_lines_numpy(line_words: list[list[str]]) -> set[int]:
    """:func:`_candidate_lines` vectorised with numpy: one hash per word, arrays for the rest."""
    import numpy as np

    lengths = np.fromiter(map(len, line_words), dtype=np.int64, count=len(line_words))
    total = int(lengths.sum())
    if total < _NGRAM:
        return set()
    h = np.fromiter(map(hash, chain.from_iterable(line_words)), dtype=np.int64, count=total)
    line_of = np.repeat(np.arange(len(line_words), dtype=np.int64), lengths)
    # (array arithmetic wraps around silently: no errstate needed)
    grams = h[: total - _NGRAM + 1] * np.int64(0x9E3779B1)
    for k in range(1, _NGRAM):
        grams = (grams ^ h[k : total - _NGRAM + 1 + k]) * np.int64(0x100000001B3)
    same_line = line_of[: total - _NGRAM + 1] == line_of[_NGRAM - 1 :]
    grams = grams[same_line]
    if len(grams) == 0:
        return set()
    # a run that stands more than once: equal to a neighbour once sorted
    order = np.argsort(grams)
    ranked = grams[order]
    same = ranked[1:] == ranked[:-1]
    repeated = np.zeros(len(grams), dtype=bool)
    repeated[order[1:][same]] = True
    repeated[order[:-1][same]] = True
    starts = np.flatnonzero(same_line)[repeated]
    per_line = np.bincount(line_of[starts], minlength=len(line_words))
    return set(np.flatnonzero(per_line >= _MIN_SHARED_GRAMS).tolist())


class Memo:
    """What the duplicate search learns about lines, kept across the searches of one document
    (the second look searches the text again once repeats are cut; most lines are the same).

    Maps a line's text to its rough words and key (one table per way of splitting), each
    word to the character that stands for it in fuzzy matching (and each unit's key to its
    string of such characters), a line's text to what it alone decides
    (:class:`_LineParts`), and each segment string to its MinHash signature.

    ``keep_words=False`` (with the C core, and for a very long document) keeps keys but not
    word lists, and the units of a search hold none either: the words would cost more
    memory (and time) than they save (a key splits back into its words exactly, since
    words hold no spaces, when the few steps that need words ask for them). The answer is
    the same either way.
    """

    __slots__ = (
        "_plain",
        "_unspaced_in",
        "chars",
        "keep_words",
        "lsh_pairs",
        "pairs",
        "parts",
        "rough",
        "signatures",
        "spaced",
        "strings",
        "unspaced",
        "verified",
    )

    def __init__(self, *, keep_words: bool = True) -> None:
        self.keep_words = keep_words
        self.parts: dict[str, tuple[_LineParts, list[str] | None, list[list[str]] | None]] = {}
        self.signatures = SignatureCache()
        self.spaced: dict[str, tuple[list[str] | None, str]] = {}
        self.unspaced: dict[str, tuple[list[str] | None, str]] = {}
        self.chars = _WordChars()
        self.strings: dict[str, str] = {}  # a unit's key -> its word string (see chars)
        # the last all-pairs search of each kind (contained or not): its units' keys and
        # its matches, by position (see _reused)
        self.pairs: dict[bool, tuple[list[str], list[_Match]]] = {}
        # the last LSH search of each kind: its units' keys, its matches, its largest
        # bucket and the signature cache it used (see _lsh_reused)
        self.lsh_pairs: dict[bool, tuple[list[str], list[_Match], int, SignatureCache]] = {}
        self._unspaced_in: tuple[str, bool] | None = None  # (a text, has_unspaced(text))
        self._plain: str | None = None  # a text made of pieces of one that holds none
        self.rough: object = None  # the C core's last rough scan (its ``previous``)
        # the LSH candidate pairs verified so far, by their strings' rows in ``signatures``
        # (that cache, the pairs' codes in order, their common word counts: see _pair_scores)
        self.verified: tuple[SignatureCache, np.ndarray, np.ndarray] | None = None

    def has_unspaced(self, text: str) -> bool:
        """:func:`~cleaner.normalize.has_unspaced` of ``text``, the last answer kept (the
        searches and the second look of a document ask it of the same text).

        >>> memo = Memo()
        >>> memo.has_unspaced("plain text"), memo.has_unspaced("价格上涨了")
        (False, True)
        """
        known = self._unspaced_in
        if known is not None and known[0] is text:
            return known[1]
        if text is self._plain:
            return False
        found = has_unspaced(text)
        self._unspaced_in = (text, found)
        return found

    def pieces_of(self, text: str, source: str) -> None:
        """Note that ``text`` is made of pieces of ``source`` joined by spaces and line
        breaks (the second look's text as it stands): when ``source`` is known to hold no
        unspaced script, neither does ``text``, and :meth:`has_unspaced` says so without
        reading it.

        >>> memo = Memo()
        >>> memo.has_unspaced("plain text, no CJK")
        False
        >>> memo.pieces_of("plain no CJK", "plain text, no CJK")
        >>> memo.has_unspaced("plain no CJK"), memo.has_unspaced("价格上涨了")
        (False, True)
        """
        known = self._unspaced_in
        if known is not None and known[0] is source and not known[1]:
            self._plain = text

    def unspaced_words(self, text: str) -> list[str]:
        """The rough words of a line of a document holding an unspaced script, for the C
        core's rough scan of the lines it cannot fold (kept, as the twin keeps them)."""
        known = self.unspaced.get(text)
        if known is not None:
            kept_words, key = known
            return kept_words if kept_words is not None else _split_key(key)
        # (the rough scan asks only for a line its unspaced table could not fold)
        ws = _words_in_unspaced_document(text, unspaced_tried=True)
        self.unspaced[text] = (ws if self.keep_words else None, " ".join(ws))
        return ws

    @classmethod
    def for_text(cls, text: str) -> Memo:
        """A memo for ``text``: word lists kept only for the pure-Python path, and below
        :data:`KEEP_WORDS_CHARS` characters.

        With the C core, the words of a unit are only ever read off its key: by the
        all-pairs search, the characters that stand for words and the heading test that
        splits a key only when its first or last word leads on. Word lists would cost a str
        per word (half a million in a 10,000-paragraph document) for nothing.

        >>> from cleaner import _accel
        >>> Memo.for_text("short").keep_words == (_accel.native is None)
        True
        """
        return cls(keep_words=_accel.native is None and len(text) <= KEEP_WORDS_CHARS)


def _rough_words(text: str) -> list[str]:
    return text.lower().split()


def _collect(
    text: str,
    lines: Sequence[Line],
    blocked: set[int],
    config: CleanerConfig,
    memo: Memo,
) -> tuple[list[_Unit], list[_Unit], bool, tuple[list[Line], list[int], list[str], list[int]]]:
    """Line and sentence units of the lines that can hold a copy, with guards; whether the
    document is structured (a short line seen ``_FRAME_COPIES`` times or more); and the open
    lines with their rough word counts and keys, and how often each rough key stands."""
    open_lines = [line for line in lines if line.index not in blocked] if blocked else list(lines)
    # Rough words (lower case, split at spaces) find the candidate lines and count copies
    # cheaply; only candidate lines get the full matching keys. Unspaced scripts (Chinese,
    # Japanese, Thai...) need the full word split from the start.
    unspaced = memo.has_unspaced(text)
    native = _accel.native
    if native is not None:
        # the same keys, counts, candidates and copies in one C pass, without a string per
        # word (unspaced: the lines the C core cannot fold get their words from Python)
        # (a line the last scan of this document met takes its keys from there: the second
        # look scans the same line objects again, but for those taken)
        texts = list(map(_TEXT, open_lines))
        if unspaced:
            rough_keys, word_counts, found, copies, memo.rough = native.rough_scan(
                texts,
                _NGRAM,
                _MIN_SHARED_GRAMS,
                normalized_fold_table(),
                memo.unspaced_words,
                memo.rough,
                unspaced_fold_table(),
            )
        else:
            rough_keys, word_counts, found, copies, memo.rough = native.rough_scan(
                texts, _NGRAM, _MIN_SHARED_GRAMS, lower_table(), None, memo.rough
            )
        candidates = set(found)
    else:
        rough_keys, word_counts, candidates, copies = _rough_scan(open_lines, memo, unspaced)
    # (copies[p]: how many open lines have the rough key of line p)
    most = max(copies) if copies else 0  # (a keyword makes max() parse its arguments slowly)
    frame_lines = (
        sum(
            1
            for p, n in enumerate(copies)
            if n >= _FRAME_COPIES
            and rough_keys[p]
            and _FRAME_MIN_WORDS <= word_counts[p] < _STRUCTURED_MIN_WORDS
        )
        if most >= _FRAME_COPIES
        else 0
    )
    # structured when frames are a real part of the document, not a few recurring widgets
    # in a long thread
    structured = frame_lines > 0 and frame_lines >= _STRUCTURED_SHARE * len(open_lines)
    if most > 1:
        candidates.update(p for p, n in enumerate(copies) if n > 1 and rough_keys[p])
    line_units: list[_Unit] = []
    sentences: list[_Unit] = []
    min_near = config.min_near_words
    parts_of = memo.parts
    keep = memo.keep_words
    positions = sorted(candidates)

    def fill(line: Line) -> tuple[_LineParts, list[str] | None, list[list[str]] | None]:
        """The parts of a line the memo does not know yet, stored."""
        fresh = _line_parts(line, config)
        # keys only: no word lists kept, and units split their keys when asked (rarely)
        known = parts_of[line.text] = fresh if keep else (fresh[0], None, None)
        return known

    if native is not None and positions:
        # (the loop below, in C: the same units)
        line_units, sentences = native.collect_units(
            open_lines,
            positions,
            copies,
            parts_of,
            fill,
            _Unit,
            min_near,
            _FRAME_COPIES,
            _STRUCTURED_MIN_WORDS,
            _SHORT_COPY_MIN_WORDS,
            _ATTRIBUTION_MARKS,
            _parts_args(config, keep),
        )
        positions = []
    for pos in positions:
        line = open_lines[pos]
        known_parts = parts_of.get(line.text)
        if known_parts is None:
            known_parts = fill(line)
        parts, lws, sentence_words = known_parts
        n = parts.size
        seen_times = copies[pos]
        # a recurring line, or a short line of questions only: a frame, none of whose
        # sentences may go
        silenced = (seen_times >= _FRAME_COPIES and n < _STRUCTURED_MIN_WORDS) or parts.questions
        frame = parts.frame or silenced
        prose = parts.prose
        unit_short = False
        if (
            not prose
            and not frame
            and line.kind == "text"
            and n >= _SHORT_COPY_MIN_WORDS
            and line.text[0] not in _ATTRIBUTION_MARKS
            and "@" not in line.text
        ):
            # A short line without a stop (a heading, a caption) seen exactly twice, with
            # no repeated line beside either copy, is a stray copy, not a structure.
            prose = seen_times <= 2 and all(
                copies[p] == 1 for p in (pos - 1, pos + 1) if 0 <= p < len(rough_keys)
            )
            unit_short = prose
        line_ok = not frame and prose and parts.fits
        # (each unit is made once, with its final guards)
        index, number, base = line.index, line.number, line.start
        first = len(sentences)
        # (sentences of a silenced line may not go; nor, on a line that cannot go whole,
        # a sentence as long as the line: it is the line)
        for k, (s, e) in enumerate(parts.spans):
            size = parts.sentence_sizes[k]
            ok = parts.sentence_ok[k] and not silenced and (line_ok or size != n)
            sentences.append(
                _Unit(
                    index,
                    number,
                    base + s,
                    base + e,
                    parts.sentence_keys[k],
                    size,
                    ok,
                    ok and size >= min_near,
                    sentence_words[k] if sentence_words is not None else None,
                )
            )
        line_units.append(
            _Unit(
                index,
                number,
                base,
                line.end,
                parts.key,
                n,
                line_ok,
                line_ok,
                lws,
                False,
                list(range(first, len(sentences))),
                unit_short and line_ok,
            )
        )
    return line_units, sentences, structured, (open_lines, word_counts, rough_keys, copies)


def _rough_scan(
    open_lines: list[Line], memo: Memo, unspaced: bool
) -> tuple[list[str], list[int], set[int], list[int]]:
    """The rough key and word count of each line, the candidate lines, and how many lines
    have each line's key: the Python twin of ``_native.rough_scan`` (spaced documents with
    the lower table; documents holding an unspaced script with the normalized fold table and
    :func:`~cleaner.normalize.words` for the lines it cannot fold)."""
    split: Callable[[str], list[str]]
    if unspaced:
        table, split = memo.unspaced, _words_in_unspaced_document
    else:
        table, split = memo.spaced, _rough_words
    rough: list[list[str]] = []
    rough_keys: list[str] = []
    keep = memo.keep_words
    for line in open_lines:
        known = table.get(line.text)
        if known is None:
            ws = split(line.text)
            key = " ".join(ws)
            table[line.text] = (ws if keep else None, key)
        else:
            kept_words, key = known
            ws = kept_words if kept_words is not None else _split_key(key)
        rough.append(ws)
        rough_keys.append(key)
    times = Counter(rough_keys)
    return (
        rough_keys,
        list(map(len, rough)),
        _candidate_lines(rough),
        [times[k] for k in rough_keys],
    )


def _words_in_unspaced_document(text: str, *, unspaced_tried: bool = False) -> list[str]:
    """``words(text)``, the rough words of a line of a document that holds an unspaced
    script (and the words of a sentence on the careful path, see :func:`_careful_words`).
    Most such lines hold none: the C core folds those in one pass (the same words where NFKC
    leaves the line as it is, as it does almost every line), the others go through
    :func:`~cleaner.normalize.words`. ``unspaced_tried``: the C core could not fold ``text``
    with :func:`~cleaner.normalize.unspaced_fold_table` (the rough scan tried), so that
    fold is not tried again.

    A sentence holding a character that stands for more than one (``"½"``, ``"ß"``) is
    folded in C with those replaced (:func:`~cleaner.normalize.expansions`): the same words.

    >>> _words_in_unspaced_document("Le CAFÉ, déjà!") == words("Le CAFÉ, déjà!")
    True
    >>> _words_in_unspaced_document("Add ½ cup. Straße") == words("Add ½ cup. Straße")
    True
    """
    native = _accel.native
    if native is None:
        return words(text)
    # (in C, as words() splits it, where NFKC leaves every character as it is)
    if not unspaced_tried:
        folded = native.fold_parts(text, [(0, len(text))], unspaced_fold_table(), True)
        if folded is not None:
            return folded[3]
    if unicodedata.is_normalized("NFKC", text):
        # (None for a line the core cannot fold in place: one with an unspaced script too)
        folded = native.fold_parts(text, [(0, len(text))], in_place_table())
        if folded is not None:
            return folded[3]
    # a "½", "ß" or "ﬁ" replaced by what it stands for: the same words, often in place
    expanded = _expanded_line(text, [])
    if expanded is not None:
        folded = native.fold_parts(expanded[0], [(0, len(expanded[0]))], in_place_table())
        if folded is not None:
            return folded[3]
    return words(text)


# what an expansion may not hold (or stand in for) when a whole line is expanded: the
# characters whose place decides a sentence's end, stop or question
_LINE_SENSITIVE = frozenset(_STOP_CHARS + _QUESTION_CHARS + _CLOSERS)


def _inside_a_word(text: str, at: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``text[at]`` stands before a letter or digit of the same sentence (of one of
    ``spans``; none: the whole text is one): dropped, it changes no sentence's end."""
    if not (at + 1 < len(text) and text[at + 1].isalnum()):
        return False
    return not spans or any(s <= at and at + 1 < e for s, e in spans)


def _expanded_line(
    text: str, spans: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]] | None:
    """``text`` with the characters that stand for others replaced (see
    :func:`~cleaner.normalize.expansions`) and its sentence ``spans`` moved with them, for
    the C core's ``line_parts`` (or, with no spans, ``fold_parts`` of one sentence): the
    same words in every sentence, and the same last
    character of each sentence, of the line and its stop (no replacement holds a stop, a
    question mark, a closer or a space, nor replaces one; an invisible character dropped
    stands before a letter or digit of its own sentence, so what ends a sentence stays).
    ``None`` when there is none to replace, the text is not NFKC-normalized once replaced,
    a replacement holds such a character, an invisible one stands elsewhere, or the text
    holds ``&`` (a replacement could make an entity).

    >>> _expanded_line("Add ½ cup. Stir.", [(0, 10), (11, 16)])
    ('Add 1⁄2 cup. Stir.', [(0, 12), (13, 18)])
    >>> _expanded_line("Zero\\u200bwidth. Soft hy\\u00adphen.", [(0, 11), (12, 25)])
    ('Zerowidth. Soft hyphen.', [(0, 10), (11, 23)])
    >>> _expanded_line("Ends here.\\u200b", [(0, 11)]) is None
    True
    """
    if "&" in text:
        return None
    table, pattern = expansions()
    unsafe = _unsafe_expansions()
    moves: list[tuple[int, int]] = []  # (where, how much longer from there on)
    pieces: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        at = match.start()
        char = text[at]
        if char in unsafe:
            return None
        stands_for = table[ord(char)]
        if not stands_for and not _inside_a_word(text, at, spans):
            return None
        pieces += (text[pos:at], stands_for)
        pos = at + 1
        moves.append((at + 1, len(stands_for) - 1))
    if not moves:
        return None
    pieces.append(text[pos:])
    expanded = "".join(pieces)
    if not unicodedata.is_normalized("NFKC", expanded):
        return None
    # each span's ends moved by the replacements wholly before them (spans and replacements
    # in order: one walk over both)
    moved: list[tuple[int, int]] = []
    k, shift, last = 0, 0, len(moves)
    for start, end in spans:
        while k < last and moves[k][0] <= start:
            shift += moves[k][1]
            k += 1
        new_start = start + shift
        while k < last and moves[k][0] <= end:
            shift += moves[k][1]
            k += 1
        moved.append((new_start, end + shift))
    return expanded, moved


@functools.cache
def _unsafe_expansions() -> frozenset[str]:
    """The characters :func:`_expanded_line` may not replace: a stop, a question mark or a
    closer, or one that stands for such a character or a space (made once)."""
    table, _ = expansions()
    return frozenset(
        chr(cp)
        for cp, stands_for in table.items()
        if chr(cp) in _LINE_SENSITIVE
        or any(ch in _LINE_SENSITIVE or ch.isspace() for ch in stands_for)
    )


@dataclass(slots=True)
class _LineParts:
    """What the matcher needs of a line that depends on its text alone (offsets relative to
    the line), kept in the memo: the second look meets most lines again."""

    spans: list[tuple[int, int]]  # its sentences
    sentence_keys: list[str]
    sentence_sizes: list[int]  # how many words each sentence has
    size: int  # how many words the line has
    sentence_ok: list[bool]  # the guards a sentence's own text decides
    key: str
    frame: bool  # a list item, heading, table row or quote
    questions: bool  # a short line of questions only
    prose: bool  # more than one sentence, long, or ends with a stop
    fits: bool  # long enough and not mostly numbers


def _split_key(key: str) -> list[str]:
    """The words of a key (words hold no spaces)."""
    return key.split(" ") if key else []


# _parts_args's answers by the configuration object itself (held, so its id stays its own):
# an lru_cache would hash and compare the whole dataclass on every search (~1 µs)
_PARTS_ARGS: dict[tuple[int, bool], tuple[CleanerConfig, tuple[object, ...]]] = {}


def _parts_args(config: CleanerConfig, keep: bool) -> tuple[object, ...]:
    """collect_units's ``parts_args``: what the C core needs to make a line's parts as
    :func:`_line_parts` does (the same for every document of a configuration)."""
    known = _PARTS_ARGS.get((id(config), keep))
    if known is not None and known[0] is config:
        return known[1]
    if len(_PARTS_ARGS) >= 16:
        _PARTS_ARGS.clear()
    made = _PARTS_ARGS[(id(config), keep)] = (config, _make_parts_args(config, keep))
    return made[1]


def _make_parts_args(config: CleanerConfig, keep: bool) -> tuple[object, ...]:
    return (
        sentence_table(),
        _is_abbreviation,
        _ABBREVIATION_FACTS,
        in_place_table(),
        _FRAME_KINDS,
        *_part_limits(config),
        _LineParts,
        keep,
        unspaced_fold_table,  # (called when a line of an unspaced script comes)
        unspaced_flags(),
    )


def _part_limits(config: CleanerConfig) -> tuple[int, int, float, int, str, str, str]:
    """What the C core's ``line_parts`` takes after a line's frame flag: the guards' limits
    and the characters that end a sentence, close one, or ask."""
    return (
        config.min_sentence_words,
        config.min_sentence_chars,
        config.max_numeric_share,
        _LONG_LINE_WORDS,
        _STOP_CHARS,
        _CLOSERS,
        _QUESTION_CHARS,
    )


def _line_parts(line: Line, config: CleanerConfig) -> tuple[_LineParts, list[str], list[list[str]]]:
    """The parts of ``line``, its words and the words of each of its sentences (the C core's
    ``line_parts`` where the line folds in place, as almost every line does; the rest of
    this function is its Python twin, and the careful path for the other lines)."""
    text = line.text
    spans = split_sentences(text, 0, len(text))
    native = _accel.native
    if native is not None:
        rest = (in_place_table(), line.kind in _FRAME_KINDS, *_part_limits(config))
        got = native.line_parts(text, spans, *rest)
        unspaced = got is None and has_unspaced(text)
        if unspaced:
            # a line of a script written without spaces: the words of words(), each such
            # character one (folded in C where NFKC leaves every character as it is)
            got = native.line_parts(text, spans, unspaced_fold_table(), *rest[1:], True, True)
        # a "½" or a "ß" sends a line down the careful path: with what it stands for, the
        # same words (the same sentences, ends and stops), folded in C
        expanded = _expanded_line(text, spans) if got is None and not unspaced else None
        if expanded is not None:
            got = native.line_parts(expanded[0], expanded[1], *rest)
            if got is not None:
                got = (spans, *got[1:])  # (the sentences where the line has them)
        if got is not None:  # (with its words: keep_words is not given)
            return (
                _LineParts(*got[:10]),
                cast("list[str]", got[10]),
                cast("list[list[str]]", got[11]),
            )
    sentence_words, lws = _careful_words(text, spans)
    key = " ".join(lws)
    sentence_keys = [" ".join(ws) for ws in sentence_words]
    shares = [_numeric_share(ws, k) for ws, k in zip(sentence_words, sentence_keys, strict=True)]
    share = _numeric_share(lws, key)
    n = len(lws)
    frame = line.kind in _FRAME_KINDS
    min_words = config.min_sentence_words
    min_chars = config.min_sentence_chars
    max_numeric = config.max_numeric_share
    sentence_ok: list[bool] = []
    last = len(spans) - 1
    for k, ((s, e), ws, skey) in enumerate(zip(spans, sentence_words, sentence_keys, strict=True)):
        sentence_ok.append(
            not frame
            and (k < last or _ends_with_stop(text[s:e]))
            and len(ws) >= min_words
            and len(skey) >= min_chars
            and shares[k] <= max_numeric
        )
    parts = _LineParts(
        spans=spans,
        sentence_keys=sentence_keys,
        sentence_sizes=list(map(len, sentence_words)),
        size=n,
        sentence_ok=sentence_ok,
        key=key,
        frame=frame,
        questions=n < 2 * _LONG_LINE_WORDS
        and all(text[e - 1] in _QUESTION_MARKS for _, e in spans),
        prose=len(spans) > 1 or n >= _LONG_LINE_WORDS or _ends_with_stop(text),
        fits=n >= min_words and len(key) >= min_chars and share <= max_numeric,
    )
    return parts, lws, sentence_words


def _words_of(
    text: str, spans: list[tuple[int, int]], folded: FoldedText | None = None
) -> tuple[list[list[str]], list[str]]:
    """The words of each sentence of ``text`` and of the whole line (the Python twin of the
    C core's ``fold_parts``, and the careful path for text that cannot fold in place);
    ``folded``: ``FoldedText(text)``, when the caller has it."""
    if folded is None:
        folded = FoldedText(text)
    if len(spans) > 1 and folded.in_place:
        # sentences part at spaces and stops: their words are the line's words, shared
        sentence_words = [folded.words(s, e) for s, e in spans]
        return sentence_words, list(chain.from_iterable(sentence_words))
    lws = folded.words(0, len(text))
    return ([lws] if len(spans) == 1 else [folded.words(s, e) for s, e in spans]), lws


_GAP_SPACES = " \t\u00a0"  # what may part two sentences whose words are the line's words


def _careful_words(text: str, spans: list[tuple[int, int]]) -> tuple[list[list[str]], list[str]]:
    """:func:`_words_of` for a line that does not fold in place as a whole (a ``½``, a
    zero-width space, kana in a Latin line...), sentence by sentence: a sentence that does
    (NFKC leaves it as it is and the C core folds every character of it in place) is folded
    in C, the others by :func:`~cleaner.normalize.words`, as before. The line's words are
    its sentences' words end to end where ordinary spaces alone part them and the line holds
    no ``&`` (an entity decides the unescaping of the whole text) and no unspaced script
    (split differently); else ``words(text)``. The same words as :func:`_words_of`, faster
    where one character sent a long line down the careful path (the tests compare them).
    """
    native = _accel.native
    folded_line = FoldedText(text)
    if native is None or folded_line.in_place:
        # (in place as a whole, as a line with a character past U+FFFF can be, which the C
        # core leaves to Python: the sentences fold in place too, as _words_of has them)
        return _words_of(text, spans, folded_line)
    sentence_words = [_words_in_unspaced_document(text[s:e]) for s, e in spans]
    if len(spans) == 1 and spans[0] == (0, len(text)):
        return sentence_words, sentence_words[0]
    ends = [0] + [x for span in spans for x in span] + [len(text)]
    gaps = [text[ends[k] : ends[k + 1]] for k in range(0, len(ends), 2)]
    if (
        "&" not in text
        and all(not gap.strip(_GAP_SPACES) for gap in gaps)
        and all(gaps[1:-1])
        and not has_unspaced(text)
    ):
        return sentence_words, list(chain.from_iterable(sentence_words))
    return sentence_words, words(text)


def find_duplicates(
    text: str,
    lines: Sequence[Line],
    prior: Sequence[Removal],
    config: CleanerConfig,
    memo: Memo | None = None,
    *,
    grouped: tuple[set[int], dict[int, list[Removal]]] | None = None,
) -> list[Removal]:
    """Propose removals for repeated lines and sentences of ``text``.

    Args:
        text: the document.
        lines: its non-blank lines (:func:`cleaner.segment.split_lines`).
        prior: removals already proposed (rules); lines they cover are skipped, and
            sentences they overlap are neither originals nor copies.
        config: the options (guards, cutoffs, LSH switch).
        memo: what an earlier search of the same document learned about its lines
            (optional; the answer is the same without it).
        grouped: ``group_by_line(lines, prior)``, when the caller has it.
    """
    if memo is None:
        memo = Memo.for_text(text)
    blocked, partial = grouped if grouped is not None else group_by_line(lines, prior)
    cut_spans = [(r.start, r.end) for rs in partial.values() for r in rs]
    line_units, sentences, structured, (open_lines, word_counts, rough_keys, copies) = _collect(
        text, lines, blocked, config, memo
    )
    if cut_spans:
        for s in sentences:
            if any(a < s.end and s.start < b for a, b in cut_spans):
                s.eligible = s.near = False
        for u in line_units:
            if any(a < u.end and u.start < b for a, b in cut_spans):
                u.eligible = u.near = False
    removals: list[Removal] = []
    repeats: list[_Repeat] = []  # step 1's, made into removals at the end (see _Repeat)
    if not line_units:
        # (no line can hold a copy: of the steps below only the glued headings, which look
        # at the open lines themselves, can find anything)
        if not structured:
            removals = _glued_headings(text, open_lines, word_counts, rough_keys, copies, set())
        return _finish(removals, lines, config)

    if structured:
        for u in line_units:
            if len(u.sentences) < 2 or u.n_words < _STRUCTURED_MIN_WORDS:
                u.eligible = u.near = False
        for s in sentences:
            if s.n_words < _STRUCTURED_MIN_SENTENCE_WORDS:
                s.eligible = s.near = False

    # 1. sentences repeated exactly, even inside a line with new text (each later one, with
    # the first of its key)
    for k, at in _repeated_keys(sentences):
        s, original = sentences[k], sentences[at]
        if s.eligible and original.eligible:
            repeats.append(_Repeat(s, original))  # (a removal once it is sure to stay)
            s.removed = True

    # 2b. a stray heading glued onto the start or end of a later line with no stop between
    shorts = {u.key: u for u in reversed(line_units) if u.short and not u.removed}
    if shorts:
        # (each line whose last or first words make a short line standing before it, with
        # that line; none of them is removed below before its turn: a line marks itself and
        # its own sentences only)
        for k, heading in _glued_starts(line_units, shorts):
            u = line_units[k]
            if all(sentences[i].removed for i in u.sentences):
                continue
            cut = _embedded_span(text, u, heading)
            if (
                cut is not None
                and (
                    # glued at the end: it starts like a title; at the start: text follows
                    (cut[1] == u.end and (text[cut[0]].isupper() or text[cut[0]].isdigit()))
                    or (cut[0] == u.start and cut[1] < u.end)
                )
                and not any(
                    sentences[i].removed
                    and sentences[i].start < cut[1]
                    and cut[0] < sentences[i].end
                    for i in u.sentences
                )
            ):
                removals.append(_span_removal(text, cut, u, heading, "exact"))
                u.removed = True
                for i in u.sentences:  # the sentences the heading was glued into
                    if sentences[i].start < cut[1] and cut[0] < sentences[i].end:
                        sentences[i].removed = True

    # 3b. a stray heading glued onto a later paragraph as a sentence of its own (none
    # without a short line: 2b only ever removes)
    seen_short = (
        {u.key: u for u in reversed(line_units) if u.short and not u.removed} if shorts else shorts
    )
    if seen_short:
        hosts: dict[int, _Unit] | None = None  # (each line's unit, made when first needed)
        for s in sentences:
            if s.eligible or s.removed:
                continue
            kept = seen_short.get(s.key)
            if kept is None or kept.end > s.start or s.n_words != kept.n_words:
                continue
            if hosts is None:
                hosts = {u.line: u for u in line_units}
            if len(hosts[s.line].sentences) > 1:
                removals.append(
                    _sentence_removal(text, s, kept, Reason.EXACT_DUPLICATE, "exact", 100.0)
                )
                s.removed = True

    # 3c. a short heading glued, after a full stop, onto the end of a later paragraph
    if not structured:
        gone = {u.line for u in line_units if u.removed}
        removals.extend(_glued_headings(text, open_lines, word_counts, rough_keys, copies, gone))

    # 4. near copies go anywhere; a contained (shortened) copy only where its whole line is
    # repeated material; an earlier sentence standing word for word inside a later one
    # (glued on with no stop between) is cut out of it.
    pool = [i for i, s in enumerate(sentences) if s.near and not s.removed]
    if len(pool) >= 2:
        proposed: list[tuple[Removal, _Unit, bool]] = []
        tentative: set[int] = set()
        cuts: dict[int, list[tuple[int, int]]] = {}  # host sentence -> pieces cut out of it
        for a, b, score, kind, method in _matches(sentences, pool, config, memo, contained=True):
            earlier, later = sentences[a], sentences[b]
            # (an earlier copy that was itself removed still counts: the removal is pointed
            # through it, at the text it repeats, once all are found)
            if later.removed or b in tentative:
                continue
            if a in cuts and (
                kind != "contained" or not _piece_of_rest(text, earlier, later, cuts[a])
            ):
                continue  # what an earlier sentence holds, once its own repeats are cut
            if kind == "embedded":
                cut = _embedded_span(text, later, earlier)
                done = cuts.setdefault(b, [])
                if cut is not None and all(cut[1] <= s0 or e0 <= cut[0] for s0, e0 in done):
                    removals.append(_span_removal(text, cut, later, earlier, method))
                    done.append(cut)
                continue
            if b in cuts:
                continue
            reason = Reason.NEAR_DUPLICATE if kind == "near" else Reason.CONTAINED
            removal = _sentence_removal(text, later, earlier, reason, method, score)
            if kind == "near":
                removals.append(removal)
                later.removed = True
            else:
                # tentative: it neither blocks other matches nor stops being an original
                piece = f" {later.key} " in f" {earlier.key} "
                proposed.append((removal, later, piece))
                tentative.add(b)
        # (the lines of the proposed copies all of whose sentences went or may go, one at
        # least for sure; a plain loop: an all() left unfinished costs a generator's close)
        host_of = {u.line: u.sentences for u in line_units} if proposed else {}
        whole: set[int] = set()
        for line in {s.line for _, s, _ in proposed}:
            some = False
            for i in host_of[line]:
                if sentences[i].removed:
                    some = True
                elif i not in tentative:
                    break
            else:
                if some:
                    whole.add(line)
        # A piece cut word for word out of an earlier sentence goes from the end of a line
        # with other text, where it was glued on (whatever else goes after it).
        for removal, s, piece in reversed(proposed):
            host = host_of[s.line]
            at_end = (
                piece
                and len(host) > 1
                and all(sentences[i].removed for i in host if sentences[i].start > s.start)
            )
            if s.line in whole or at_end:
                removals.append(removal)
                s.removed = True

    # 5. whole lines, last: a line repeated exactly or nearly goes as one removal pointing
    # at a line kept whole (its sentence-level removals, if any, give way to it), and so do
    # lines whose sentences cannot match one by one (numbers, no stops)
    removals = _whole_lines(text, line_units, sentences, repeats, removals, config, memo)
    return _finish(removals, lines, config)


def _finish(removals: list[Removal], lines: Sequence[Line], config: CleanerConfig) -> list[Removal]:
    """The last steps of :func:`find_duplicates`: overlaps dropped, copies pointed at kept
    text, the longest copy kept if so configured, in order."""
    if not removals:
        return []  # (most second searches)
    removals = _drop_overlaps(removals)
    removals = repoint(removals)
    if config.keep == "longest":
        removals = _prefer_longest(removals, lines)
    return sorted(removals, key=lambda r: (r.start, r.end))


def repoint(removals: list[Removal]) -> list[Removal]:
    """Make every ``duplicate_of`` name kept text: a copy whose original was itself removed
    later (as part of a larger repeat) points at that removal's original instead."""
    removals.sort(key=lambda r: (r.start, r.end))
    starts = [r.start for r in removals]

    def covering(span: Span) -> Removal | None:
        k = bisect.bisect_right(starts, span.start) - 1
        while k >= 0:
            o = removals[k]
            if o.start <= span.start and span.end <= o.end:
                return o
            if o.end <= span.start and k < len(removals) - 1:
                break
            k -= 1
        return None

    out: list[Removal] = []
    for r in removals:
        dup = r.duplicate_of
        hops = 0
        while dup is not None and hops < len(removals):
            o = covering(dup)
            if o is None or o.duplicate_of is None:
                break
            dup = o.duplicate_of
            hops += 1
        out.append(r if dup is r.duplicate_of else dataclasses.replace(r, duplicate_of=dup))
    return out


def _prefer_longest(removals: list[Removal], lines: Sequence[Line]) -> list[Removal]:
    """``keep="longest"``: where a removed copy is longer than the copy kept, put its text
    at the kept copy's place (a removal with a ``replacement``) and mark it ``moved``."""
    starts = [line.start for line in lines]
    out: list[Removal] = []
    taken: set[tuple[int, int]] = set()
    for r in sorted(removals, key=lambda r: (-(r.end - r.start), r.start)):
        kept = r.duplicate_of
        if (
            kept is None
            or r.unit == "span"
            or len(r.text) <= len(kept.text)
            or (kept.start, kept.end) in taken
        ):
            out.append(r)
            continue
        taken.add((kept.start, kept.end))
        kept_line = lines[bisect.bisect_right(starts, kept.start) - 1]
        out.append(
            Removal(
                start=kept.start,
                end=kept.end,
                text=kept.text,
                reason=r.reason,
                unit=r.unit,
                line=kept_line.number,
                method=r.method,
                score=r.score,
                duplicate_of=Span(r.start, r.end, r.text),
                replacement=r.text,
                detail=(
                    f"replaced by the more complete copy on line {r.line + 1} (keep='longest')"
                ),
            )
        )
        out.append(
            dataclasses.replace(
                r,
                reason=Reason.MOVED,
                duplicate_of=kept,
                detail=f"the more complete copy, moved to line {kept_line.number + 1}",
            )
        )
    return out


_HEADING_MAX_WORDS = _LONG_LINE_WORDS - 1  # a longer line is prose
_AFTER_STOP_CHARS = '.!?…。！？"”’)»'
_AFTER_STOP = frozenset(_AFTER_STOP_CHARS)


def _glued_starts(line_units: list[_Unit], shorts: dict[str, _Unit]) -> list[tuple[int, _Unit]]:
    """Step 2b's lines and the short lines they may hold: for each line unit, neither
    removed nor short, whose last word ends a short line's key or whose first word starts
    one, the first short unit (``shorts``, by key) that is its last k words, else its first
    k words, for k from the most down, among the word counts of the short lines that end
    (start) with that word, short of the whole line and ``_STRUCTURED_MIN_WORDS``, at least
    ``_GLUED_MIN_WORDS``, and that ends before the line starts: ``(position, short unit)``.

    >>> head = _Unit(0, 1, 0, 30, "storm warning for the coast", 5, True, True, None, short=True)
    >>> line = _Unit(1, 2, 31, 90, "a b c storm warning for the coast", 8, True, True, None)
    >>> found = _glued_starts([head, line], {head.key: head})
    >>> [(k, short.key) for k, short in found]
    [(1, 'storm warning for the coast')]
    """
    # the lengths a heading has; a key of k words only matches k words, so only the lengths
    # of the headings that end (start) with a line's last (first) word are tried
    sizes = {u.n_words for u in shorts.values()}
    ends_with: dict[str, set[int]] = {}
    starts_with: dict[str, set[int]] = {}
    for key in shorts:
        if key:
            words_in_key = key.count(" ") + 1
            ends_with.setdefault(key.rpartition(" ")[2], set()).add(words_in_key)
            starts_with.setdefault(key.partition(" ")[0], set()).add(words_in_key)
    native = _accel.native
    if native is not None:
        return native.glued_starts(
            line_units,
            shorts,
            ends_with,
            starts_with,
            sizes,
            _STRUCTURED_MIN_WORDS,
            _GLUED_MIN_WORDS,
        )
    out = []
    for k, u in enumerate(line_units):
        if u.removed or u.short or not u.key:
            continue
        end_sizes = ends_with.get(u.key.rpartition(" ")[2])
        start_sizes = starts_with.get(u.key.partition(" ")[0])
        if end_sizes is None and start_sizes is None:
            continue
        ws = _split_key(u.key)
        top = min(len(ws) - 1, _STRUCTURED_MIN_WORDS)
        # (longest first)
        sized = sizes & (end_sizes or set()) | sizes & (start_sizes or set())
        for n in sorted(sized, reverse=True):
            if n > top or n < _GLUED_MIN_WORDS:
                continue
            kept = (shorts.get(" ".join(ws[-n:])) if end_sizes is not None else None) or (
                shorts.get(" ".join(ws[:n])) if start_sizes is not None else None
            )
            if kept is not None and kept.end <= u.start:
                out.append((k, kept))
                break
    return out


def _glued_headings(
    text: str,
    open_lines: list[Line],
    word_counts: list[int],
    rough_keys: list[str],
    copies: list[int],
    gone: set[int],
) -> list[Removal]:
    """A line that ends, after a full stop, with the words of an earlier heading (a short
    line without a stop that stands once on its own) had the heading glued onto it.
    (``word_counts`` and ``rough_keys``: each open line's rough words, counted and joined;
    ``copies``: how many open lines have each one's rough key.)"""
    native = _accel.native
    if native is not None:
        # the same search in C; what it finds, made into removals here
        return [
            _glued_removal(text, open_lines[p], tail, open_lines[h])
            for p, tail, h in native.glued_candidates(
                open_lines,
                word_counts,
                rough_keys,
                copies,
                gone,
                _HEADING_MAX_WORDS,
                _ATTRIBUTION_MARKS,
                _STOP_CHARS,
                _CLOSERS,
                _AFTER_STOP_CHARS,
            )
        ]
    headings: dict[str, Line] = {}
    # (most lines are too long to be a heading: only the others are looked at, in order)
    for p in [p for p, n in enumerate(word_counts) if 2 <= n <= _HEADING_MAX_WORDS]:
        line, key = open_lines[p], rough_keys[p]
        if (
            copies[p] == 1
            and line.kind in ("text", "heading")
            and line.text[0] not in _ATTRIBUTION_MARKS
            and "@" not in line.text
            and not _ends_with_stop(line.text)
            and line.index not in gone
        ):
            headings.setdefault(key, line)
    if not headings:
        return []
    # the headings by their last word, longest first (a line's last k words are one key)
    by_last: dict[str, list[tuple[int, str, Line]]] = {}
    for key, heading in headings.items():
        by_last.setdefault(key.rpartition(" ")[2], []).append(
            (key.count(" ") + 1, " " + key, heading)
        )
    for same_last in by_last.values():
        same_last.sort(key=lambda h: -h[0])
    out: list[Removal] = []
    # (only lines ending with a heading's last word can end with a heading: those, in order)
    for p, key in enumerate(rough_keys):
        group = by_last.get(key.rpartition(" ")[2]) if key else None
        if group is None:
            continue
        line = open_lines[p]
        if line.index in gone or line.kind != "text":
            continue
        n = word_counts[p]
        for k, spaced_key, heading in group:
            if k >= n or not key.endswith(spaced_key) or heading.end > line.start:
                continue
            tail = _last_words(line.text, k)
            before = line.text[:tail].rstrip()
            if (
                before
                and before[-1] in _AFTER_STOP
                and (line.text[tail].isupper() or line.text[tail].isdigit())
            ):
                out.append(_glued_removal(text, line, tail, heading))
            break
    return out


def _glued_removal(text: str, line: Line, tail: int, heading: Line) -> Removal:
    """The removal of the end of ``line`` from offset ``tail`` of its text on: the words of
    ``heading``, glued on."""
    start = line.start + tail
    return Removal(
        start=start,
        end=line.end,
        text=text[start : line.end],
        reason=Reason.EXACT_DUPLICATE,
        unit="span",
        line=line.number,
        method="exact",
        duplicate_of=Span(heading.start, heading.end, heading.text),
        detail=(
            f"the end of line {line.number + 1} repeats the heading on line "
            f"{heading.number + 1}, glued on after a full stop"
        ),
    )


def _last_words(text: str, k: int) -> int:
    """Offset in ``text`` where its last ``k`` whitespace-separated words begin."""
    pos = len(text)
    for _ in range(k):
        pos = len(text[:pos].rstrip())
        cut = max(text.rfind(" ", 0, pos), text.rfind("\t", 0, pos))
        pos = cut + 1
    return pos


def _whole_lines(
    text: str,
    line_units: list[_Unit],
    sentences: list[_Unit],
    repeats: list[_Repeat],
    removals: list[Removal],
    config: CleanerConfig,
    memo: Memo,
) -> list[Removal]:
    """Step 5 of :func:`find_duplicates`: whole-line repeats, exact then near. Returns step
    1's ``repeats`` (as removals) and the ``removals`` of steps 2 to 4, but for those inside
    a line taken whole here, and the lines taken, in that order."""
    inside: dict[int, list[Removal | _Repeat]] = {}
    starts = [u.start for u in line_units]
    found: tuple[Removal | _Repeat, ...] = (*repeats, *removals)
    for r in found:
        k = bisect.bisect_right(starts, r.start) - 1
        if k >= 0 and line_units[k].start <= r.start and r.end <= line_units[k].end:
            inside.setdefault(k, []).append(r)
    inside_all = dict(inside)
    gone: set[int] = set()

    def whole_kept(k: int) -> bool:
        return k not in gone and k not in inside

    def partly_kept(k: int) -> bool:
        if k in gone:
            return False
        # (a loop, not any(): see ``whole`` in find_duplicates)
        for i in line_units[k].sentences:  # noqa: SIM110
            if not sentences[i].removed:
                return True
        return False

    def take(k: int, kept: int, reason: Reason, method: str, score: float) -> None:
        inside.pop(k, None)
        gone.add(k)
        lines_out.append(
            _line_removal(text, line_units[k], line_units[kept], reason, method, score)
        )

    lines_out: list[Removal] = []
    for k, kept in _repeated_keys(line_units):
        if line_units[k].eligible and line_units[kept].eligible and partly_kept(kept):
            take(k, kept, Reason.EXACT_DUPLICATE, "exact", 100.0)
    pool = [k for k, u in enumerate(line_units) if u.near and k not in gone]
    if len(pool) >= 2:
        strings = None
        if len(pool) >= config.lsh_min_segments:
            strings = _signatures_from_sentences(line_units, sentences, pool, config, memo)
        for a, b, score, _, method in _matches(
            line_units, pool, config, memo, contained=False, strings=strings
        ):
            if whole_kept(a) and b not in gone:
                take(b, a, Reason.NEAR_DUPLICATE, method, score)
    if not lines_out and not repeats:
        return removals
    dropped = {id(r) for k in gone for r in inside_all.get(k, ())}  # (none: no line taken)
    return (
        [r.removal(text) for r in repeats if id(r) not in dropped]
        + [r for r in removals if id(r) not in dropped]
        + lines_out
    )


def _repeated_keys(units: list[_Unit]) -> list[tuple[int, int]]:
    """``(k, first)`` for each unit whose key an earlier unit has, with the place of the
    first unit of that key, in order of ``k`` (in C when the core is there).

    >>> units = [_Unit(0, 0, 0, 1, key, 1, True, True, None) for key in "abab"]
    >>> _repeated_keys(units)
    [(2, 0), (3, 1)]
    """
    native = _accel.native
    if native is not None:
        return native.repeated_keys(units)
    first: dict[str, int] = {}
    out = []
    for k, u in enumerate(units):
        at = first.setdefault(u.key, k)
        if at != k:
            out.append((k, at))
    return out


def _signatures_from_sentences(
    line_units: list[_Unit],
    sentences: list[_Unit],
    pool: list[int],
    config: CleanerConfig,
    memo: Memo,
) -> list[str] | None:
    """MinHash signatures of the pool's lines of several sentences, from their sentences'
    (most of which the sentence search hashed already): a line's string is its sentences'
    strings end to end, so its signature is their minimum, exactly. A line that is not
    (words folded differently over the whole line) is left to :func:`cleaner.lsh.signatures`.

    Returns the pool's word strings (:func:`_word_strings`, which this gives no new
    character), for the line search that follows.
    """
    known = memo.signatures
    strings = _word_strings(line_units, pool, memo)
    if strings is None or memo.signatures is not known:
        return strings  # (the characters started over: the cached signatures are gone)
    todo: dict[str, Sequence[int]] = {}
    for p, k in enumerate(pool):
        ids = line_units[k].sentences
        if len(ids) >= 2 and strings[p] not in known.rows:
            todo.setdefault(strings[p], ids)
    if not todo:
        return strings
    # Sentence strings from the characters the lines' words already have: giving a word a
    # new character here would shift the characters (and so the signatures) of every word
    # met later, so a line with such a word is left alone.
    by_key = memo.strings
    part_of: dict[int, str] = {}
    lacking: list[int] = []
    for i in sorted({i for ids in todo.values() for i in ids}):
        string = by_key.get(sentences[i].key)
        if string is None:
            lacking.append(i)
        else:
            part_of[i] = string
    made = _chars_of([sentences[i].key for i in lacking], memo.chars, add=False)
    for i, made_string in zip(lacking, made, strict=True):
        if made_string is not None:
            part_of[i] = by_key[sentences[i].key] = made_string
    unions = []
    for line, ids in todo.items():
        pieces = [part_of.get(i) for i in ids]
        if None not in pieces and "".join(cast("list[str]", pieces)) == line:
            unions.append((line, cast("list[str]", pieces)))
    add_unions(known, unions, config.lsh_num_perm, config.seed)
    return strings


def _drop_overlaps(removals: list[Removal]) -> list[Removal]:
    """Removals never overlap: where two found the same text, the longer one stays."""
    out: list[Removal] = []
    for r in sorted(removals, key=lambda r: (r.start, -(r.end - r.start))):
        if out and r.start < out[-1].end:
            if r.end - r.start > out[-1].end - out[-1].start:
                out[-1] = r
            continue
        out.append(r)
    return out


def _line_removal(
    text: str, u: _Unit, kept: _Unit, reason: Reason, method: str, score: float
) -> Removal:
    how = "repeats" if reason is Reason.EXACT_DUPLICATE else f"nearly repeats (score {score:.0f})"
    detail = f"line {u.number + 1} {how} line {kept.number + 1}"
    return _unit_removal(text, u, kept, reason, method, score, "line", detail)


def _sentence_removal(
    text: str, s: _Unit, kept: _Unit, reason: Reason, method: str, score: float
) -> Removal:
    if reason is Reason.EXACT_DUPLICATE:
        what = "repeats"
    elif reason is Reason.NEAR_DUPLICATE:
        what = f"nearly repeats (score {score:.0f})"
    elif reason is Reason.CONTAINED:
        what = f"is a shorter copy (score {score:.0f}) of"
    else:
        raise KeyError(reason)
    detail = f"sentence on line {s.number + 1} {what} a sentence on line {kept.number + 1}"
    return _unit_removal(text, s, kept, reason, method, score, "sentence", detail)


def _unit_removal(
    text: str,
    u: _Unit,
    kept: _Unit,
    reason: Reason,
    method: str,
    score: float,
    unit: str,
    detail: str,
) -> Removal:
    # (by position, in the order of Removal's fields: keywords cost ~1 µs a removal, a
    # dict of them built for the class's __init__; a few removals per document)
    return Removal(
        u.start,  # start
        u.end,  # end
        text[u.start : u.end],  # text
        reason,
        unit,
        u.number,  # line
        method,
        score,
        Span(kept.start, kept.end, text[kept.start : kept.end]),  # duplicate_of
        None,  # rule_id
        None,  # replacement
        detail,
    )


_WORD_SPAN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def _embedded_span(text: str, host: _Unit, inner: _Unit) -> tuple[int, int] | None:
    """Offsets of ``inner``'s words standing contiguously inside ``host``, or ``None``."""
    padded = f" {host.key} "
    at = padded.find(f" {inner.key} ")
    if at < 0:
        return None
    first_word = padded.count(" ", 0, at + 1) - 1  # index of the first matching word
    spans = [m.span() for m in _WORD_SPAN_RE.finditer(text, host.start, host.end)]
    host_words = [w for s, e in spans for w in words(text[s:e])]
    if host_words != host.key.split(" ") or len(spans) != len(host_words):
        return None  # words do not map one to one onto the original: keep, do not guess
    last_word = first_word + inner.n_words - 1
    start, end = spans[first_word][0], spans[last_word][1]
    # take an opening quote or bracket of the glued sentence along
    while start > host.start and not text[start - 1].isspace():
        if _WORD_SPAN_RE.match(text[start - 1]):
            return None  # the words run on into other text: not a clean piece
        start -= 1
    # take the closing punctuation of the glued sentence along
    while end < host.end and not text[end].isspace() and not _WORD_SPAN_RE.match(text[end]):
        end += 1
    # A glued copy is a sentence of its own: it starts like one, and so does what follows
    # it. A later sentence that merely begins with the same words ("... on Tuesday evening
    # after a long debate") is not a copy.
    rest = text[end : host.end].lstrip()
    if not _starts_sentence(text[start]) or (rest and not _starts_sentence(rest[0])):
        return None
    return start, end


def _starts_sentence(ch: str) -> bool:
    """Whether ``ch`` can open a sentence: a capital, a letter of a script without case,
    a digit, or an opening quote or bracket."""
    if ch.isalpha():
        return ch.isupper() or ch.istitle() or ch.lower() == ch.upper()
    return ch.isdigit() or ch in "\"'“‘«„(¿¡[「『"


def _piece_of_rest(text: str, host: _Unit, piece: _Unit, cut: list[tuple[int, int]]) -> bool:
    """Whether ``piece``'s words stand word for word in ``host`` once the ``cut`` spans are
    taken out of it."""
    rest: list[str] = []
    pos = host.start
    for s, e in sorted(cut):
        rest.extend(words(text[pos:s]))
        pos = max(pos, e)
    rest.extend(words(text[pos : host.end]))
    return f" {piece.key} " in f" {' '.join(rest)} "


def _span_removal(
    text: str, cut: tuple[int, int], host: _Unit, kept: _Unit, method: str
) -> Removal:
    start, end = cut
    return Removal(
        start=start,
        end=end,
        text=text[start:end],
        reason=Reason.EXACT_DUPLICATE,
        unit="span",
        line=host.number,
        method=method,
        score=100.0,
        duplicate_of=Span(kept.start, kept.end, text[kept.start : kept.end]),
        detail=(
            f"text on line {host.number + 1} repeats, word for word, a sentence on line "
            f"{kept.number + 1}"
        ),
    )


_CHAR_LIMIT = 0x10FFFF - 0x100 - 0x800  # characters a _WordChars can give out
# up to this many units, fuzzy matching scores each pair on its own (a few microseconds);
# more take one RapidFuzz matrix and array steps (a fixed cost of ~25-50 µs per call)
_PAIRWISE_MAX_UNITS = 10


class _OutOfCharsError(Exception):
    """More distinct words than there are characters to stand for them."""


class _WordChars(dict[str, str]):
    """One character per distinct word of a document, given out in order of first use
    (skipping the surrogate block), so a segment becomes a string RapidFuzz compares word
    by word. It only ever grows, or is cleared: ``table`` is the C core's cache of it (see
    :func:`_chars_of`), which a clear drops."""

    __slots__ = ("table",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.table: object = None

    def __missing__(self, word: str) -> str:
        n = len(self)
        if n >= _CHAR_LIMIT:
            raise _OutOfCharsError
        n += 0x100
        ch = self[word] = chr(n if n < 0xD800 else n + 0x800)
        return ch

    def clear(self) -> None:
        super().clear()
        self.table = None

    def __reduce__(self) -> tuple[type[_WordChars], tuple[dict[str, str]]]:
        return type(self), (dict(self),)  # (a copy starts without the cache)


def _chars_of(keys: list[str], chars: _WordChars, *, add: bool) -> list[str | None]:
    """Each key as a string of one character per word (its words: the key split at
    spaces): ``chars[word]`` (which gives a new word the next character) when ``add``, else
    ``chars.get(word)``, and then ``None`` for a key holding a word without one. The C
    core's ``key_chars`` does it for all the keys in one call, reading the words off the
    keys into a table of its own kept beside ``chars`` (the dict, whose words lie all over
    the heap, is asked only of words the table has not met: most of the cost in a long
    document); this is its Python twin.

    >>> chars = _WordChars()
    >>> made = _chars_of(["a b", "b a a"], chars, add=True)
    >>> made == ["\u0100\u0101", "\u0101\u0100\u0100"]
    True
    >>> _chars_of(["a", "a new"], chars, add=False) == ["\u0100", None]
    True
    """
    native = _accel.native
    if native is not None:
        if chars.table is None:
            chars.table = native.word_table()
        return native.key_chars(keys, chars, chars.table, add, _CHAR_LIMIT, _OutOfCharsError)
    if add:
        get = chars.__getitem__
        return ["".join(map(get, _split_key(key))) for key in keys]
    out: list[str | None] = []
    for key in keys:
        got = [chars.get(w) for w in _split_key(key)]  # (dict.get: never a new character)
        out.append(None if None in got else "".join(cast("list[str]", got)))
    return out


def _word_strings(units: list[_Unit], pool: list[int], memo: Memo) -> list[str] | None:
    """Each unit as a string with one character per word, so RapidFuzz compares words
    (kept in the memo by key: a key's words are its words split at spaces).

    ``None`` when the units hold more distinct words than there are characters (over a
    million): they are then not compared at all (kept, never wrongly matched).
    """
    keys = [units[i].key for i in pool]
    strings = list(map(memo.strings.get, keys))

    def fill(missing: list[int]) -> None:
        known = memo.strings
        made = _chars_of([keys[p] for p in missing], memo.chars, add=True)
        for p, string in zip(missing, made, strict=True):
            strings[p] = known[keys[p]] = cast("str", string)  # (add: never None)

    try:
        fill([p for p, s in enumerate(strings) if s is None])
    except _OutOfCharsError:
        # a huge document used up the characters: start over with this call's units (the
        # strings of one call must agree; the signatures of the old strings go too)
        memo.chars.clear()
        memo.strings.clear()
        memo.signatures = SignatureCache()
        try:
            fill(list(range(len(pool))))
        except _OutOfCharsError:
            return None
    return cast("list[str]", strings)


_Match = tuple[int, int, float, str, str]  # (earlier, later, score, kind, method)


def _matches(
    units: list[_Unit],
    pool: list[int],
    config: CleanerConfig,
    memo: Memo,
    *,
    contained: bool,
    strings: list[str] | None = None,
) -> list[_Match]:
    """Fuzzy matches among ``pool``: ``(earlier, later, score, kind, method)``.

    ``kind`` is ``"near"``, ``"contained"`` (the later one is a shorter copy) or
    ``"embedded"`` (the earlier one stands, word for word, inside the later one).

    Ordered by the later unit, best score first, so the caller takes the first match of
    each later unit whose earlier partner is still kept. ``strings``: the pool's
    :func:`_word_strings`, when the caller has them.
    """
    n = len(pool)
    keys = [units[i].key for i in pool]
    if n < config.lsh_min_segments:
        found = _reused(memo, keys, contained)
        if found is None:
            found = _all_pairs(
                [units[i].kept_words or units[i].key for i in pool],
                config,
                contained=contained,
                sizes=[units[i].n_words for i in pool],
            )
            if len(set(keys)) == n:
                memo.pairs[contained] = (keys, found)
        return [(pool[i], pool[j], score, kind, method) for i, j, score, kind, method in found]
    # (signatures need the same codes for the same words in every process: characters)
    if strings is None:
        strings = _word_strings(units, pool, memo)
    if strings is None:
        return []
    import numpy as np  # (imported here: only a long document's search needs it)

    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=n)
    reused = _lsh_reused(memo, keys, strings, lengths, config, contained)
    if reused is not None:
        found, largest = reused
    else:
        i_idx, j_idx, largest = candidate_pairs_and_bucket(strings, config, memo.signatures)
        found = _lsh_found(strings, lengths, i_idx, j_idx, config, contained, memo)
    memo.lsh_pairs[contained] = (keys, found, largest, memo.signatures)
    return [(pool[i], pool[j], score, kind, method) for i, j, score, kind, method in found]


def _lsh_found(
    strings: list[str],
    lengths: np.ndarray,
    i_idx: np.ndarray,
    j_idx: np.ndarray,
    config: CleanerConfig,
    contained: bool,
    memo: Memo | None = None,
) -> list[_Match]:
    """The matches among the candidate pairs ``(i_idx, j_idx)`` (positions in ``strings``),
    ranked as :func:`_matches` returns them (``memo``: see :func:`_pair_scores`)."""
    import numpy as np

    if len(i_idx) == 0:
        return []
    common = _pair_scores(strings, i_idx, j_idx, memo)
    li, lj = lengths[i_idx], lengths[j_idx]
    (sel,) = np.nonzero(_kept(common, li, lj, config, contained))
    chosen = list(zip(i_idx[sel].tolist(), j_idx[sel].tolist(), common[sel].tolist(), strict=True))
    return _ranked(chosen, lengths.tolist(), config.min_score, config.containment_min_score, "lsh")


def _pair_scores(
    strings: list[str], i_idx: np.ndarray, j_idx: np.ndarray, memo: Memo | None
) -> np.ndarray:
    """The words two strings have in common, in order (RapidFuzz's LCS similarity of their
    characters), for each pair ``(strings[i], strings[j])``: an int64 array.

    A pair's count depends on its two strings alone, so the pairs ``memo`` verified before
    (by the rows of their strings in ``memo.signatures``, which holds every string an LSH
    search hashed) are looked up, and only the others compared: the second look's searches
    meet mostly the pairs the first one compared (a long document's rounds that cannot reuse
    the last search's matches, when a bucket outgrew ``MAX_BUCKET``, compare them all again
    otherwise).
    """
    import numpy as np

    if memo is None:
        return _compared(strings, i_idx, j_idx)
    cache = memo.verified
    if cache is not None and cache[0] is not memo.signatures:
        cache = memo.verified = None  # (the characters started over: other rows)
    rows = memo.signatures.rows_of(strings)  # (the LSH search's lookup of these strings)
    if rows is None:
        known = memo.signatures.rows
        seen = np.zeros(len(strings), dtype=bool)
        seen[i_idx] = True
        seen[j_idx] = True
        used = np.flatnonzero(seen)  # (the strings of some pair, in order)
        got = [known.get(strings[k]) for k in used.tolist()]
        if None in got:  # (a string the cache lacks: compared, not kept)
            return _compared(strings, i_idx, j_idx)
        rows = np.zeros(len(strings), dtype=np.int64)
        rows[used] = cast("list[int]", got)
    ri, rj = rows[i_idx], rows[j_idx]
    codes = (np.minimum(ri, rj) << 32) | np.maximum(ri, rj)
    common = np.empty(len(codes), dtype=np.int64)
    todo = np.ones(len(codes), dtype=bool)
    if cache is not None:
        _, old_codes, old_common = cache
        at = np.searchsorted(old_codes, codes)
        at[at == len(old_codes)] = 0
        hit = old_codes[at] == codes if len(old_codes) else np.zeros(len(codes), dtype=bool)
        common[hit] = old_common[at[hit]]
        todo = ~hit
    if todo.any():
        fresh = np.flatnonzero(todo)
        common[fresh] = _compared(strings, i_idx[fresh], j_idx[fresh])
        new_codes, new_common = codes[fresh], common[fresh]
        if cache is not None:
            new_codes = np.concatenate((cache[1], new_codes))
            new_common = np.concatenate((cache[2], new_common))
        order = np.argsort(new_codes, kind="stable")
        new_codes, new_common = new_codes[order], new_common[order]
        keep = np.concatenate(([True], new_codes[1:] != new_codes[:-1]))
        memo.verified = (memo.signatures, new_codes[keep], new_common[keep].astype(np.int32))
    return common


def _compared(strings: list[str], i_idx: np.ndarray, j_idx: np.ndarray) -> np.ndarray:
    """RapidFuzz's LCS similarity of each pair ``(strings[i], strings[j])`` (int64): in C
    where the core is there (the bit-parallel LCS of its all-pairs search, each string's
    rows made once for the pairs that start with it: a million pairs of 20-80 words in
    0.50 s, against 1.08 s for RapidFuzz, each of whose pairs builds its own, and 0.23 s to
    make its two lists), else with RapidFuzz."""
    import numpy as np

    native = _accel.native
    if native is not None:
        out = np.empty(len(i_idx), dtype=np.int32)
        i_c = np.ascontiguousarray(i_idx, dtype=np.int64)
        j_c = np.ascontiguousarray(j_idx, dtype=np.int64)
        if native.lcs_pairs(strings, i_c, j_c, out):
            return out.astype(np.int64)
    get = strings.__getitem__
    return np.asarray(
        process.cpdist(
            list(map(get, i_idx.tolist())),
            list(map(get, j_idx.tolist())),
            scorer=LCSseq.similarity,
            dtype=np.int32,
            workers=1,
        ),
        dtype=np.int64,
    )


_MAX_FRESH = 2_000  # more new units than this: the LSH search starts over (see _lsh_reused)


def _lsh_reused(
    memo: Memo,
    keys: list[str],
    strings: list[str],
    lengths: np.ndarray,
    config: CleanerConfig,
    contained: bool,
) -> tuple[list[_Match], int] | None:
    """The LSH matches among units with these ``keys`` (positions), from the memo's last LSH
    search of the same kind, when some of its units stand here in the same order: its
    matches among them, and the matches of the other (new) units, searched for the pairs
    that hold one; with the largest bucket's size (at most). ``None``: search afresh.

    A pair is a candidate when its two strings share a band, whatever the other strings
    are, while no bucket holds over ``MAX_BUCKET`` strings (and a new unit adds at most one
    to a bucket); its match depends on the two strings alone. So the matches among some
    units are the earlier search's matches among them, as for :func:`_reused` (units with
    the same key, in order, stand for each other), and a cut line's pieces (the second
    look's new units) cost a comparison with the others, not a new search.
    """
    last = memo.lsh_pairs.get(contained)
    if last is None:
        return None
    old_keys, old_found, largest, signatures = last
    if signatures is not memo.signatures:
        return None  # (the characters started over: other strings, other signatures)
    if keys == old_keys:
        # (the same units in the same order, the second look's last round mostly: a search
        # afresh would find these same matches, whatever the buckets)
        return old_found, largest
    placed = _earlier_places(old_keys, keys)
    if placed is None:
        return None
    now, fresh = placed
    if len(fresh) > _MAX_FRESH or largest + len(fresh) > MAX_BUCKET:
        return None
    found = _restricted(old_found, now)
    if fresh:
        i_idx, j_idx = candidate_pairs_with(strings, fresh, config, memo.signatures)
        found += _lsh_found(strings, lengths, i_idx, j_idx, config, contained, memo)
        size = lengths.tolist()
        # (in _ranked's order: by later unit, best score, longer earlier unit, position)
        found.sort(key=lambda m: (m[1], -m[2], -size[m[0]], m[0]))
    return found, largest + len(fresh)


def _reused(memo: Memo, keys: list[str], contained: bool) -> list[_Match] | None:
    """The all-pairs matches among units with these ``keys`` (positions in ``keys``), from
    the memo's last all-pairs search of the same kind when these units are some of its
    units, in the same order (the second look meets the units the first search kept).

    Each pair's match depends on the two keys alone (a key is its words joined), and the
    order of the matches on the order of the units: the matches among some units, in
    order, are the earlier search's matches among them. ``None`` when they are not.
    """
    last = memo.pairs.get(contained)
    if last is None:
        return None
    old_keys, old_found = last
    if keys == old_keys:
        return old_found
    placed = _earlier_places(old_keys, keys)
    if placed is None or placed[1]:  # (out of order, or a unit the search did not have)
        return None
    return _restricted(old_found, placed[0])


def _earlier_places(
    old_keys: list[str], keys: list[str]
) -> tuple[dict[int, int], list[int]] | None:
    """Where the units with ``keys`` stood among an earlier search's units (``old_keys``):
    ``(old position -> new position, new positions of keys the earlier search lacks)``, the
    old places in order and one to one (a repeated key takes the next old place of that key:
    equal keys, equal matches); ``None`` when they are out of order or repeat a key more
    often than before."""
    native = _accel.native
    if native is not None:
        return native.earlier_places(old_keys, keys)  # (the loop below, in C)
    # (one pass over both lists: each key takes the first old place of that key after the
    # last place taken, the old entries between are units this search lacks)
    known = set(old_keys)
    now: dict[int, int] = {}
    fresh: list[int] = []
    q, n_old = 0, len(old_keys)
    for p, k in enumerate(keys):
        if k not in known:
            fresh.append(p)
            continue
        while q < n_old and old_keys[q] != k:
            q += 1
        if q == n_old:
            return None
        now[q] = p
        q += 1
    return now, fresh


def _restricted(old_found: list[_Match], now: dict[int, int]) -> list[_Match]:
    """An earlier search's matches among the units it shares with this one, renumbered."""
    return [
        (now[i], now[j], score, kind, method)
        for i, j, score, kind, method in old_found
        if i in now and j in now
    ]


def _all_pairs(
    seqs: Sequence[list[str] | str],
    config: CleanerConfig,
    *,
    contained: bool,
    sizes: list[int] | None = None,
) -> list[_Match]:
    """The matches among all pairs of ``seqs`` (positions; each the words of a unit, or its
    key, the words joined by single spaces, with ``sizes`` their word counts): the C core's
    ``all_pairs`` (word-level LCS, bit-parallel, every pair in one call); without it, pair
    by pair for a few units, else one RapidFuzz matrix of common words (compared word by
    word, a word by its hash), which are its Python twins."""
    if sizes is None:
        sizes = [len(ws) if isinstance(ws, list) else len(_split_key(ws)) for ws in seqs]
    native = _accel.native
    if native is not None:
        found = native.all_pairs(
            seqs, config.min_score, config.containment_min_score, config.min_near_words, contained
        )
        if found is not None:  # (None: a unit of over 4,096 words, left to RapidFuzz)
            return _ranked(
                found, sizes, config.min_score, config.containment_min_score, "all_pairs"
            )
    words = [ws if isinstance(ws, list) else _split_key(ws) for ws in seqs]
    n = len(words)
    if n <= _PAIRWISE_MAX_UNITS:
        return _pairwise(words, config, contained=contained)
    import numpy as np

    lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
    common = process.cdist(words, words, scorer=LCSseq.similarity, dtype=np.int32, workers=1)
    i_sel, j_sel = np.nonzero(_kept(common, lengths[:, None], lengths[None, :], config, contained))
    upper = i_sel < j_sel  # each pair once, earlier first (a unit matches itself)
    i_sel, j_sel = i_sel[upper], j_sel[upper]
    chosen = list(zip(i_sel.tolist(), j_sel.tolist(), common[i_sel, j_sel].tolist(), strict=True))
    return _ranked(
        chosen, lengths.tolist(), config.min_score, config.containment_min_score, "all_pairs"
    )


def _kept(
    common: np.ndarray, li: np.ndarray, lj: np.ndarray, config: CleanerConfig, contained: bool
) -> np.ndarray:
    """Which pairs match, in a few array operations (float arithmetic exactly as in
    :func:`_ranked`)."""
    import numpy as np

    with np.errstate(invalid="ignore"):  # two empty units: 0 / 0 is nan, not a match
        keep: np.ndarray = 200.0 * common / (li + lj) >= config.min_score
    if contained:
        keep |= (lj <= li) & (100.0 * common / np.maximum(lj, 1) >= config.containment_min_score)
        keep |= (li < lj) & (common == li) & (li >= config.min_near_words)
    return keep


def _pairwise(seqs: list[list[str]], config: CleanerConfig, *, contained: bool) -> list[_Match]:
    """:func:`_matches` among a few units (most calls): each pair scored on its own, with
    the scorer and the float arithmetic of the matrix, without its fixed cost of array steps."""
    min_score, min_share = config.min_score, config.containment_min_score
    min_near = config.min_near_words
    size = list(map(len, seqs))
    similarity = LCSseq.similarity
    chosen: list[tuple[int, int, int]] = []
    for j in range(1, len(seqs)):
        later, b = seqs[j], size[j]
        for i in range(j):
            c = similarity(seqs[i], later)
            a = size[i]
            if (
                (a + b > 0 and 200.0 * c / (a + b) >= min_score)
                or (contained and b <= a and 100.0 * c / max(b, 1) >= min_share)
                or (contained and a < b and c == a and a >= min_near)
            ):
                chosen.append((i, j, c))
    return _ranked(chosen, size, min_score, min_share, "all_pairs")


def _ranked(
    chosen: list[tuple[int, int, int]],
    size: list[int],
    min_score: float,
    min_share: float,
    method: str,
) -> list[_Match]:
    """The matching pairs ``(earlier, later, common words)`` (positions) with their score
    and kind, in the order :func:`_matches` returns them."""
    # the few matches, one by one: near wins; else the later one is a shorter copy
    # (contained); else the earlier one stands word for word inside the later one (embedded)
    found: list[tuple[int, float, int, int, str]] = []
    for i, j, c in chosen:
        a, b = size[i], size[j]
        score, kind = 200.0 * c / (a + b), "near"
        if score < min_score:
            share = 100.0 * c / max(b, 1)
            score, kind = (
                (share, "contained") if b <= a and share >= min_share else (100.0, "embedded")
            )
        # by later unit; best score first; then the longer earlier unit (the larger piece
        # to cut out of a later one); then the earlier position
        found.append((j, -score, -a, i, kind))
    found.sort()
    return [(i, j, -neg, kind, method) for j, neg, _, i, kind in found]
