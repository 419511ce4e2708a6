"""A small, fast language guess: script by Unicode ranges, then distinctive stopwords.

Only the start of the document is read (``sample_chars``). Scripts decide Korean
(Hangul), Japanese (kana), Chinese (Han without kana), Hindi (Devanagari), Arabic vs
Persian (Persian letters), and Cyrillic and Latin texts are told apart by counting
stopwords that belong to one language only (words shared by two languages count for
none, so "de" or "a" never decides). Languages without a rule pack (Swedish, Czech,
Romanian...) are candidates too, so their text is not mistaken for a language that has one.

Example:
    >>> detect_language("Der Bundestag hat am Donnerstag über das Gesetz abgestimmt, "
    ...                 "und die Opposition ist nicht damit einverstanden.")
    'de'
    >>> detect_language("Президент заявил, что это решение было принято после консультаций.")
    'ru'
    >>> detect_language("東京都は十日、新しい計画を発表しました。")
    'ja'
    >>> detect_language("12345 !!!") is None
    True
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .. import _accel
from ..normalize import code_point_flags, lower_table

if TYPE_CHECKING:
    from .._accel import NativeCore

__all__ = ["detect_language"]

_SCRIPT_CHARS = tuple(
    (name, re.compile(chars))
    for name, chars in (
        ("ko", "[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
        ("kana", "[\u3040-\u30ff\uff66-\uff9f]"),
        ("han", "[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
        ("arabic", "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
        ("deva", "[\u0900-\u097f]"),
        ("cyrl", "[\u0400-\u04ff]"),
        ("latin", "[A-Za-z\u00c0-\u024f]"),
    )
)
_SCRIPT_MARKS = "0123456"  # a character per script of _SCRIPT_CHARS, in order


@functools.cache
def _script_flags() -> bytes:
    """Bit ``k`` set for each code point (below U+10000) of script ``k`` of ``_SCRIPT_CHARS``
    (for the C core's count; built once, ~10 ms)."""
    return code_point_flags(*((pattern, 1 << k) for k, (_, pattern) in enumerate(_SCRIPT_CHARS)))


@functools.cache
def _script_table() -> list[str | None]:
    """A ``str.translate`` table (by code point, below U+10000) that turns each character of a
    script of ``_SCRIPT_CHARS`` into that script's mark and drops every other one, so one
    pass and a ``count`` per script count the scripts (their classes are disjoint and below
    U+10000; a character past U+FFFF is left as it is, and is no mark). Built once (~10 ms).

    >>> "Да, ok 字".translate(_script_table())
    '55662'
    """
    return [_SCRIPT_MARKS[flag.bit_length() - 1] if flag else None for flag in _script_flags()]


def _script_counts(sample: str) -> dict[str, int]:
    """How many characters of each script of ``_SCRIPT_CHARS`` stand in ``sample``.

    >>> _script_counts("Да, ok 字")["cyrl"], _script_counts("Да, ok 字")["latin"]
    (2, 2)
    """
    native = _accel.native
    if native is not None:
        counts = native.flag_counts(sample, _script_flags(), len(_SCRIPT_CHARS))
        return {name: count for (name, _), count in zip(_SCRIPT_CHARS, counts, strict=True)}
    marked = sample.translate(_script_table())
    return {
        name: marked.count(mark)
        for (name, _), mark in zip(_SCRIPT_CHARS, _SCRIPT_MARKS, strict=True)
    }


_PERSIAN = re.compile(r"[پچژگکی]")
_ARABIC_ONLY = re.compile(r"[ةيكى]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_WORD = re.compile(r"[^\W\d_]+")

# Stopwords; a word listed under two languages is dropped from both (see _build).
_STOPWORDS: dict[str, str] = {
    "en": "the and of to is was that for with are have has this from they which been were "
    "their would said will about there what when who more also than into after could",
    "de": "der die das und ist nicht ein eine mit sich auf dem den des auch für von wird "
    "sind wurde zum zur bei nach noch wie über werden hat haben oder aber wenn sie",
    "fr": "le la les et est une des du dans pour pas que qui sur avec sont ont mais "
    "cette aux par plus il elle ces été leur était nous vous",
    "es": "el los las del en por una con para que es como pero sus más fue han este "
    "esta también son ha sobre entre cuando muy sin hasta desde ya",
    "it": "il di che è per una non con della sono gli del nel alla anche più come "
    "delle dei questo ha stato essere ma dalla degli sul dopo nella negli perché però quella",
    "pt": "o os as do da dos das em um uma com não para que é por mais foi são ao "
    "seu sua também já pelo pela está nos isso ele",
    "nl": "de het een en van is dat op te zijn niet met voor ook aan er maar bij "
    "wordt door werd naar hij zij heeft nog deze worden",
    "pl": "i w z na się nie do że jest to jak po od przez dla jego ale czy być już "
    "oraz tak który która są było tylko",
    "tr": "ve bir bu da de için ile çok daha olarak olan ama gibi sonra kadar ancak "
    "değil ise her şey ne mi en",
    "sv": "och att det som en på är av för med till den har inte om ett var jag men "
    "från vid så kan sig",
    "da": "og at det som en på er af for med til den har ikke om et var jeg men fra ved så kan sig",
    "ro": "și în de la cu pe că nu este din care o mai pentru sunt fost după sau",
    "cs": "a v se na je že s z do o to jako ale by jsou byl bylo které který",
    "id": "dan yang di ini itu dengan untuk dari tidak dalam akan pada juga ke karena ada oleh",
    "ru": "и в не на что он с как это по но из его она был все они так же за от были "
    "бы для только уже было после также который которые году может если чтобы более еще ещё "
    "сейчас между когда где или этого этом",
    "uk": "і в не на що він з як це по але із його вона був всі вони так же за від були "
    "б для тільки вже було та також після який яка які році може якщо щоб більш ще зараз між "
    "коли де або цього цьому",
    "bg": "и в не на че той с като това по но от е са за да се ще беше",
}


def _build() -> dict[str, str]:
    owner: dict[str, str] = {}
    shared: set[str] = set()
    for lang, words in _STOPWORDS.items():
        for word in set(words.split()):
            if word in owner and owner[word] != lang:
                shared.add(word)
            owner[word] = lang
    return {w: lang for w, lang in owner.items() if w not in shared}


_OWNER = _build()
_NONE: frozenset[str] = frozenset()
# Letters used by one language of the candidates only.
_OWN_LETTERS = {
    "pl": frozenset("łąęśżźćń"),
    "tr": frozenset("ğşı"),
    "pt": frozenset("ãõ"),
    "es": frozenset("ñ¿¡"),
    "de": frozenset("ß"),
    "ro": frozenset("șță"),
    "cs": frozenset("řěů"),
    "fr": frozenset("œ"),
    "uk": frozenset("іїєґ"),
}
_OWN_WORDS = tuple(
    (lang, frozenset(w for w, owner in _OWNER.items() if owner == lang)) for lang in _STOPWORDS
)
_CYRILLIC = frozenset({"ru", "uk", "bg"})


def _by_stopwords(sample: str, cyrillic: bool) -> str | None:
    """The language with the most distinct own stopwords in ``sample`` (clear winner only).

    Letters that only one language uses (Polish ł, Turkish ğ...) count as stopwords too.
    The first 300 characters decide when they give a clear winner.
    """
    head = _rank(sample[:300], cyrillic)
    if len(sample) <= 300 or (head[0][0] >= 4 and head[0][0] >= 2 * head[1][0]):
        ranked = head
    else:
        ranked = _rank(sample, cyrillic)
    (top, best), (second, _) = ranked[0], ranked[1]
    if top < 2 or top < 1.5 * second:
        return None
    return best


# the ranking's languages, in order, with their own letters, for the C core
_RANK_LANGS = {
    c: tuple(lang for lang, _ in _OWN_WORDS if (lang in _CYRILLIC) == c) for c in (False, True)
}
_RANK_INDEX = {c: {lang: i for i, lang in enumerate(langs)} for c, langs in _RANK_LANGS.items()}
_RANK_LETTERS = {
    c: tuple("".join(sorted(_OWN_LETTERS.get(lang, _NONE))) for lang in langs)
    for c, langs in _RANK_LANGS.items()
}
_LONGEST_STOPWORD = max(map(len, _OWNER))  # (the C core looks no longer word up)
# (the C core looks for own letters past ASCII only)
_LETTERS_PAST_ASCII = all(ord(ch) >= 0x80 for own in _OWN_LETTERS.values() for ch in own)


_STOPWORD_TABLES: dict[bool, bytes] = {}


def _stopword_table(native: NativeCore, cyrillic: bool) -> bytes:
    """The ranking's stopwords as the C core looks them up (made once per process)."""
    table = _STOPWORD_TABLES.get(cyrillic)
    if table is None:
        table = _STOPWORD_TABLES[cyrillic] = native.stopword_table(_OWNER, _RANK_INDEX[cyrillic])
    return table


def _rank(sample: str, cyrillic: bool) -> list[tuple[int, str]]:
    """Languages by their count of distinct own stopwords plus distinct own letters in
    ``sample`` (lowered), best first."""
    native = _accel.native
    if native is not None and _LETTERS_PAST_ASCII:
        scores = native.stopword_scores(
            sample,
            _stopword_table(native, cyrillic),
            _RANK_LANGS[cyrillic],
            _RANK_LETTERS[cyrillic],
            lower_table(),
            _LONGEST_STOPWORD,
        )
        return scores  # (ranked by the C core as the sort below ranks them)
    lowered = sample.lower()
    words = set(lowered.split())
    letters = set(lowered)
    return sorted(
        (
            (len(words & stop) + len(letters & _OWN_LETTERS.get(lang, _NONE)), lang)
            for lang, stop in _OWN_WORDS
            if (lang in _CYRILLIC) == cyrillic
        ),
        reverse=True,
    )


def _utf8_extra(text: str) -> int:
    """How many more bytes than characters ``text`` takes in UTF-8 (counted by the C core
    without encoding it)."""
    native = _accel.native
    if native is not None:
        return native.utf8_extra(text)
    return len(text.encode("utf-8", "surrogatepass")) - len(text)


def detect_language(text: str, *, sample_chars: int = 1000) -> str | None:
    """Return the ISO 639-1 code of ``text``, or ``None`` when unsure.

    Reads at most ``sample_chars`` characters from the start.

    >>> detect_language("نظرسنجی‌ها نشان می‌دهد که بیشتر مردم با این طرح موافق هستند")
    'fa'
    >>> detect_language("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.")
    'fr'
    """
    sample = text[:sample_chars]
    # Latin-script text has few multi-byte characters (curly quotes, some accents): skip
    # the script count (most documents take this path)
    if _utf8_extra(sample) < 0.15 * len(sample):
        return _by_stopwords(sample, cyrillic=False)
    counts = _script_counts(sample)
    total = sum(counts.values())
    if total < 8:
        return None
    cjk = counts["han"] + counts["kana"]
    if counts["ko"] >= 0.2 * total:
        return "ko"
    if cjk >= 0.3 * total:
        return "ja" if counts["kana"] >= 0.1 * cjk else "zh"
    if counts["arabic"] >= 0.4 * total:
        persian = len(_PERSIAN.findall(sample))
        arabic = len(_ARABIC_ONLY.findall(sample))
        return "fa" if persian > arabic else "ar"
    if counts["deva"] >= 0.4 * total:
        return "hi"
    if counts["cyrl"] >= 0.4 * total:
        found = _by_stopwords(sample, cyrillic=True)
        if found is None and total >= 20:  # few stopwords: Ukrainian letters decide
            found = "uk" if _UKRAINIAN.search(sample) else "ru"
        return found
    if counts["latin"] >= 0.4 * total:
        return _by_stopwords(sample, cyrillic=False)
    return None


_TYPOGRAPHIC = str.maketrans("", "", "’‘“”–—…•·«»€£©®™\u00a0")
_LATIN_LANGS = frozenset(
    {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "sv", "da", "ro", "cs", "id"}
)


def line_in_language(text: str, language: str, doc_language: str | None) -> bool:
    """Whether a short line of a ``doc_language`` document is written in ``language``.

    Used for fallback packs (English buttons and widgets on pages in other languages).
    For English: plain ASCII letters only, and (in a Latin-script document) no stopword
    that belongs to the document's language.

    >>> line_in_language("Share on Twitter", "en", "ko")
    True
    >>> line_in_language("Mehr zum Thema", "en", "de")
    False
    >>> line_in_language("공유하기", "en", "ko")
    False
    """
    if language != "en":
        return detect_language(text) == language
    if not text.translate(_TYPOGRAPHIC).isascii():
        return False
    if doc_language in _LATIN_LANGS and doc_language != "en":
        for word in _WORD.findall(text.lower()):
            if _OWNER.get(word) == doc_language:
                return False
    return True
