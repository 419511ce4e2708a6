"""The C core (cleaner._native) against its Python twins and against plain definitions.

The C core is optional: every function in it has a Python twin, and the whole clean gives
the same result with the core switched off. Hypothesis looks for input where they differ.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import random
import shutil
import subprocess
import sys
import sysconfig
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import hypothesis
import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq
from test_properties import EXAMPLES, SETTINGS, any_text, documents

import cleaner
from cleaner import CleanerConfig, _accel, dedup, lsh, normalize, segment
from cleaner._accel import NativeCore
from cleaner.assemble import assemble
from cleaner.leftovers import _Standing
from cleaner.normalize import (
    IN_PLACE_CARE,
    FoldedText,
    has_unspaced,
    in_place_table,
    lower_table,
)
from cleaner.rules import RuleEngine, language
from cleaner.rules import engine as rule_engine
from cleaner.segment import (
    SENTENCE_AFTER_STOP,
    SENTENCE_SPACE,
    Line,
    sentence_table,
    split_lines,
    split_sentences,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@pytest.fixture(scope="module")
def native() -> NativeCore:
    if _accel.loaded is None:
        pytest.skip("the C core is not built (no compiler, or CLEANER_BUILD_NATIVE=0)")
    return _accel.loaded


@pytest.fixture
def python_only() -> Iterator[None]:
    """Run the test body with the C core switched off (as CLEANER_NATIVE=0 would)."""
    saved = _accel.native
    _accel.native = None
    try:
        yield
    finally:
        _accel.native = saved


def _with_and_without_core(fn: Callable[..., T], *args: object) -> tuple[T, T]:
    """``fn(*args)`` with the C core, then with it switched off (its Python twins)."""
    saved = _accel.native
    try:
        fast = fn(*args)
        _accel.native = None
        slow = fn(*args)
    finally:
        _accel.native = saved
    return fast, slow


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


def test_the_core_is_built_where_a_compiler_is() -> None:
    if os.environ.get("CLEANER_BUILD_NATIVE") == "0":
        pytest.skip("the build of the C core was skipped on purpose (CLEANER_BUILD_NATIVE=0)")
    if _compiler() is None:
        pytest.skip("no C compiler: the pure-Python twins run")
    assert _accel.loaded is not None, (
        "a C compiler is here but cleaner._native did not build or import: "
        "run `pip install -e .` and read its output"
    )


def test_the_core_is_built_from_the_current_source(native: NativeCore) -> None:
    digest = hashlib.sha256()  # (as setup.py computes it)
    for path in sorted((REPO_ROOT / "cleaner" / "_c").glob("*.[ch]")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert digest.hexdigest() == native.SOURCE_SHA256, (
        "cleaner/_c/ changed since the C core was built: run `pip install -e .` again"
    )


def test_switched_off_by_the_environment(python_only: None) -> None:
    assert not _accel.available()
    assert not cleaner.c_core_in_use()


@pytest.mark.parametrize(("value", "in_use"), [("0", False), ("1", True)])
def test_the_environment_switch_and_the_version_line(
    native: NativeCore, value: str, in_use: bool
) -> None:
    env = {**os.environ, "CLEANER_NATIVE": value}
    run = subprocess.run(
        [sys.executable, "-c", "import cleaner; print(cleaner.c_core_in_use())"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert run.stdout.strip() == str(in_use)
    version = subprocess.run(
        [sys.executable, "-m", "cleaner", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    expected = "(C core in use)" if in_use else "(no C core: pure Python)"
    assert version.stdout.strip() == f"cleaner {cleaner.__version__} {expected}"


# ------------------------------------------------------------------ plain definitions


def plain_repeated_runs(line_words: Sequence[list[str]], n: int, min_runs: int) -> list[int]:
    """Lines with at least ``min_runs`` runs of ``n`` words (by position) whose words stand,
    the same and in the same order, at another run position too."""
    runs = [
        (i, tuple(ws[k : k + n])) for i, ws in enumerate(line_words) for k in range(len(ws) - n + 1)
    ]
    times = Counter(run for _, run in runs)
    per_line = Counter(i for i, run in runs if times[run] >= 2)
    return sorted(i for i, c in per_line.items() if c >= min_runs)


def plain_rough(texts: Sequence[str]) -> tuple[list[str], list[int], list[list[str]]]:
    rough = [t.lower().split() for t in texts]
    return [" ".join(ws) for ws in rough], [len(ws) for ws in rough], rough


# a few words, so that runs repeat
few_words = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "dé", "Σ", "a b"[:1], "x"]), max_size=12),
    max_size=12,
)
SPACES = " \t\u00a0\u2003\u3000\x1c\x1f\x85\u2028"
line_texts = st.lists(
    st.one_of(
        st.text(alphabet="ab cd" + SPACES + "ΣİẞﬁA", max_size=40),
        st.text(st.characters(exclude_categories=()), max_size=40),
        st.sampled_from(["The storm knocked out power to thousands of homes.", "ΟΔΟΣ Σ ΑΣ"]),
    ),
    max_size=14,
)


@SETTINGS
@given(line_words=few_words, n=st.integers(1, 5), min_runs=st.integers(1, 3))
def test_repeated_runs_is_the_plain_definition(
    native: NativeCore, line_words: list[list[str]], n: int, min_runs: int
) -> None:
    assert native.repeated_runs(line_words, n, min_runs) == plain_repeated_runs(
        line_words, n, min_runs
    )


@SETTINGS
@given(line_words=few_words)
def test_repeated_runs_is_its_numpy_twin(native: NativeCore, line_words: list[list[str]]) -> None:
    fast = set(native.repeated_runs(line_words, dedup._NGRAM, dedup._MIN_SHARED_GRAMS))
    assert fast == dedup._candidate_lines_numpy(line_words)


@SETTINGS
@given(texts=line_texts, n=st.integers(1, 5), min_runs=st.integers(1, 3))
def test_rough_scan_is_the_plain_definition(
    native: NativeCore, texts: list[str], n: int, min_runs: int
) -> None:
    keys, counts, found, copies = native.rough_scan(texts, n, min_runs, lower_table())
    plain_keys, plain_counts, rough = plain_rough(texts)
    assert keys == plain_keys
    # equal strings hash and look up alike (a key in a non-canonical form would not)
    assert [hash(k) for k in keys] == [hash(k) for k in plain_keys]
    assert all(type(k) is str for k in keys)
    assert counts == plain_counts
    assert found == plain_repeated_runs(rough, n, min_runs)
    times = Counter(plain_keys)
    assert copies == [times[k] for k in plain_keys]


def _odd_table() -> array[int]:
    """The lower table with a few entries no real table has: a one-byte character lowered
    past U+00FF, two-byte ones past U+FFFF and to a space, and spaces to letters."""
    table = array("I", lower_table())
    table[ord("q")] = 0x0100
    table[ord("é")] = 0x03A3
    table[ord("ж")] = 0x10400
    table[ord("_")] = 0x3000
    table[ord("\u2003")] = ord("w")
    table[ord("\t")] = ord("t")
    return table


@SETTINGS
@given(
    texts=st.lists(
        st.text(alphabet="aqQé_ \t\u2003жЖbΣİ.\u00a0", max_size=30)
        | st.text(alphabet="ab q_\t", max_size=20),
        max_size=10,
    ),
    n=st.integers(1, 5),
)
def test_rough_scan_lowers_by_the_table_given(native: NativeCore, texts: list[str], n: int) -> None:
    # each character as the table has it (ASCII lines, one- and two-byte ones; lowered past
    # what the line's own width holds, to a space, a space to a letter), split at spaces
    table = _odd_table()
    keys, counts, found, copies = native.rough_scan(texts, n, 1, table)
    # (a line holding a character the table leaves to Python is lowered by str.lower())
    rough = [
        t.lower().split()
        if any(table[ord(ch)] == IN_PLACE_CARE for ch in t)
        else "".join(chr(table[ord(ch)]) for ch in t).split()
        for t in texts
    ]
    plain_keys = [" ".join(ws) for ws in rough]
    assert keys == plain_keys
    assert [hash(k) for k in keys] == [hash(k) for k in plain_keys]
    assert counts == [len(ws) for ws in rough]
    assert found == plain_repeated_runs(rough, n, 1)
    times = Counter(plain_keys)
    assert copies == [times[k] for k in plain_keys]


def test_rough_scan_counts_the_lines_of_each_key(native: NativeCore) -> None:
    texts = ["The Vote", "the  vote", "THE VOTE\t", "a", "", " ", "A", "b", "the vote passed"]
    _, _, _, copies = native.rough_scan(texts, 4, 2, lower_table())
    assert copies == [3, 3, 3, 2, 2, 2, 2, 1, 1]


def test_rough_scan_hashes_alike_whichever_way_a_line_is_lowered(native: NativeCore) -> None:
    # "İ" (the table leaves it to str.lower(), which gives two code points) and a character
    # past U+FFFF send their lines down the careful path, after several words of the fast
    # one; the same key and the same runs of words from either path count together
    texts = [
        "Alpha beta GAMMA delta İstanbul",
        "alpha beta gamma delta i\u0307stanbul",
        "alpha beta gamma delta epsilon \U0001f600",
        "ALPHA BETA GAMMA DELTA EPSILON \U0001f600",
        "alpha beta gamma delta zeta",
    ]
    keys, counts, found, copies = native.rough_scan(texts, 4, 1, lower_table())
    assert keys == [" ".join(t.lower().split()) for t in texts]
    assert counts == [5, 5, 6, 6, 5]
    assert copies == [2, 2, 2, 2, 1]
    assert found == [0, 1, 2, 3, 4]  # "alpha beta gamma delta" stands in all five


def test_the_lower_table_is_str_lower() -> None:
    table = lower_table()
    for cp in range(0x10000):
        low = chr(cp).lower()
        if table[cp] == IN_PLACE_CARE:
            assert len(low) != 1 or cp == 0x03A3, cp
        else:
            assert low == chr(table[cp]), cp


def test_the_casefold_table_is_str_casefold() -> None:
    table = normalize.casefold_table()
    for cp in range(0x10000):
        folded = chr(cp).casefold()
        if table[cp] == IN_PLACE_CARE:
            assert len(folded) != 1, cp
        else:
            assert folded == chr(table[cp]), cp


def _scan_rows(
    native: NativeCore, prog: Any, text: str, lines: list[Line], *fold: array[int]
) -> list[Any]:
    """The C core's rows of the rule program ``prog`` for ``lines`` (``fold``: the casefold
    table, or none: str.casefold), as RuleEngine._find asks for them."""
    return native.scan_rule_lines(
        text,
        lines,
        None,
        prog.start.native_spec,
        prog.trailing.native_spec,
        [dispatch.native_spec for _, dispatch in prog.fallbacks],
        rule_engine._LEAD_CHARS,
        *fold,
    )


def test_rule_scan_folds_lines_as_str_casefold_does(native: NativeCore) -> None:
    """The rows are the same with the casefold table as with str.casefold, on lines whose
    folding the table does (É, ς, Cyrillic) and does not do (ß, a character past U+FFFF)."""
    engine = RuleEngine(cleaner.CleanerConfig())
    texts = [
        "FOLLOW US ON FACEBOOK, ÉCRIVEZ-NOUS ET PARTAGEZ",
        "Suivez-nous sur FACEBOOK et ÉCOUTEZ le podcast ΤΕΛΟΣ",
        "Folgen Sie uns auf FACEBOOK und lesen Sie die STRAẞE 𝐀",
        "ПОДПИСЫВАЙТЕСЬ НА НАШ КАНАЛ В ТЕЛЕГРАМ",
    ]
    for text in texts:
        lines = split_lines(text)
        for lang in ("en", "fr", "de", "ru"):
            prog = engine._program(lang)
            assert _scan_rows(native, prog, text, lines, normalize.casefold_table()) == (
                _scan_rows(native, prog, text, lines)
            )


def test_rule_scan_reads_hints_in_folds_to_and_from_ascii_as_the_python_twin_does(
    native: NativeCore,
) -> None:
    """The C scan looks for ASCII hints in a line's casefold projected on ASCII: characters
    that casefold into ASCII (the Kelvin sign, a long s), a dotless ı read as i, a combining
    dot dropped, and lines only str.casefold folds (ß, past U+FFFF) give the rows of the
    Python twin."""
    engine = RuleEngine(cleaner.CleanerConfig())
    texts = [  # (each hint a rule has stands in a line only through the character in it)
        "Sign up for our news\u0307letter",
        "Subscr\u0131be now",
        "Cli\u212aing on the \u201cbutton\u201d",
        "Join our mailing li\u017ft",
        "Stra\u00dfe \U0001d400: sign up for our newsletter",
        "Follow us on Twitter \u201cfor more\u201d",
    ]
    for text in texts:
        lines = split_lines(text)
        for lang in ("en", "tr", "de"):
            prog = engine._program(lang)
            plain = RuleEngine._scan_lines(prog, text, lines, None)
            assert _scan_rows(native, prog, text, lines, normalize.casefold_table()) == plain
            assert _scan_rows(native, prog, text, lines) == plain


def test_rule_scan_finds_each_hint_of_a_rule_of_many_as_the_python_twin_does(
    native: NativeCore,
) -> None:
    """A rule of many ``contains`` hints is first asked whether each hint's character pairs
    stand in the line (a quick "no"): every hint still lets the rule be tried wherever it
    stands, at the start, in the middle, at the end, alone, and across a fold; and a line
    whose pairs are all there but not in one place is not taken for one."""
    engine = RuleEngine(cleaner.CleanerConfig())
    prog = engine._program("en")
    rules = prog.start.rules
    many = [r for r in rules if len(r.hints) >= 4]
    assert many  # (the English pack has such rules: dateline, agency credit...)
    texts = []
    for rule in many:
        for hint in rule.hints:
            texts += [hint, f"{hint} at the start", f"At the end {hint}", f"x{hint}y"]
            texts.append(f"Mid {hint.upper()} line")
            if len(hint) >= 3:  # (its pairs, apart: not the hint)
                texts.append(f"{hint[:2]} {hint[1:]}")
    text = "\n".join(texts)
    lines = split_lines(text)
    plain = RuleEngine._scan_lines(prog, text, lines, None)
    assert _scan_rows(native, prog, text, lines, normalize.casefold_table()) == plain
    assert _scan_rows(native, prog, text, lines) == plain


def test_rule_scan_reads_the_dotted_and_dotless_i_as_the_python_twin_does(
    native: NativeCore,
) -> None:
    """Rule hints are compared as matching folds case: a line in Turkish capitals (İ
    casefolds to i and a combining dot) and one with a dotless ı still reach the rules whose
    hints they hold, in C (with the casefold table or str.casefold) as in Python."""
    engine = RuleEngine(cleaner.CleanerConfig())
    texts = [
        "İLGİLİ HABER: Merkez Bankası faizi sabit tuttu",
        "Maç 2-1 bitti. AYRICA OKUYUN: MAÇIN EN İYİ ANLARI",
        "Maç bitti. Devamı: maçın en iyi anları",
        "BÜLTENİMİZE ABONE OLUN, E-MAİL ADRESİNİZİ GİRİN",
    ]
    for text in texts:
        lines = split_lines(text)
        for lang in ("tr", "en"):
            prog = engine._program(lang)
            plain = RuleEngine._scan_lines(prog, text, lines, None)
            assert _scan_rows(native, prog, text, lines, normalize.casefold_table()) == plain
            assert _scan_rows(native, prog, text, lines) == plain
    found = [engine.find(t, split_lines(t), "tr") for t in texts[:3]]
    assert [[h.rule_id for h in hits] for hits in found] == [["tr/read-more"]] * 3


def test_rough_scan_folds_as_str_lower_does(native: NativeCore) -> None:
    # final sigma, a dotted capital I that lowers to two characters, spaces of every kind
    texts = ["ΟΔΟΣ  ΑΣ", "İstanbul\u00a0\u2003Σ", "  lead and trail \t", "", "one"]
    keys, counts, _, _ = native.rough_scan(texts, 4, 2, lower_table())
    assert keys == [" ".join(t.lower().split()) for t in texts]
    assert keys[0] == "οδος ας"
    assert counts == [2, 2, 3, 0, 1]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda n: n.rough_scan(["ok", 5], 4, 2, lower_table()), "texts[1] must be str, not int"),
        (lambda n: n.repeated_runs([["a"], ("b",)], 4, 2), "line_words[1] must be a list"),
        (lambda n: n.repeated_runs([["a", 3]], 1, 2), "line_words[0][1] must be str"),
        (lambda n: n.rough_scan(5, 4, 2, lower_table()), "texts must be a sequence"),
    ],
)
def test_bad_input_is_named(native: NativeCore, call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call(native)  # type: ignore[operator]


def test_bad_run_length(native: NativeCore) -> None:
    with pytest.raises(ValueError, match="n must be at least 1"):
        native.rough_scan(["a"], 0, 2, lower_table())


def test_the_in_place_table_is_what_folded_text_does() -> None:
    # every code point below U+10000: folded in place to the same character, or not at all
    table = in_place_table()
    for cp in range(0x10000):
        ch = chr(cp)
        folded = FoldedText(ch)
        if table[cp] == IN_PLACE_CARE:
            assert not folded.in_place, cp
        else:
            assert folded.in_place, cp
            assert folded._folded == chr(table[cp]), cp


def _python_parts(text: str, spans: list[tuple[int, int]]) -> tuple[object, ...]:
    sentence_words, lws = dedup._words_of(text, spans)
    keys = [" ".join(ws) for ws in sentence_words]
    digits = [sum(w[0].isdecimal() for w in ws) for ws in sentence_words]
    return sentence_words, keys, digits, lws, " ".join(lws), sum(w[0].isdecimal() for w in lws)


line_text = st.one_of(
    st.text(max_size=120),
    # digits that are not decimal (Ethiopic U+1369, superscript two) beside decimal ones
    st.text(alphabet="Ab. 5x?!“”’ÉéßİΣ\u00a0\t&;#\u3002\u0e01\u1369²٣", max_size=80),
    st.text(st.characters(exclude_categories=()), max_size=80),
    st.sampled_from(
        ["Mr. Smith went to Washington. He arrived at 10 a.m. on Monday.", "A 5% rise."]
    ),
    # characters that stand for more than one (normalize.expansions) beside stops, closers,
    # question marks, combining marks, jamo and entities, and ones that hold such characters
    st.text(alphabet="Ab 5.?!)’½¾ßẞﬁﬀŉ⁇‼⑴⒈⁄\u0301\u0307ᄀ가&;", max_size=60),
    # invisible characters, which stand for nothing, inside words, at their ends and at
    # sentence ends, beside combining marks, jamo and closers
    st.text(
        alphabet="Ab 5.?)”’\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u0301ᄀ\u1161e中", max_size=60
    ),
)


@SETTINGS
@given(text=line_text)
def test_a_text_with_its_expansions_replaced_has_its_words(text: str) -> None:
    """What normalize.expansions claims: with its characters replaced by what they stand
    for, a text without ``&`` that is then NFKC-normalized folds to the same words."""
    table, pattern = normalize.expansions()
    expanded = text.translate(table)
    assert (pattern.search(text) is None) == (expanded == text)
    if "&" not in text and unicodedata.is_normalized("NFKC", expanded):
        assert normalize.words(expanded) == normalize.words(text)


def _parts_both_ways(
    native: NativeCore, monkeypatch: pytest.MonkeyPatch, text: str
) -> tuple[list[str], Any, Any]:
    """The texts the C core's ``line_parts`` was given for the line ``text``, and the line's
    parts with the core and without it."""
    (line,) = split_lines(text)
    calls: list[str] = []

    class Spy:
        def __getattr__(self, name: str) -> object:
            return getattr(native, name)

        def line_parts(self, *args: object) -> object:
            calls.append(cast(str, args[0]))
            return native.line_parts(*args)

    monkeypatch.setattr(_accel, "native", Spy())
    fast, slow = _with_and_without_core(dedup._line_parts, line, cleaner.CleanerConfig())
    return calls, fast, slow


def test_lines_with_expansions_fold_in_c_to_the_same_parts(
    native: NativeCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "½" or a "ß" no longer sends a line down the careful path: the C core folds it with
    them replaced, the same parts (the sentences where the line has them) as Python."""
    text = "Add ½ cup of sugar to the Straße mix. Stir it well for ¾ of an hour?"
    calls, fast, slow = _parts_both_ways(native, monkeypatch, text)
    assert calls == [text, text.replace("½", "1⁄2").replace("ß", "ss").replace("¾", "3⁄4")]
    assert fast == slow
    assert fast[0].spans == [(0, 37), (38, 68)]
    # "⒈" stands for "1.", a stop the line does not end with: it stays on the careful path
    assert dedup._expanded_line("Step ½ is ⒈", [(0, 11)]) is None
    step = split_lines("Stir for ½ hour in step ⒈")[0]
    config = cleaner.CleanerConfig()
    assert _with_and_without_core(dedup._line_parts, step, config)[0][0].prose is False
    assert dedup._expanded_line("Tom & ½", [(0, 7)]) is None  # (an entity could form)


def test_lines_with_invisible_characters_inside_words_fold_in_c(
    native: NativeCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A soft hyphen or a zero-width space inside a word stands for nothing: the C core folds
    the line without it, the same parts as Python; one that ends a sentence (before a
    closer, a space or the line's end) keeps the line on the careful path."""
    # ("Dienstag\u200b beschlossen": before a space, it stays; the line stays careful)
    text = "Die Bundes\u00adregierung hat am Dienstag\u200b beschlossen. Zero\u200bwidth!"
    calls, fast, slow = _parts_both_ways(native, monkeypatch, text)
    assert calls == [text]
    assert fast == slow
    inside = "Die Bundes\u00adregierung hat am Dienstag beschlossen. Zero\u200bwidth!"
    calls, fast, slow = _parts_both_ways(native, monkeypatch, inside)
    assert calls == [inside, inside.replace("\u00ad", "").replace("\u200b", "")]
    assert fast == slow
    assert fast[0].key == "die bundesregierung hat am dienstag beschlossen zerowidth"
    for ending in ("Done.\u200b", "Done\u200b.", "“Done.\u200b”", "Done.\u200b Next."):
        spans = split_sentences(ending, 0, len(ending))
        assert dedup._expanded_line(ending, spans) is None, ending


@SETTINGS
@given(text=st.text(alphabet="Ab1 .?½¼ßﬁ\u00ad\u200b”⒈&", max_size=40))
def test_expanded_line_moves_each_sentence_with_its_replacements(text: str) -> None:
    """Where a line is expanded, it is the line with each replaceable character replaced,
    and each sentence's span lands on that sentence, replaced alike."""
    table, _ = normalize.expansions()
    spans = split_sentences(text, 0, len(text))
    got = dedup._expanded_line(text, spans)
    if got is None:
        return
    expanded, moved = got
    assert expanded == text.translate(table)
    assert len(moved) == len(spans)
    for (s, e), (new_s, new_e) in zip(spans, moved, strict=True):
        assert expanded[new_s:new_e] == text[s:e].translate(table)
        assert expanded[:new_s] == text[:s].translate(table)


@SETTINGS
@given(text=line_text)
def test_fold_parts_is_its_python_twin(native: NativeCore, text: str) -> None:
    text = text.strip() or "x"
    spans = split_sentences(text, 0, len(text))
    got = native.fold_parts(text, spans, in_place_table())
    if got is None:
        # only where the Python side takes its careful path (an entity, a character that
        # needs care), or for a character past U+FFFF, which C leaves to it
        assert not FoldedText(text).in_place or max(map(ord, text)) > 0xFFFF
        return
    assert FoldedText(text).in_place
    assert got == _python_parts(text, spans)
    assert all(type(k) is str for k in got[1])
    assert type(got[4]) is str


def test_fold_parts_folds_ordinary_text(native: NativeCore) -> None:
    text = "“He said: DON’T panic!” ÉTÉ 2024. 5 of 7 rose \u1369 ٣"
    spans = split_sentences(text, 0, len(text))
    got = native.fold_parts(text, spans, in_place_table())
    assert got is not None
    sentence_words, keys, digits, lws, key, total = got
    assert keys == ["he said don t panic", "été 2024", "5 of 7 rose \u1369 ٣"]
    assert digits == [0, 1, 3]  # (an Ethiopic digit is no decimal digit: Python's \\d agrees)
    assert total == 4
    assert lws == [w for ws in sentence_words for w in ws]
    assert key == " ".join(keys)


def test_fold_parts_shares_the_sentences_words_with_the_line(native: NativeCore) -> None:
    text = "The vote passed on Tuesday. Ürün fiyatları 5% arttı! Ça va?"
    spans = split_sentences(text, 0, len(text))
    got = native.fold_parts(text, spans, in_place_table())
    assert got is not None
    sentence_words, keys, _, lws, key, _ = got
    assert len(sentence_words) == 3
    assert lws == [w for ws in sentence_words for w in ws]
    assert all(a is b for a, b in zip(lws, (w for ws in sentence_words for w in ws), strict=True))
    assert key == " ".join(keys) == "the vote passed on tuesday ürün fiyatları 5 arttı ça va"
    # strings made in their most compact kind compare and hash like any other
    assert dict.fromkeys(lws, 1).get("fiyatları") == 1
    assert hash(key) == hash("".join(list(key)))


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Q&A and R & D", False),
        ("AT&T profits", False),
        ("a &", False),
        ("x &#x; y", False),
        ("x &#; y", False),
        ("x &#123 y", False),
        ("x &#x1F y", False),
        ("x &amp y", False),
        ("x &_a; y", False),
        ("x &1a; y", False),
        ("a &amp; b", True),
        ("AT&T; profits", True),  # (an unknown name: unescape keeps it, but it is careful)
        ("x &#123; y", True),
        ("x &#x1F; y", True),
        ("x &#\u0663; y", True),  # (an Arabic-Indic digit is a decimal digit for \d)
        ("Tom&Jerry_2;", True),
        ("x &b\u0663_; y", True),
    ],
)
def test_fold_parts_folds_a_line_with_an_ampersand_but_no_entity(
    native: NativeCore, text: str, entity: bool
) -> None:
    """A ``&`` that starts no entity is text (the line folds in place, as words() has it);
    one that starts an entity sends the line down the careful path."""
    got = native.fold_parts(text, [(0, len(text))], in_place_table())
    assert FoldedText(text).in_place is not entity
    if entity:
        assert got is None
    else:
        assert got is not None
        assert got[3] == normalize.words(text)


def test_fold_parts_rejects_bad_input(native: NativeCore) -> None:
    with pytest.raises(ValueError, match="65536"):
        native.fold_parts("abc", [(0, 3)], array("I", [0]) * 10)
    with pytest.raises(ValueError, match=r"span 0 \(0, 9\) is outside the text"):
        native.fold_parts("abc", [(0, 9)], in_place_table())
    with pytest.raises(TypeError, match="text must be str"):
        native.fold_parts(b"abc", [(0, 3)], in_place_table())  # type: ignore[arg-type]


# lines that take the careful path: a character that cannot fold in place among sentences
careful_text = st.lists(
    st.sampled_from(
        [
            "😀",
            "Ab",
            "cd",
            "Él",
            " ",
            "  ",
            ". ",
            "! ",
            "½",
            "¾",
            "\u200b",
            "e\u0301",
            "&amp;",
            "&amp",
            "の",
            "\u00a0",
            "\t",
            "ß",
            "İ",
            "\u001f",
            "ﬁ",
            "Σ",
            "x.",
            "A.",
            "2.",
        ]
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(SETTINGS, max_examples=4 * EXAMPLES)
@given(text=st.one_of(careful_text, line_text))
def test_careful_words_are_the_words_of_the_line_and_its_sentences(
    native: NativeCore, text: str
) -> None:
    text = text.strip()
    spans = split_sentences(text, 0, len(text))
    fast = dedup._careful_words(text, spans)
    saved = _accel.native
    try:
        _accel.native = None
        slow = dedup._words_of(text, spans)
    finally:
        _accel.native = saved
    assert fast == slow
    if not FoldedText(text).in_place:
        assert slow[1] == normalize.words(text)


def test_careful_words_share_the_sentences_words_only_where_spaces_part_them(
    native: NativeCore,
) -> None:
    text = "Half a cup ½ of flour. Then stir well."
    spans = split_sentences(text, 0, len(text))
    sentence_words, line_words = dedup._careful_words(text, spans)
    assert len(spans) == 2
    assert line_words == normalize.words(text)
    assert line_words == sentence_words[0] + sentence_words[1]
    # an invisible separator between two sentences parts no words: the line's words come
    # from the whole line, where the two words around it join
    glued = "One word½.\u001fTwo"
    spans = split_sentences(glued, 0, len(glued))
    assert dedup._careful_words(glued, spans)[1] == normalize.words(glued)


def _unit_fields(units: list[dedup._Unit]) -> list[tuple[object, ...]]:
    return [tuple(getattr(u, f.name) for f in dataclasses.fields(u)) for u in units]


_WORDS = ["council", "budget", "storm", "power", "homes", "region", "crews", "lines"]
# sentences of every length around the guards' limits (min_near_words 8, a short copy's
# 4 words, 15 words of prose), with or without a stop, asked, or marked as a frame
_unit_sentences = st.builds(
    lambda n, start, end, lead: (
        lead + " ".join(_WORDS[(start + k) % len(_WORDS)] for k in range(n)).capitalize() + end
    ),
    st.integers(min_value=1, max_value=22),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["", ".", "?", " @home"]),
    st.sampled_from(["", "", "", "— ", "- ", "# "]),
)
_unit_lines = st.lists(_unit_sentences, min_size=1, max_size=3).map(" ".join)


@st.composite
def unit_documents(draw: st.DrawFn) -> str:
    """Lines drawn from a few, so that some stand once, twice, three or more times."""
    pool = draw(st.lists(_unit_lines, min_size=1, max_size=6))
    return "\n".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=14)))


@SETTINGS
@given(
    text=st.one_of(documents(), unit_documents()),
    keep_words=st.booleans(),
    blocked=st.sets(st.integers(min_value=0, max_value=12), max_size=3),
)
@hypothesis.example(  # a heading-like line three times between lines standing once, and twice
    text="\n".join(
        ["Council budget storm power homes region", f"Lines towns prices fuel {k}." * 3][j % 2]
        for k in range(2)
        for j in range(2)
    )
    + "\nCouncil budget storm power homes region",
    keep_words=True,
    blocked=set(),
)
@hypothesis.example(  # lines whose parts the core leaves to Python: Thai, ½, astral
    text="\n".join(
        ["ราคาน้ำมันสูงขึ้นมาก วันนี้ Prices rose.", "Add ½ cup of milk to the bowl, then stir well."]
        + ["Math 𝐀 bold letters stand here in the middle of a sentence."] * 2
    )
    * 2,
    keep_words=True,
    blocked=set(),
)
@hypothesis.example(
    text="\n".join(["Council budget storm power homes region", "Lines towns prices fuel."] * 3),
    keep_words=False,
    blocked={1},
)
def test_collected_units_are_the_same_without_the_core(
    native: NativeCore, text: str, keep_words: bool, blocked: set[int]
) -> None:
    """collect_units (the candidate loop of _collect in C) makes the units, guards and
    sentence ids of its Python twin, with the memo full, empty or keeping keys only."""
    lines = split_lines(text)
    config = cleaner.CleanerConfig()
    saved = _accel.native
    memos: list[object] = []
    try:
        got = []
        for core in (native, None, native):
            _accel.native = core
            memo = dedup.Memo(keep_words=keep_words)
            first = dedup._collect(text, lines, blocked, config, memo)
            parts = dict(memo.parts)  # (the lines' parts, made in C or in Python)
            again = dedup._collect(text, lines, blocked, config, memo)  # (the memo is full)
            got.append([_unit_fields(r[0]) + _unit_fields(r[1]) for r in (first, again)])
            memos.append(parts)
            assert first[2:] == again[2:]
    finally:
        _accel.native = saved
    assert got[0] == got[1] == got[2]
    assert got[0][0] == got[0][1]
    assert memos[0] == memos[1] == memos[2]


def test_collect_units_builds_another_unit_class_through_its_init(native: NativeCore) -> None:
    """A unit class that is not the plain slots class gets its __init__ called."""
    made: list[tuple[object, ...]] = []

    class Unit:
        def __init__(self, *values: object) -> None:
            made.append(values)

    text = "The storm knocked out power to thousands of homes across the region.\n" * 2
    lines = split_lines(text)
    config = cleaner.CleanerConfig()
    memo = dedup.Memo()
    line_units, sentences, _, (open_lines, _, _, copies) = dedup._collect(
        text, lines, set(), config, memo
    )
    native.collect_units(
        open_lines, [0, 1], copies, memo.parts, lambda line: None, Unit, *_UNIT_LIMITS
    )
    assert len(made) == len(line_units) + len(sentences) == 4
    end = text.index("\n")
    assert made[0][:6] == (0, 0, 0, end, sentences[0].key, 12)
    assert made[1][:6] == (0, 0, 0, end, line_units[0].key, 12)
    assert made[1][10] == [0]


_UNIT_LIMITS = (8, 4, 20, 4, "-", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], [0], [1], {}, print, dedup._Unit, *_UNIT_LIMITS), "a position past the lines"),
        ((None, [], [], {}, print, dedup._Unit, *_UNIT_LIMITS), "must be lists"),
        (([], [], [], {}, print, dedup._Unit, *_UNIT_LIMITS[:-1], (1,)), "parts_args must be"),
        (
            (
                [Line(0, 0, 0, 3, "abc", "text")],
                [0],
                [1],
                {"abc": (1, 2)},
                print,
                dedup._Unit,
                *_UNIT_LIMITS,
            ),
            "a line's parts must be a 3-tuple",
        ),
    ],
)
def test_collect_units_names_bad_input(
    native: NativeCore, args: tuple[object, ...], message: str
) -> None:
    with pytest.raises((TypeError, IndexError), match=message):
        native.collect_units(*args)  # type: ignore[arg-type]


_HEADINGS = [
    "Markets Rally As Rates Fall",
    "Rally As Rates Fall",
    "Ėast Ward Results",
    "Storm warning for the coast",
    "What Happens Next",
    "2024 results in full",
    "the quiet village of hale",
    "Council votes on the budget plan tonight at the town hall",
    "Ask @editor",
    "— Reuters staff",
]
_BODIES = [
    "The council approved the new budget after a long debate.",
    "Prices rose sharply in March as fuel costs climbed!",
    "He said it was over.”",
    "Crews worked through Monday to restore the lines",
    "Fewer than 10 homes still had no power (officials said).",
]


@st.composite
def glued_documents(draw: st.DrawFn) -> str:
    """A few headings standing alone, then paragraphs, headings, and paragraphs with a
    heading glued on (after a stop or not, parted by a space, a tab, spaces or a no-break
    space)."""
    heads = draw(st.lists(st.sampled_from(_HEADINGS), min_size=1, max_size=4, unique=True))
    out = list(heads)
    for _ in range(draw(st.integers(min_value=1, max_value=10))):
        heading = draw(st.sampled_from(heads + _HEADINGS))
        body = draw(st.sampled_from(_BODIES))
        shape = draw(st.sampled_from(["heading", "body", "glued", "glued", "glued", "list"]))
        if shape == "heading":
            out.append(heading)
        elif shape == "body":
            out.append(body)
        elif shape == "list":
            out.append("- " + heading)
        else:
            gap = draw(st.sampled_from([" ", "  ", "\t", " \u00a0", "\u00a0", " \t "]))
            out.append(body + gap + heading)
    return "\n".join(out)


_GLUED_EXAMPLES = [
    # (a heading in lower case is not taken; one of 14 words, the most a heading has, is)
    "the quiet village of hale\nThe vote passed after a long debate. the quiet village of hale",
    "Council votes on the budget plan for the new year at the town hall\n"
    "The vote passed. Council votes on the budget plan for the new year at the town hall",
    # (more headings' last words than the C core compares in place: looked up in a dict)
    "\n".join(f"Results for district {k}" for k in range(1, 10))
    + "\nThe count ended late. Results for district 9"
    + "\nThe count ended. Results for district 1",
]


@hypothesis.example(text=_GLUED_EXAMPLES[0], gone=set())
@hypothesis.example(text=_GLUED_EXAMPLES[1], gone=set())
@hypothesis.example(text=_GLUED_EXAMPLES[2], gone=set())
@SETTINGS
@given(
    text=st.one_of(glued_documents(), documents()),
    gone=st.sets(st.integers(min_value=0, max_value=12), max_size=3),
)
def test_glued_headings_are_the_same_without_the_core(
    native: NativeCore, text: str, gone: set[int]
) -> None:
    """glued_candidates (the search of _glued_headings in C) finds the removals of its
    Python twin."""
    lines = split_lines(text)
    config = cleaner.CleanerConfig()
    _, _, _, (open_lines, counts, keys, copies) = dedup._collect(
        text, lines, set(), config, dedup.Memo()
    )
    fast, slow = _with_and_without_core(
        dedup._glued_headings, text, open_lines, counts, keys, copies, gone
    )
    assert fast == slow


_edge_word = st.sampled_from(["storm", "warning", "coast", "a", "é", "東京", "x"])


@st.composite
def _glued_units(draw: st.DrawFn) -> list[tuple[list[str], int, bool, bool]]:
    """(words, start, short, removed) of up to ten units: short ones from a few headings,
    and lines that hold a heading at their start or end (or no heading)."""
    words = st.lists(_edge_word, max_size=4)
    headings = draw(st.lists(st.lists(_edge_word, min_size=1, max_size=4), min_size=1, max_size=3))
    out = []
    for place in range(draw(st.integers(0, 10))):
        heading = draw(st.sampled_from(headings))
        short = draw(st.booleans())
        if not short:
            where = draw(st.sampled_from(["start", "end", "none"]))
            more = draw(words)
            heading = (
                heading + more if where == "start" else more + heading if where == "end" else more
            )
        # (most units end before the later ones start; some are removed)
        start = 6 * place + draw(st.integers(0, 8))
        out.append((heading, start, short, draw(st.integers(0, 3)) == 0))
    return out


@SETTINGS
@given(units=_glued_units(), min_words=st.integers(1, 3), top_words=st.integers(1, 8))
def test_glued_starts_are_the_same_without_the_core(
    native: NativeCore,
    units: list[tuple[list[str], int, bool, bool]],
    min_words: int,
    top_words: int,
) -> None:
    """glued_starts (step 2b's choice of lines and their short lines, in C) gives what its
    Python twin gives, with find_duplicates' tables made of the short units."""
    made = [
        dedup._Unit(
            0,
            1,
            start,
            start + 5,
            " ".join(ws),
            len(ws),
            True,
            True,
            None,
            removed=removed,
            short=short,
        )
        for ws, start, short, removed in units
    ]
    shorts = {u.key: u for u in reversed(made) if u.short and not u.removed}
    with pytest.MonkeyPatch.context() as m:
        m.setattr(dedup, "_GLUED_MIN_WORDS", min_words)
        m.setattr(dedup, "_STRUCTURED_MIN_WORDS", top_words)
        fast, slow = _with_and_without_core(dedup._glued_starts, made, shorts)
    assert [(k, id(u)) for k, u in fast] == [(k, id(u)) for k, u in slow]
    for k, kept in slow:
        ws = made[k].key.split(" ")
        assert kept.short
        assert kept.end <= made[k].start
        assert kept.key.split(" ") in (ws[-kept.n_words :], ws[: kept.n_words])


# keys that repeat: few letters, of several widths (a str holding a wider character stores
# all of it wider), the empty key among them
_repeating_keys = st.lists(
    st.text(alphabet=st.sampled_from("ab é€\U0001f600"), max_size=3), max_size=40
)


@SETTINGS
@given(keys=_repeating_keys)
def test_repeated_keys_are_the_same_without_the_core(native: NativeCore, keys: list[str]) -> None:
    """repeated_keys (steps 1 and 5's first place of each key, in C) gives what its Python
    twin gives: each unit whose key an earlier one has, with the place of the first."""
    # (equal keys as distinct str objects, as units of different lines hold them)
    made = [dedup._Unit(0, 0, 0, 1, "".join(list(key)), 1, True, True, None) for key in keys]
    fast, slow = _with_and_without_core(dedup._repeated_keys, made)
    assert fast == slow
    assert slow == [(k, keys.index(key)) for k, key in enumerate(keys) if keys.index(key) < k]


# strings of one character per word, as the LSH pairs' strings are: a few characters, of
# every width, long enough for one, two and three 64-bit blocks of the bit-parallel LCS
_word_strings = st.lists(
    st.text(alphabet=st.sampled_from("ab\u00e9\u0100\u4e00\U0001f600"), max_size=150),
    min_size=1,
    max_size=8,
)


@SETTINGS
@given(strings=_word_strings, data=st.data())
def test_lcs_pairs_are_rapidfuzz_lcs(
    native: NativeCore, strings: list[str], data: st.DataObject
) -> None:
    """lcs_pairs (the LSH pairs' common words, in C) gives RapidFuzz's LCSseq.similarity for
    every pair, in the LSH search's order (by the first string) or any other."""
    n = len(strings)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    if data.draw(st.booleans()):
        pairs.sort()
    i_idx = np.array([i for i, _ in pairs], dtype=np.int64)
    j_idx = np.array([j for _, j in pairs], dtype=np.int64)
    out = np.full(len(pairs), -1, dtype=np.int32)
    assert native.lcs_pairs(strings, i_idx, j_idx, out)
    assert out.tolist() == [LCSseq.similarity(strings[i], strings[j]) for i, j in pairs]
    fast, slow = _with_and_without_core(dedup._compared, strings, i_idx, j_idx)
    assert fast.tolist() == slow.tolist() == out.tolist()


def test_lcs_pairs_leave_long_strings_and_bad_input_alone(native: NativeCore) -> None:
    one = np.zeros(1, dtype=np.int64)
    out = np.zeros(1, dtype=np.int32)
    assert not native.lcs_pairs(["a" * 4097], one, one, out)  # (RapidFuzz takes it)
    assert native.lcs_pairs(["a" * 4096], one, one, out)
    assert out[0] == 4096
    with pytest.raises(IndexError, match="pair 0 names no string"):
        native.lcs_pairs(["a"], one + 1, one, out)
    with pytest.raises(TypeError, match="must be a list of str"):
        native.lcs_pairs(("a",), one, one, out)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="of one length"):
        native.lcs_pairs(["a"], one, one, np.zeros(2, dtype=np.int32))
    with pytest.raises(ValueError, match="must be an int64 array"):
        native.lcs_pairs(["a"], one.astype(np.int32), one, out)


def test_repeated_keys_reject_bad_input(native: NativeCore) -> None:
    with pytest.raises(TypeError, match="units must be a list"):
        native.repeated_keys(())  # type: ignore[arg-type]
    unit = dedup._Unit(0, 1, 0, 1, 3, 2, True, True, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key must be a str"):
        native.repeated_keys([unit])


def test_glued_starts_group_lines_and_earlier_places_reject_bad_input(
    native: NativeCore,
) -> None:
    with pytest.raises(TypeError, match="two lists of keys"):
        native.earlier_places(("a",), ["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keys must be str"):
        native.earlier_places(["a"], [1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="lines: list, removals: list"):
        native.group_lines((), [])  # type: ignore[arg-type]
    unit = dedup._Unit(0, 1, 0, 1, "a b", 2, True, True, None)
    with pytest.raises(TypeError, match="three dicts and a set"):
        native.glued_starts([unit], {}, {"b"}, {}, set(), 20, 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be sets"):
        native.glued_starts([unit], {}, {"b": [2]}, {}, set(), 20, 5)


def test_glued_headings_are_found_in_c(native: NativeCore) -> None:
    text = (
        "Storm warning for the coast\n"
        "The council approved the new budget after a long debate. Storm warning for the coast\n"
        "2024 results in full\n"
        "Prices rose sharply in March as fuel costs climbed!\t2024 results in full"
    )
    lines = split_lines(text)
    _, _, _, (open_lines, counts, keys, copies) = dedup._collect(
        text, lines, set(), cleaner.CleanerConfig(), dedup.Memo()
    )

    def search(gone: object) -> list[tuple[int, int, int]]:
        return native.glued_candidates(
            open_lines,
            counts,
            keys,
            copies,
            gone,  # type: ignore[arg-type]
            14,
            "—",
            ".!?",
            "”",
            ".!?”",
        )

    at = [text.splitlines()[1].index("Storm"), text.splitlines()[3].index("2024")]
    assert search(set()) == [(1, at[0], 0), (3, at[1], 2)]
    assert search({0}) == [(3, at[1], 2)]  # (a heading gone)
    with pytest.raises(TypeError, match="a set"):
        search([0])
    many = [(9, len("The count ended late. "), 8), (10, len("The count ended. "), 0)]
    for example, expected in zip(_GLUED_EXAMPLES, ([], [(1, 17, 0)], many), strict=True):
        lines = split_lines(example)
        _, _, _, (open_lines, counts, keys, copies) = dedup._collect(
            example, lines, set(), cleaner.CleanerConfig(), dedup.Memo()
        )
        found = native.glued_candidates(
            open_lines, counts, keys, copies, set(), 14, "—", ".!?", "”", ".!?”"
        )
        assert found == expected


@pytest.mark.parametrize(
    ("text", "drop", "expected"),
    [
        # the widest gap wins, the first of equals: "\r\n" and "\n\n" both count two
        ("First one.\r\nSecond one.\n\nThird one.", 1, "First one.\r\nThird one."),
        # a lone "\r" ends a line: the indent after it is the line's own
        ("One line.\rDrop me.\r  Three, indented.", 1, "One line.\r  Three, indented."),
        # what comes before the first line stays with it
        ("\n\n  Lead line.\nDrop me.\nLast line.", 1, "\n\n  Lead line.\nLast line."),
    ],
)
def test_assembled_gaps_indents_and_lead(
    native: NativeCore, text: str, drop: int, expected: str
) -> None:
    lines = split_lines(text)
    line = lines[drop]
    removal = cleaner.Removal(
        line.start, line.end, line.text, cleaner.Reason.BOILERPLATE, "line", line.number, "rule"
    )
    fast, slow = _with_and_without_core(assemble, text, [removal], lines)
    assert fast == slow == expected


def _drawn_removals(
    text: str, lines: list[Line], data: st.DataObject, shapes: list[str]
) -> list[cleaner.Removal]:
    """Some of the removals of a clean of ``text``, and of up to five drawn ones: a whole
    line, a cut anywhere in a line, or a cut with a replacement (of ``shapes``)."""
    removals = list(cleaner.clean(text, language="en").removals)
    for k, a, b, shape in data.draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=max(len(lines) - 1, 0)),
                st.floats(0, 1),
                st.floats(0, 1),
                st.sampled_from(shapes),
            ),
            max_size=5,
        )
    ):
        if not lines:
            break
        line = lines[k]
        s = line.start + int(a * (line.end - line.start))
        e = s + int(b * (line.end - s))
        if shape == "whole":
            s, e = line.start, line.end
        if e > s:
            removals.append(
                cleaner.Removal(
                    s,
                    e,
                    text[s:e],
                    cleaner.Reason.BOILERPLATE,
                    "span",
                    line.number,
                    "rule",
                    replacement="[…]" if shape == "replace" else None,
                )
            )
    return data.draw(st.lists(st.sampled_from(removals), unique_by=id)) if removals else []


@SETTINGS
@given(text=st.one_of(documents(), any_text), data=st.data())
def test_assembled_text_is_the_same_without_the_core(
    native: NativeCore, text: str, data: st.DataObject
) -> None:
    """assemble_lines (assemble's loop in C) gives the text of its Python twin, for the
    removals of a clean, any part of them, and cuts anywhere in a line (some with a
    replacement), overlapping or not."""
    lines = split_lines(text)
    chosen = _drawn_removals(text, lines, data, ["whole", "cut", "replace"])
    fast, slow = _with_and_without_core(assemble, text, chosen, lines)
    assert fast == slow


def _standing_fields(text: str, lines: list[Line], removals: list[cleaner.Removal]) -> object:
    now = _Standing(text, lines, removals)
    return now.text, now.segments, now.lines, now.cut_now, now.cut_lines, now.starts


@SETTINGS
@given(text=st.one_of(documents(), any_text), data=st.data())
def test_the_standing_text_is_the_same_without_the_core(
    native: NativeCore, text: str, data: st.DataObject
) -> None:
    """standing_lines (the second look's _Standing loop in C) gives the text, segments,
    lines and cut lines of its Python twin: for the removals of a clean, whole lines taken,
    and cuts anywhere in a line (all of it, the middle, overlapping ones)."""
    lines = split_lines(text)
    chosen = _drawn_removals(text, lines, data, ["whole", "cut"])
    fast, slow = _with_and_without_core(_standing_fields, text, lines, chosen)
    assert fast == slow


def test_standing_lines_rejects_bad_input(native: NativeCore) -> None:
    lines = split_lines("one line\ntwo lines")
    with pytest.raises(TypeError, match="standing_lines"):
        native.standing_lines(lines, [], {})
    with pytest.raises(TypeError, match=r"cut\[index\] must be"):
        native.standing_lines(lines, set(), {0: ([(0, 3)], ["one"], "one")})
    with pytest.raises(TypeError, match="joined text must be a str"):
        native.standing_lines(lines, set(), {1: ([(9, 12)], ["two"], None, "text")})
    text, segments, starts, now, cut_now = native.standing_lines(
        lines, {0}, {1: ([(9, 12), (13, 18)], ["two", "lines"], "two lines", "text")}
    )
    assert text == "two lines"
    assert segments == [(0, 9, 3, 1), (4, 13, 5, 1)]
    assert starts == [0, 4]
    assert now == [Line(0, 1, 0, 9, "two lines", "text")]
    assert cut_now == [0]


@SETTINGS
@given(text=line_text)
def test_line_parts_without_words_are_the_same_parts(native: NativeCore, text: str) -> None:
    """``keep_words=False`` makes no str per word: the same parts (keys, counts, flags),
    and no word lists."""
    for line in split_lines(text):
        spans = segment.split_sentences(line.text, 0, len(line.text))
        args = (
            line.text,
            spans,
            normalize.in_place_table(),
            line.kind in dedup._FRAME_KINDS,
            *dedup._part_limits(cleaner.CleanerConfig()),
        )
        with_words = native.line_parts(*args)
        without = native.line_parts(*args, False)
        if with_words is None:
            assert without is None
            continue
        assert without is not None
        assert without[:10] == with_words[:10]
        assert without[10] is None
        assert without[11] is None
        assert with_words[5] == " ".join(with_words[10])  # (the key: the words, joined)


@SETTINGS
@given(text=line_text)
def test_line_parts_are_the_same_without_the_core(native: NativeCore, text: str) -> None:
    lines = split_lines(text)
    config = cleaner.CleanerConfig()
    saved = _accel.native
    try:
        fast = [dedup._line_parts(line, config) for line in lines]
        _accel.native = None
        slow = [dedup._line_parts(line, config) for line in lines]
    finally:
        _accel.native = saved
    assert fast == slow


@SETTINGS
@given(
    text=st.one_of(
        line_text,
        # combining marks that NFKC composes with the letter before them, Hangul jamo,
        # compatibility forms, entities: the lines the C core must leave to words()
        st.text(alphabet="aeuAEİıΣςß \u0301\u0308\u0327ﬁ①&#39;lt;.,½ẞ⁇⑴\u0307", max_size=30),
        st.text(alphabet="aeu \u0301\u0308ᄀ가ﾊﾟ中ไ", max_size=10),
    )
)
def test_rough_words_of_an_unspaced_document_are_its_words(native: NativeCore, text: str) -> None:
    """In a document holding an unspaced script, every line's rough words are words(text):
    folded in C where that gives the same words, by words() otherwise."""
    from cleaner.normalize import words

    expected = words(text)
    assert dedup._words_in_unspaced_document(text) == expected
    saved = _accel.native
    try:
        _accel.native = None
        assert dedup._words_in_unspaced_document(text) == expected
    finally:
        _accel.native = saved


unspaced_line_texts = st.lists(
    st.one_of(
        line_text,
        st.text(alphabet="aeuAEİıΣςß \u0301\u0308\u0327ﬁ①&#39;lt;.,\u2019\u00a0", max_size=30),
        st.text(alphabet="aeu \u0301\u0308ᄀ가\u1161ﾊﾟ中ไ\U0001f600", max_size=10),
        st.sampled_from(["The storm knocked out power.", "the STORM knocked out power!"]),
    ),
    max_size=14,
)


@SETTINGS
@given(texts=unspaced_line_texts, n=st.integers(1, 5), min_runs=st.integers(1, 3))
def test_rough_scan_of_an_unspaced_document_is_the_plain_definition(
    native: NativeCore, texts: list[str], n: int, min_runs: int
) -> None:
    """With the normalized fold table and words() for the rest, each line's rough words
    are words(line): keys, counts, runs and copies as the unspaced twin counts them."""
    from cleaner.normalize import normalized_fold_table, words

    keys, counts, found, copies = native.rough_scan(
        texts, n, min_runs, normalized_fold_table(), words
    )
    rough = [words(t) for t in texts]
    plain_keys = [" ".join(ws) for ws in rough]
    assert keys == plain_keys
    assert [hash(k) for k in keys] == [hash(k) for k in plain_keys]
    assert counts == [len(ws) for ws in rough]
    assert found == plain_repeated_runs(rough, n, min_runs)
    times = Counter(plain_keys)
    assert copies == [times[k] for k in plain_keys]


@SETTINGS
@given(
    texts=unspaced_line_texts,
    at=st.integers(0, 14),
    inner=line_texts,
    n=st.integers(1, 5),
    min_runs=st.integers(1, 3),
)
def test_rough_scan_called_again_from_its_fallback_gives_both_scans_their_answer(
    native: NativeCore, texts: list[str], at: int, inner: list[str], n: int, min_runs: int
) -> None:
    """The scan keeps its buffers from one call to the next; a fallback is Python code and
    may scan too (while the outer scan holds them): each scan gets the plain answer."""
    from cleaner.normalize import normalized_fold_table, words

    texts = [*texts[:at], "价格上涨了 中文", *texts[at:]]  # (a line the fallback splits)
    inner_scans = []

    def fallback(line: str) -> list[str]:
        inner_scans.append(native.rough_scan(inner, n, min_runs, lower_table()))
        return words(line)

    keys, counts, found, copies = native.rough_scan(
        texts, n, min_runs, normalized_fold_table(), fallback
    )
    assert inner_scans
    rough = [words(t) for t in texts]
    assert keys == [" ".join(ws) for ws in rough]
    assert counts == [len(ws) for ws in rough]
    assert found == plain_repeated_runs(rough, n, min_runs)
    assert copies == [Counter(keys)[k] for k in keys]
    plain_keys, plain_counts, inner_rough = plain_rough(inner)
    for inner_keys, inner_counts, inner_found, inner_copies in inner_scans:
        assert inner_keys == plain_keys
        assert inner_counts == plain_counts
        assert inner_found == plain_repeated_runs(inner_rough, n, min_runs)
        assert inner_copies == [Counter(plain_keys)[k] for k in plain_keys]


def test_runs_in_reverse_order_of_two_words_are_not_the_same_run(native: NativeCore) -> None:
    """ "a b b a" and "b a a b" share no run of four words (their hashes' weighted sums
    were equal once: weights 1, 3, 5, 7, and 1 + 7 = 3 + 5)."""
    texts = ["vote poll poll vote today", "poll vote vote poll again", "other words here now"]
    assert native.rough_scan(texts, 4, 1, lower_table())[2] == []
    assert native.repeated_runs([t.split() for t in texts], 4, 1) == []
    assert native.rough_scan([*texts, texts[0]], 4, 1, lower_table())[2] == [0, 3]


def test_rough_scan_after_a_long_document_is_the_plain_definition(native: NativeCore) -> None:
    """A scan whose buffers grew past what is kept (a long document) frees them; the scans
    after it, with fresh ones, and before it, with the kept ones, count alike."""
    short = ["the vote passed on a late night", "The vote passed on a late night", "other"]
    before = native.rough_scan(short, 4, 1, lower_table())
    long_doc = [f"line {k} of a long thread where the same words repeat" for k in range(40_000)]
    keys, counts, found, copies = native.rough_scan(long_doc, 4, 1, lower_table())
    plain_keys, plain_counts, rough = plain_rough(long_doc)
    assert keys == plain_keys
    assert counts == plain_counts
    assert found == plain_repeated_runs(rough, 4, 1)
    assert copies == [1] * len(long_doc)
    assert native.rough_scan(short, 4, 1, lower_table()) == before
    # (a long document's runs are counted part by part: mixed repeats, every run length)
    rng = random.Random(5)
    vocab = [f"w{k}" for k in range(30)]
    mixed = [" ".join(rng.choices(vocab, k=rng.randrange(1, 12))) for _ in range(12_000)]
    _, _, mixed_rough = plain_rough(mixed)
    for n, min_runs in ((1, 3), (2, 2), (3, 1), (4, 2)):
        found_mixed = native.rough_scan(mixed, n, min_runs, lower_table())[2]
        assert found_mixed == plain_repeated_runs(mixed_rough, n, min_runs)
        assert 0 < len(found_mixed) < len(mixed)
    native.release_scratch()  # (and after the kept buffers are freed on request)
    assert native.rough_scan(long_doc[:5000], 4, 1, lower_table())[0] == plain_keys[:5000]
    assert native.rough_scan(short, 4, 1, lower_table()) == before
    assert before[2] == [0, 1]
    assert before[3] == [2, 2, 1]


_FOLD_TABLE_SAFE = st.characters(max_codepoint=0xFFFF).filter(
    lambda ch: normalize.normalized_fold_table()[ord(ch)] != IN_PLACE_CARE
)


@settings(SETTINGS, max_examples=4 * EXAMPLES)
@given(
    text=st.text(
        st.one_of(
            _FOLD_TABLE_SAFE,
            # letters that begin canonical pairs, and characters near the excluded ones
            st.sampled_from(
                "aeAEoOuUiIcCnNsSzZ가각ᄀᆨはかカ\u0b47\u0bc6\u0dd9\u1025"
                # (and what composes with them: the table must leave these out)
                "\u0301\u0308\u0327\u3099\u1161\u11a8\u0bbe\u0b3e\u0dcf\u102e"
            ),
        ).filter(lambda ch: normalize.normalized_fold_table()[ord(ch)] != IN_PLACE_CARE),
        max_size=12,
    )
)
def test_text_the_normalized_fold_table_keeps_is_nfkc_normalized(text: str) -> None:
    import unicodedata

    assert unicodedata.is_normalized("NFKC", text)


# ------------------------------------------------------------------ unspaced scripts in C

# what Japanese, Chinese and Thai lines hold: kana, kanji, full- and half-width forms (and
# the half-width voiced marks that compose), Thai letters and marks (some with a combining
# class), Hangul and its jamo, the ideographic space and punctuation, Latin words and
# digits, combining marks, entities, and characters that stand for more than one
UNSPACED_ALPHABET = (
    "東京会議参加者中国人日本語はがのをにでカタナｶﾀﾅﾞﾟ（）「」！？：、。・…‥〜ー\u3000"
    "ＡＢａｂ０１２３①㍻ไทยกรุงเทพ\u0e31\u0e34\u0e38\u0e48\u0e4c\u0e2fᄀ가각\u1161ㄱㅏㄳ"
    "Ab 5.?!&;#\u0301\u0308ß½\u200b\u00a0"
)
# ...and of those, the ones the unspaced table folds (so that whole lines take the C path)
UNSPACED_KEPT = "".join(
    ch for ch in UNSPACED_ALPHABET if normalize.unspaced_fold_table()[ord(ch)] != IN_PLACE_CARE
)
unspaced_line = st.one_of(
    st.text(alphabet=UNSPACED_ALPHABET, max_size=60),
    st.text(alphabet=UNSPACED_KEPT, max_size=40),
    st.sampled_from(
        [
            "東京で会議が開かれた。参加者は100人（予定）。",
            "ＡＩ技術の進歩！ 今日の天気は晴れです…",
            "กรุงเทพมหานคร ราคาน้ำมันสูงขึ้นมาก วันนี้",
            "价格上涨了 5%，专家表示：“这是暂时的”。",
            "&amp; 東京 &#39;東京&#39;",
            "ㄱㅏ가\u1161 ｶﾞｷﾞ กั้น",  # (what composes across characters)
        ]
    ),
)


def test_the_unspaced_fold_table_folds_each_character_as_words_does(native: NativeCore) -> None:
    """Every code point the table keeps, alone and between others, splits into the words
    of words(); the characters that compose or that stand for more are left to it."""
    table = normalize.unspaced_fold_table()
    kept = 0
    for cp in range(0x10000):
        if table[cp] == IN_PLACE_CARE:
            continue
        kept += 1
        for text in (chr(cp), "a" + chr(cp) + "中", chr(cp) * 2):
            got = native.fold_parts(text, [(0, len(text))], table, True)
            assert got is not None, hex(cp)
            assert got[3] == normalize.words(text), hex(cp)
    assert kept > 60_000  # (almost all: CJK, kana, full-width forms, Latin...)
    for ch in "\u0301\u3099\uff9e\u1161\u11a8\u0e38ß\u200b":  # (compose, or stand for more)
        assert table[ord(ch)] == IN_PLACE_CARE, hex(ord(ch))
    assert table[ord("東")] == ord("東") | normalize.UNSPACED_FLAG
    assert table[ord("ｶ")] == ord("カ") | normalize.UNSPACED_FLAG  # (NFKC, then unspaced)
    assert table[ord("Ａ")] == ord("a")
    assert table[ord("…")] == table[ord("（")] == ord(" ")


@SETTINGS
@given(text=unspaced_line)
def test_unspaced_fold_parts_are_the_words_of_each_sentence_and_of_the_line(
    native: NativeCore, text: str
) -> None:
    """fold_parts with ``unspaced``: each sentence's words and the line's are words() of
    them, wherever the table folds every character (and there is no entity)."""
    table = normalize.unspaced_fold_table()
    spans = split_sentences(text, 0, len(text))
    got = native.fold_parts(text, spans, table, True)
    folds = all(table[ord(ch)] != IN_PLACE_CARE for ch in text if ord(ch) < 0x10000) and not any(
        ord(ch) > 0xFFFF for ch in text
    )
    if got is None:
        assert not folds or ("&" in text and normalize._ENTITY_RE.search(text) is not None), text
        return
    sentence_words, keys, digits, lws, key, total = got
    assert sentence_words == [normalize.words(text[s:e]) for s, e in spans]
    assert keys == [" ".join(ws) for ws in sentence_words]
    assert digits == [sum(w[0].isdecimal() for w in ws) for ws in sentence_words]
    assert lws == normalize.words(text)
    assert key == " ".join(lws)
    assert total == sum(w[0].isdecimal() for w in lws)


@SETTINGS
@given(text=unspaced_line)
def test_line_parts_of_an_unspaced_line_are_the_same_without_the_core(
    native: NativeCore, text: str
) -> None:
    """A line of an unspaced script: its parts in C (line_parts with ``unspaced``, from
    _line_parts and from collect_units) are the careful Python path's."""
    config = cleaner.CleanerConfig()
    for line in split_lines(text):
        fast, slow = _with_and_without_core(dedup._line_parts, line, config)
        assert fast == slow
        lines = [line, dataclasses.replace(line, index=1, number=1)]
        for keep in (True, False):
            got = []
            for core in (native, None):
                saved = _accel.native
                try:
                    _accel.native = core
                    memo = dedup.Memo(keep_words=keep)
                    units = dedup._collect(text, lines, set(), config, memo)
                    got.append((_unit_fields(units[0]) + _unit_fields(units[1]), dict(memo.parts)))
                finally:
                    _accel.native = saved
            assert got[0] == got[1]


def test_unspaced_lines_take_the_c_path(
    native: NativeCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Japanese line's parts and rough words come from C, not from words()."""
    text = "\n".join(["東京で会議が開かれた。参加者は１００人（予定）…"] * 2)
    lines = split_lines(text)
    called: list[str] = []
    real_words = normalize.words

    def spy(text: str) -> list[str]:
        called.append(text)
        return real_words(text)

    monkeypatch.setattr(dedup, "words", spy)
    # (nor from Python: neither the parts' fill nor the rough scan's fallback is called)
    monkeypatch.setattr(dedup, "_line_parts", lambda *args: called.append("parts"))
    monkeypatch.setattr(dedup.Memo, "unspaced_words", lambda *args: called.append("rough"))
    memo = dedup.Memo(keep_words=False)
    line_units, sentences, _, (_, counts, keys, copies) = dedup._collect(
        text, lines, set(), cleaner.CleanerConfig(), memo
    )
    assert called == []
    assert copies == [2, 2]
    assert keys[0] == " ".join(real_words(lines[0].text))
    assert counts[0] == len(real_words(lines[0].text))
    assert [u.key for u in line_units] == [keys[0]] * 2
    assert [s.key for s in sentences[:2]] == [
        " ".join(real_words(t)) for t in ("東京で会議が開かれた。", "参加者は１００人（予定）…")
    ]


@SETTINGS
@given(texts=st.lists(unspaced_line, max_size=8), n=st.integers(1, 5), min_runs=st.integers(1, 3))
def test_rough_scan_with_the_unspaced_table_is_the_plain_definition(
    native: NativeCore, texts: list[str], n: int, min_runs: int
) -> None:
    """The unspaced table splits what it folds in C, the rest goes to the fallback: the
    same keys, counts, runs and copies as words() gives, and the fallback only called for
    a line the table does not fold."""
    table = normalize.unspaced_fold_table()
    asked: list[str] = []

    def fallback(text: str) -> list[str]:
        asked.append(text)
        return normalize.words(text)

    keys, counts, found, copies, _ = native.rough_scan(
        texts, n, min_runs, normalize.normalized_fold_table(), fallback, None, table
    )
    rough = [normalize.words(t) for t in texts]
    plain_keys = [" ".join(ws) for ws in rough]
    assert keys == plain_keys
    assert counts == [len(ws) for ws in rough]
    assert found == plain_repeated_runs(rough, n, min_runs)
    times = Counter(plain_keys)
    assert copies == [times[k] for k in plain_keys]
    for text in asked:
        assert any(ord(ch) > 0xFFFF or table[ord(ch)] == IN_PLACE_CARE for ch in text) or (
            "&" in text
        ), text


def test_the_normalized_fold_table_leaves_composing_characters_to_python() -> None:
    table = normalize.normalized_fold_table()
    for ch in "\u0301\u0308\u3099\u1161\u11a8\u0bbe\u0b3e²ﬁ\u00a0":
        assert table[ord(ch)] == IN_PLACE_CARE, hex(ord(ch))
    for ch in "aé中ไ’":  # (in-place folds; unspaced scripts stay with the in-place table)
        assert table[ord(ch)] == normalize.in_place_table()[ord(ch)], ch


def test_rough_scan_names_a_bad_fallback(native: NativeCore) -> None:
    from cleaner.normalize import normalized_fold_table

    with pytest.raises(TypeError, match="fallback must be callable or None"):
        native.rough_scan(["a"], 4, 2, normalized_fold_table(), 5)
    with pytest.raises(TypeError, match="fallback must return a list of str, not tuple"):
        native.rough_scan(["中"], 4, 2, normalized_fold_table(), lambda t: ("a",))
    with pytest.raises(TypeError, match="fallback returned a int, not a str"):
        native.rough_scan(["中"], 4, 2, normalized_fold_table(), lambda t: [3])


@SETTINGS
@given(
    first=unspaced_line_texts,
    kept=st.lists(st.integers(0, 13), max_size=14),
    fresh=unspaced_line_texts,
    unspaced=st.booleans(),
    n=st.integers(1, 5),
    min_runs=st.integers(1, 3),
)
def test_rough_scan_from_a_previous_scan_is_a_fresh_scan(
    native: NativeCore,
    first: list[str],
    kept: list[int],
    fresh: list[str],
    unspaced: bool,
    n: int,
    min_runs: int,
) -> None:
    """A second scan of some of the first scan's line objects (in any order, some twice)
    and new lines gives what a scan without ``previous`` gives, and its own state does too."""
    from cleaner.normalize import normalized_fold_table, words

    args: tuple[Any, ...] = (normalized_fold_table(), words) if unspaced else (lower_table(), None)
    # (copies: a str of its own, not one of the first scan's objects)
    first = ["".join(list(t)) for t in first]
    *_, state = native.rough_scan(first, n, min_runs, *args, None)
    second = [first[k] for k in kept if k < len(first)] + fresh
    second = [t for pair in zip(second, reversed(second), strict=True) for t in pair][: len(second)]
    expected = native.rough_scan(second, n, min_runs, *args)
    *got, again = native.rough_scan(second, n, min_runs, *args, state)
    assert tuple(got) == expected
    assert [type(k) for k in got[0]] == [str] * len(second)
    *got_again, _ = native.rough_scan(second, n, min_runs, *args, again)
    assert tuple(got_again) == expected


def test_rough_scan_takes_the_lines_it_met_from_the_previous_scan(native: NativeCore) -> None:
    # (a state whose hashes were changed shows which lines came from it: only the very
    # objects of the earlier scan, and only with the same table)
    from cleaner.normalize import normalized_fold_table

    texts = ["alpha beta gamma delta", "epsilon zeta eta theta"]
    *_, state = native.rough_scan(texts, 4, 1, lower_table(), None, None)
    table, fallback, kept, _, _, hashes = state
    forged = (table, fallback, kept, ("one", "two"), (7, 9), hashes)
    again = ["".join(list(texts[0])), texts[1]]  # an equal str, then the same object
    got = native.rough_scan(again, 4, 1, lower_table(), None, forged)
    assert got[0] == ["alpha beta gamma delta", "two"]
    assert got[1] == [4, 9]
    other = native.rough_scan(texts, 4, 1, normalized_fold_table(), None, forged)
    assert other[0] == ["alpha beta gamma delta", "epsilon zeta eta theta"]
    # (runs of another length: the state's runs do not serve, so nothing of it is taken)
    shorter = native.rough_scan(again, 3, 1, lower_table(), None, forged)
    assert shorter[0] == ["alpha beta gamma delta", "epsilon zeta eta theta"]
    with pytest.raises(TypeError, match="previous must be None or the state"):
        native.rough_scan(again, 4, 1, lower_table(), None, (*forged[:5], hashes[:-8]))


@pytest.mark.parametrize(
    "state",
    [
        5,
        (1, 2, 3),
        (None, None, ("a",), ("a",), (1,), b"\0" * 8),  # too short for one line
        (None, None, ("a",), ("a",), (1,), b"\0" * 8 * 3 + b"\1"),  # ragged
        (None, None, ("a",), (5,), (1,), b"\0" * 8 * 3),  # a key that is not a str
    ],
)
def test_rough_scan_names_a_bad_previous_state(native: NativeCore, state: object) -> None:
    with pytest.raises(TypeError, match="previous must be None or the state an earlier call"):
        native.rough_scan(["a"], 4, 2, lower_table(), None, state)


# ------------------------------------------------------------------ sentences

SENTENCE_PIECES = [
    "Mr",
    "Dr",
    # (abbreviations the C core settles: ASCII words, any case, number-bound or not, and
    # words too long to be one; a non-ASCII word goes to Python)
    "Jan",
    "fig",
    "FIG",
    "Nos",
    "Mrs",
    "Yesterday",
    "Führer",
    "Ál",
    "sept",
    "e.g",
    "U.S",
    "No",
    "p",
    "J",
    "etc",
    "word",
    "Word",
    "WORD",
    "5",
    "10",
    "a",
    ".",
    "..",
    "...",
    "!",
    "?",
    "…",
    "?!",
    ". ",
    "! ",
    "? ",
    "  ",
    " ",
    "\u00a0",
    "\t",
    "\n",
    "\x1c",
    "\x1f",
    "\u3000",
    "\u2003",
    '"',
    "'",
    "”",
    "’",
    "»",
    ")",
    "]",
    "」",
    "』",
    "）",
    "“",
    "‘",
    "«",
    "„",
    "(",
    "[",
    "¿",
    "¡",
    "-",
    "–",
    "—",
    "。",
    "！",
    "？",
    "．",
    "।",
    "॥",
    "؟",
    "۔",
    "价格",
    "Ωmega",
    "ǅ",
    "ไทย",
    "\U0001d400",
    "é",
    "Σ",
]
# a word, stops, closers, spaces and what follows: every kind of boundary and near-boundary
boundary = st.tuples(
    st.sampled_from(["", " ", "x ", "é "]),  # (a space before the word: looked up by the core)
    st.sampled_from(
        [
            *["Mr", "Dr", "e.g", "U.S", "No", "p", "J", "etc", "word", "5", "价格", "ไทย"],
            *["Jan", "FIG", "nos", "Yesterday", "Ál", "vol", "sept", "Mrs"],
        ]
    ),
    st.sampled_from(["", ".", "..", "...", "!", "?", "…", "?!", "。", "！", "．", "।", "؟", ". ."]),
    st.sampled_from(["", '"', "'", "”", "’", "»", ")", "]", "」", "』", "）", "”)", "’’"]),
    st.sampled_from(["", " ", "  ", "\u00a0", "\t", "\x1c", "\u3000", "\u2003", " \x1f"]),
    st.sampled_from(
        [
            "She",
            "she",
            "5",
            "“Yes",
            "‘",
            "«",
            "„",
            "(",
            "[",
            "¿",
            "¡",
            "-",
            "–",
            "—",
            "Ωmega",
            "ǅ",
            "价",
            "",
            "ไทย",
            "\U0001d400",
            "é",
            "ABC",
        ]
    ),
).map("".join)
sentence_text = st.one_of(
    st.lists(boundary, max_size=8).map("".join),
    st.lists(st.sampled_from(SENTENCE_PIECES), max_size=30).map("".join),
    st.text(max_size=80),
    st.text(st.characters(exclude_categories=()), max_size=60),
)


def test_the_sentence_table_is_the_regex_classes() -> None:
    table = sentence_table()
    chars = "".join(map(chr, range(0x10000)))
    spaces = {m.start() for m in regex.finditer(r"\s", chars)}
    after = {m.start() for m in regex.finditer(segment._AFTER_STOP_CLASS, chars)}
    assert {cp for cp in range(0x10000) if table[cp] & SENTENCE_SPACE} == spaces
    assert {cp for cp in range(0x10000) if table[cp] & SENTENCE_AFTER_STOP} == after
    assert not spaces & after  # (the C split relies on it: giving back a space never helps)


def _split_both_ways(text: str, start: int, end: int) -> tuple[object, object]:
    return _with_and_without_core(split_sentences, text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "He met “Dr.” She left.",  # a closer after the period: no abbreviation test
        "He met Dr. Smith. She left.",
        "好。」然后走了。",  # a CJK closer stays with its sentence
        "Yes.」 Next one.",
        "Yes.） Next one.",
        "Wow!... next one",
        "So ... Next",
        "Ends here. ",
        "No. 5 is e.g. fine... Really?",
        "A.\x1c B. C",
    ],
)
def test_split_sentences_cases(native: NativeCore, text: str) -> None:
    fast, slow = _split_both_ways(text, 0, len(text))
    assert fast == slow


def test_split_sentences_settles_every_abbreviation_as_python_does(native: NativeCore) -> None:
    # the core looks ASCII words up itself (segment._ABBREVIATION_FACTS): every known word,
    # in three cases, before a capital, a digit and a non-ASCII letter, plus its neighbours
    words = sorted(segment._ABBREVIATIONS | segment._NUMBER_ABBREVIATIONS)
    words += ["x", "Ál", "yesterday", "abcdefg", "abcdef", "nos5", "u.s"]
    # and what is not a word of letters: numbers, dotted runs, underscores, brackets, and
    # characters past ASCII beside them (the run that _WORD_ENDING_RE takes)
    words += ["2019", "3.5", "a.m", "v1.2", ".5", "x_y", "ap)", "é1", "1é", "no.5", "abc.defg"]
    checked = 0
    for word in words:
        for form in (word, word.title(), word.upper()):
            for after in ("She", "5 more", "Été", ""):
                for before in ("We saw ", "(", "1 ", "", "in 20", "x_", "a" * 40 + " ", "\n"):
                    text = f"{before}{form}. {after}"
                    fast, slow = _split_both_ways(text, 0, len(text))
                    assert fast == slow, text
                    checked += 1
    assert checked > 1000


def test_split_sentences_asks_python_only_past_ascii(native: NativeCore) -> None:
    """A single period after an ASCII word, number or dotted run is settled by the core
    (as segment._is_abbreviation settles it); Python is asked only where a character past
    ASCII or a line break decides."""
    asked: list[str] = []

    def is_abbreviation(text: str, at: int, next_char: str) -> bool:
        asked.append(text[: at + 1])
        return segment._is_abbreviation(text, at, next_char)

    def split(text: str) -> object:
        return native.split_sentences(
            text, 0, len(text), sentence_table(), is_abbreviation, segment._ABBREVIATION_FACTS
        )

    text = "It rose in 2019. Then U.S. aides met at 3 p.m. on Friday (AP). Mr. Li left. v1.2. So"
    assert split(text) == _split_both_ways(text, 0, len(text))[1]
    assert split(text) == [(0, 16), (17, 62), (63, 84)]  # ("v1.2." and "p.m." go on)
    assert asked == []
    for text in ("Il a payé 5 €. Puis", "Un café. Puis", "x\n. Puis", "Dünn. Puis"):
        asked.clear()
        assert split(text) == _split_both_ways(text, 0, len(text))[1]
        assert asked, text


@settings(SETTINGS, max_examples=4 * EXAMPLES)
@given(text=sentence_text, cut=st.tuples(st.integers(0, 10), st.integers(0, 10)))
def test_split_sentences_is_its_python_twin(
    native: NativeCore, text: str, cut: tuple[int, int]
) -> None:
    start, end = min(cut[0], len(text)), max(len(text) - cut[1], 0)
    fast, slow = _split_both_ways(text, start, end)
    assert fast == slow


def test_split_sentences_leaves_thai_and_astral_text_to_python(native: NativeCore) -> None:
    table = sentence_table()
    for text in ("ไทย ภาษา. Next", "𝐀 bold. Next one"):
        assert native.split_sentences(text, 0, len(text), table, segment._is_abbreviation) is None
    text = "He left. Next one"
    got = native.split_sentences(text, 0, len(text), table, segment._is_abbreviation)
    assert got == [(0, 8), (9, 17)]


# ------------------------------------------------------------------ lines, scripts

line_documents = st.one_of(
    documents(),
    st.text(max_size=200),
    st.text(alphabet="ab -#>*|\t\n\r 1.)价\u00a0\u2028\x1c", max_size=120),
    st.text(st.characters(exclude_categories=()), max_size=120),
    # two-byte text with units whose low or high byte is a line feed's (0x0A)
    st.text(alphabet="a \n\u010a\u0a0a\u0a00\u0aff\u2e0a\u0a0d", max_size=80),
)


@SETTINGS
@given(text=line_documents)
def test_split_lines_is_its_python_twin(native: NativeCore, text: str) -> None:
    saved = _accel.native
    try:
        fast = split_lines(text)
        _accel.native = None
        slow = split_lines(text)
    finally:
        _accel.native = saved
    assert fast == slow
    assert all(type(line) is Line for line in fast)


def test_split_lines_finds_line_feeds_in_two_byte_text(native: NativeCore) -> None:
    # (the C core looks for a line feed's byte: units that hold 0x0A in either byte are not
    # one, whatever their place in the text)
    text = "\u010a\u0a0a x\n\u0a00y \u2e0a\n\n\u0a0az\u010a\n \u0a0a"
    assert [(x.start, x.end, x.text) for x in split_lines(text)] == [
        (0, 4, "\u010a\u0a0a x"),
        (5, 9, "\u0a00y \u2e0a"),
        (11, 14, "\u0a0az\u010a"),
        (16, 17, "\u0a0a"),
    ]


def test_lines_made_in_c_are_whole_objects(native: NativeCore) -> None:
    lines = split_lines("- one\n\n  two\tx\ty  \n# three")
    assert [(x.index, x.number, x.start, x.end, x.text, x.kind) for x in lines] == [
        (0, 0, 0, 5, "- one", "list"),
        (1, 2, 9, 16, "two\tx\ty", "table"),
        (2, 3, 19, 26, "# three", "heading"),
    ]
    moved = dataclasses.replace(lines[1], index=7)
    assert moved.index == 7
    assert lines[1].index == 1
    assert repr(lines[0]).startswith("Line(index=0")
    lines[0].kind = "text"  # (a Line is mutable, as the Python class makes it)
    assert lines[0].kind == "text"


@dataclasses.dataclass
class _PlainLine:  # no slots: the C core calls the class instead of filling slots
    index: int
    number: int
    start: int
    end: int
    text: str
    kind: str


def test_split_lines_calls_another_line_class(native: NativeCore) -> None:
    text = "one\n two \n"
    got = native.split_lines(text, _PlainLine, segment.line_kind, segment._MARKERS)
    assert got == [_PlainLine(0, 0, 0, 3, "one", "text"), _PlainLine(1, 1, 5, 8, "two", "text")]
    # ...and the Line class still gets its slots filled afterwards
    assert native.split_lines(text, Line, segment.line_kind, segment._MARKERS) == split_lines(text)
    assert native.split_lines("a\r\nb", Line, segment.line_kind, segment._MARKERS) is None


# a character of each unspaced script and one just outside each range
UNSPACED_EDGES = "".join(
    chr(cp)
    for cp in (
        0x0E01,
        0x0E81,
        0x0EFF,
        0x0F00,
        0x1000,
        0x109F,
        0x10A0,
        0x1780,
        0x17FF,
        0x1800,
        0x2E80,
        0x2FDF,
        0x2FE0,
        0x3005,
        0x3007,
        0x3008,
        0x3042,
        0x30FF,
        0x3100,
        0x312F,
        0x3130,
        0x3400,
        0x4DBF,
        0x4DC0,
        0x4E00,
        0x9FFF,
        0xA000,
        0xF900,
        0xFAFF,
        0xFB00,
        0xFF66,
        0xFF9F,
        0xFFA0,
        0x0DFF,
        0x2E7F,
        0x3004,
    )
)


@SETTINGS
@given(text=st.one_of(line_documents, st.text(alphabet="ab " + UNSPACED_EDGES, max_size=3)))
def test_has_unspaced_is_its_python_twin(native: NativeCore, text: str) -> None:
    assert has_unspaced(text) == (normalize._UNSPACED_RE.search(text) is not None)


@SETTINGS
@given(
    before=st.integers(0, 200),
    edge=st.sampled_from(UNSPACED_EDGES),
    filler=st.sampled_from(["a", "\u2019", "\u044f", "\u2e7f", "\u0dff"]),
)
def test_has_unspaced_finds_one_character_anywhere_in_a_long_text(
    native: NativeCore, before: int, edge: str, filler: str
) -> None:
    # one flagged character anywhere in a long 2-byte text (the filler keeps the kind)
    text = ("x\u2019" + filler) * before + edge + "\u2019 tail" * 30
    assert has_unspaced(text) == (normalize._UNSPACED_RE.search(text) is not None)


@SETTINGS
@given(
    ranges=st.lists(
        st.tuples(st.integers(0x100, 0xFFFF), st.integers(1, 0x3000)), min_size=0, max_size=5
    ),
    picks=st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=8),
    size=st.integers(1, 300),
)
def test_has_unspaced_is_exact_for_any_flags_table(
    native: NativeCore, ranges: list[tuple[int, int]], picks: list[int], size: int
) -> None:
    # the C core sums a table up (its lowest flag, its two longest gaps) to skip blocks of
    # text quickly: for any table, and for two tables in turn, the answer is the table's
    flags = bytearray(0x10000)
    for start, length in ranges:
        flags[start : start + length] = b"\x01" * len(flags[start : start + length])
    table = bytes(flags)
    # code points on and beside the edges of the flagged runs, in a 2-byte text
    edges = [
        cp
        for start, length in ranges
        for cp in (start - 1, start, start + length - 1, start + length)
        if 0x100 <= cp <= 0xFFFF and not 0xD800 <= cp < 0xE000
    ]
    pool = [cp for cp in picks + edges if cp >= 0x100 and not 0xD800 <= cp < 0xE000] or [0x2019]
    for cp in pool:
        for at in (0, size // 2, size):
            text = "\u2019" * at + chr(cp) + "a" * (size - at)
            expected = any(flags[ord(ch)] for ch in text)
            assert native.has_unspaced(text, table) is expected, (hex(cp), at)
            assert native.has_unspaced(text, normalize.unspaced_flags()) is bool(
                normalize.unspaced_flags()[cp]
            )


# ------------------------------------------------------------------ the rule engine's line scan

_ENGINE = RuleEngine(cleaner.CleanerConfig())
_RULE_LINES = sorted(
    {ex for rule in _ENGINE.rules for ex in (*rule.examples, *rule.counter_examples)}
)
_LANGUAGES = [None, "en", "de", "fr", "es", "ru", "zh", "ko", "ar", "pt", "it", "nl"]
rule_documents = st.lists(
    st.one_of(
        st.sampled_from(_RULE_LINES),
        # glued after a sentence end, with the closers and stops the boundary scan knows
        st.tuples(
            st.sampled_from(
                # (and boundaries with no stop: a closing bracket or quote)
                [
                    "Monday.",
                    "‘yes.’",
                    "“no!”",
                    "(sic.)",
                    "it…",
                    "会议。",
                    "he?»",
                    "(AP)",
                    "[1]",
                    "«oui»",
                ]
            ),
            st.sampled_from([" ", "  ", "\u00a0", "\t", ""]),
            st.sampled_from(_RULE_LINES),
        ).map(lambda p: "The vote passed on " + "".join(p)),
        st.sampled_from(_RULE_LINES).map(lambda t: "- " + t),
        st.sampled_from(["", "  ", "Prices rose in May.", "• ", "Photo: AP", "|a|b|"]),
        st.text(max_size=40),
    ),
    max_size=20,
).map("\n".join)


def _find_both_ways(
    text: str, language: str | None, only: set[int] | None
) -> tuple[list[object], list[object]]:
    lines = split_lines(text)
    saved = _accel.native
    try:
        fast = _ENGINE.find(text, lines, language, only=only)
        _accel.native = None
        slow = _ENGINE.find(text, lines, language, only=only)
    finally:
        _accel.native = saved
    return list(fast), list(slow)


@SETTINGS
@given(
    text=rule_documents,
    language=st.sampled_from(_LANGUAGES),
    only=st.none() | st.sets(st.integers(0, 20), max_size=6),
)
def test_rule_hits_are_the_same_without_the_core(
    native: NativeCore, text: str, language: str | None, only: set[int] | None
) -> None:
    fast, slow = _find_both_ways(text, language, only)
    assert fast == slow


@SETTINGS
@given(text=rule_documents, language=st.sampled_from(_LANGUAGES), upper=st.booleans())
def test_scan_rule_lines_gives_the_rows_of_its_python_twin(
    native: NativeCore, text: str, language: str | None, upper: bool
) -> None:
    # the rows themselves (not only the hits they lead to): the speed hints (keys, bounds,
    # ``contains``) must leave the same rules to try on the same lines and fragments
    if upper:
        text = text.upper()  # (``contains`` hints are compared casefolded)
    lines = split_lines(text)
    prog = _ENGINE._program(language)
    assert _scan_rows(native, prog, text, lines) == _ENGINE._scan_lines(prog, text, lines, None)


@SETTINGS
@given(text=rule_documents, language=st.sampled_from(_LANGUAGES))
def test_the_key_tables_give_the_rows_of_the_dicts(
    native: NativeCore, text: str, language: str | None
) -> None:
    # the C core's key tables (a key's entry found without a str of the key) give the rows
    # the key dicts give alone: empty tables, tables that stop taking keys after one (the
    # dicts answer the rest), and the engine's own tables, filled by earlier examples
    lines = split_lines(text)
    prog = _ENGINE._program(language)

    def rows(tables: Any) -> list[Any]:
        def spec(dispatch: Any) -> tuple[object, ...]:
            return tuple(dispatch.native_spec[:12]) + tables(dispatch)

        return native.scan_rule_lines(
            text,
            lines,
            None,
            spec(prog.start),
            spec(prog.trailing),
            [spec(d) for _, d in prog.fallbacks],
            rule_engine._LEAD_CHARS,
        )

    plain = rows(lambda dispatch: ())
    assert rows(lambda dispatch: (native.key_table(1), native.key_table(1))) == plain
    fresh: dict[int, tuple[object, object]] = {}

    def own(dispatch: Any) -> tuple[object, object]:
        return fresh.setdefault(id(dispatch), (native.key_table(50), native.key_table(50)))

    assert rows(own) == rows(own) == plain  # (the second from the tables)
    assert _scan_rows(native, prog, text, lines) == plain


@SETTINGS
@given(
    text=st.one_of(any_text, st.text(alphabet="Cclik\u2019\U0001f600 ", max_size=40)),
    needles=st.lists(
        st.one_of(
            st.sampled_from(["Click", "C", "ck", "\u2019C", "\U0001f600", "lick "]),
            st.text(alphabet="Cclik\u2019\U0001f600 ", max_size=4),
        ),
        max_size=4,
    ).map(tuple),
)
def test_contains_any_is_any_in(native: NativeCore, text: str, needles: tuple[str, ...]) -> None:
    # (the inline rules' anchors: a needle at the text's end, one longer than the text,
    # one of a wider kind than the text, the empty needle)
    assert native.contains_any(text, needles) is any(n in text for n in needles)
    if needles:
        assert native.contains_any(text + needles[-1], needles) is True


def test_contains_any_rejects_what_is_not_str(native: NativeCore) -> None:
    with pytest.raises(TypeError, match=r"needles\[1\] must be str"):
        native.contains_any("abc", ("a", b"b"))
    with pytest.raises(TypeError, match="contains_any"):
        native.contains_any(b"abc", ("a",))


def test_a_key_table_must_be_one(native: NativeCore) -> None:
    spec = _ENGINE._program("en").start.native_spec
    with pytest.raises(TypeError, match="key_table"):
        native.scan_rule_lines("a", split_lines("a"), None, (*spec[:12], "x", "y"), None, [], "")
    with pytest.raises(ValueError, match="at least 0"):
        native.key_table(-1)


def test_every_rule_example_is_found_the_same_way(native: NativeCore) -> None:
    # each example on its own line, at the start, the middle and the end of a document
    filler = "The council approved the new budget on Tuesday evening."
    found = 0
    for lang in _LANGUAGES:
        for example in _RULE_LINES:
            text = "\n".join([example, filler, filler, example, filler, example])
            fast, slow = _find_both_ways(text, lang, None)
            assert fast == slow, (lang, example)
            found += len(fast)
    assert found > 1000  # the examples do hit (the comparison is not between two empties)


@pytest.mark.parametrize(
    "end", ["Monday.", "‘yes.’", "“no!”", "(sic.)", "it…", "会议。", "he?»", "(AP)", "[1]", "«oui»"]
)
def test_rule_examples_glued_after_a_sentence_end(native: NativeCore, end: str) -> None:
    # (a closer after the stop: ’ closes a sentence but cannot start a boundary itself)
    for space in (" ", "\u00a0"):
        for example in _RULE_LINES:
            text = f"The vote passed on {end}{space}{example}"
            fast, slow = _find_both_ways(text, "en", None)
            assert fast == slow, text


def test_scan_rule_lines_rejects_a_bad_spec(native: NativeCore) -> None:
    with pytest.raises(TypeError, match="12-tuple"):
        native.scan_rule_lines("a", split_lines("a"), None, (), (), [], "")


def test_a_rule_table_must_be_made_of_its_specs_own_limits(native: NativeCore) -> None:
    # the rule table's limits are read instead of the spec's tuples: one made from other
    # tuples (even equal ones) is refused, not trusted; one made from the very tuples gives
    # the rows the tuples give
    spec = _ENGINE._program("en").start.native_spec
    assert len(spec) == 15
    limits = spec[7:12]
    text = "READ MORE: the full story\nThe council met on Tuesday."
    lines = split_lines(text)

    def rows(start: tuple[object, ...]) -> list[Any]:
        return native.scan_rule_lines(text, lines, None, start, None, [], rule_engine._LEAD_CHARS)

    assert rows((*spec[:14], native.rule_table(*limits))) == rows(spec[:14]) != []
    copies = tuple((*t,) for t in limits)  # (equal tuples, other objects)
    assert copies == limits
    assert not any(map(operator.is_, copies, limits))
    with pytest.raises(TypeError, match="rule table"):
        rows((*spec[:14], native.rule_table(*copies)))
    with pytest.raises(TypeError, match="rule table"):
        rows((*spec[:14], native.key_table(1)))
    with pytest.raises(TypeError, match="five tuples"):
        native.rule_table(*limits[:4], limits[4][:-1])
    with pytest.raises(TypeError, match="contains must be a tuple"):
        native.rule_table((1,), (2,), (-1,), (-1,), (["x"],))
    with pytest.raises(TypeError):
        native.rule_table((1,), ("2",), (-1,), (-1,), ((),))


# ------------------------------------------------------------------ language ranking

_STOPWORD_POOL = sorted(language._OWNER)
_OWN_LETTER_POOL = "".join(sorted({ch for own in language._OWN_LETTERS.values() for ch in own}))
language_samples = st.one_of(
    st.lists(
        st.sampled_from(_STOPWORD_POOL)
        | st.sampled_from([w.upper() for w in _STOPWORD_POOL[:200]])
        | st.text(alphabet="abc" + _OWN_LETTER_POOL + "ΣİẞŁĞ", min_size=1, max_size=6),
        max_size=60,
    ).map(" ".join),
    st.text(max_size=300),
    st.text(st.characters(exclude_categories=()), max_size=100),
)


@SETTINGS
@given(sample=language_samples, cyrillic=st.booleans())
def test_language_ranking_is_its_python_twin(
    native: NativeCore, sample: str, cyrillic: bool
) -> None:
    fast = (language._rank(sample, cyrillic), language.detect_language(sample))
    saved = _accel.native
    try:
        _accel.native = None
        slow = (language._rank(sample, cyrillic), language.detect_language(sample))
    finally:
        _accel.native = saved
    assert fast == slow


script_samples = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(exclude_categories=()), max_size=200),
    st.text(alphabet="aZéДда字かア한ي\u0905\U0002000b \u00c0\u024f\u0250", max_size=200),
)


@SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.text(alphabet="a\u007f\u0080é\u07ff\u0800’\ud800\udfff\uffff\U00010000😀", max_size=60),
    )
)
def test_utf8_extra_counts_the_bytes_past_one_per_character(native: NativeCore, text: str) -> None:
    """As the encoder counts them (a lone surrogate as three bytes, as surrogatepass)."""
    assert native.utf8_extra(text) == len(text.encode("utf-8", "surrogatepass")) - len(text)
    latin = text.encode("latin-1", "replace").decode("latin-1")  # (a one-byte str)
    assert native.utf8_extra(latin) == len(latin.encode("utf-8")) - len(latin)


@SETTINGS
@given(sample=script_samples)
def test_script_counts_are_their_python_twin(native: NativeCore, sample: str) -> None:
    """The C core counts each script's characters in one pass, as the translate table and
    a count per script do (characters past U+FFFF in none)."""
    fast = language._script_counts(sample)
    saved = _accel.native
    try:
        _accel.native = None
        slow = language._script_counts(sample)
    finally:
        _accel.native = saved
    assert fast == slow


def test_stopword_scores_take_only_a_table_stopword_table_made(native: NativeCore) -> None:
    table = native.stopword_table({"the": "en", "der": "de", "и": "ru"}, {"en": 0, "de": 1})
    langs, letters = ("en", "de"), ("", "ß")
    args = (langs, letters, normalize.lower_table(), 8)
    assert native.stopword_scores("The THE der und Straße и", table, *args) == [
        (2, "de"),
        (1, "en"),
    ]
    # ranked as sorted(pairs, reverse=True): best first, a tie to the later name
    assert native.stopword_scores("der the", table, *args) == [(1, "en"), (1, "de")]
    assert native.stopword_scores("", table, ("de", "en", "ab"), ("", "", ""), *args[2:]) == [
        (0, "en"),
        (0, "de"),
        (0, "ab"),
    ]
    # (names of other lengths, and past ASCII: compared as str compares them)
    names = ("a", "ab", "é", "b", "", "aé", "a\U0001f600")
    got = native.stopword_scores("", table, names, ("",) * len(names), *args[2:])
    assert got == sorted(((0, name) for name in names), reverse=True)
    for bad in (b"", b"\0" * 8, table[:-4], b"\x00\x01" + table[2:]):
        with pytest.raises(ValueError, match="table must come from stopword_table"):
            native.stopword_scores("the", bad, *args)
    with pytest.raises(ValueError, match="words are str of 1 to 64 code points"):
        native.stopword_table({"": "en"}, {"en": 0})
    with pytest.raises(ValueError, match=r"positions are 0 \.\. 63"):
        native.stopword_table({"the": "en"}, {"en": 64})


# ------------------------------------------------------------------ MinHash signatures

word_strings = st.lists(
    st.text(st.characters(min_codepoint=0x100, max_codepoint=0xD7FF), min_size=1, max_size=30)
    | st.text(st.characters(min_codepoint=0xE000, max_codepoint=0x10FFFF), min_size=1, max_size=5),
    max_size=40,
)


@SETTINGS
@given(strings=word_strings, num_perm=st.sampled_from([1, 16, 128]), seed=st.integers(0, 9))
def test_minhash_is_its_numpy_twin(
    native: NativeCore, strings: list[str], num_perm: int, seed: int
) -> None:
    fast = lsh._signatures(strings, num_perm, seed)
    saved = _accel.native
    try:
        _accel.native = None
        slow = lsh._signatures(strings, num_perm, seed)
    finally:
        _accel.native = saved
    assert fast.dtype == slow.dtype
    assert fast.shape == slow.shape
    assert np.array_equal(fast, slow)


def test_minhash_rejects_bad_input(native: NativeCore) -> None:
    a, b = (np.ones(4, dtype=np.uint64),) * 2
    out = np.empty((1, 4), dtype=np.uint32)
    with pytest.raises(ValueError, match=r"strings\[0\] must be a non-empty str"):
        native.minhash_into(out, [""], a, b)
    with pytest.raises(ValueError, match="len\\(strings\\) x num_perm"):
        native.minhash_into(out, ["ab", "c"], a, b)
    with pytest.raises(ValueError, match="num_perm uint64 each"):
        native.minhash_into(out, ["ab"], a, b[:2])


# ------------------------------------------------------------------ LSH candidate pairs

# one character per word; repeats make buckets of several strings, a big draw a huge one
band_strings = st.lists(
    st.sampled_from(["abcdefgh", "abcdefgx", "qrstuvwx", "\u0100\u0101\u4e00", "z"])
    | st.text(alphabet="abcdefghijkl\u0100\u4e00\U0001f600", min_size=1, max_size=10),
    min_size=0,
    max_size=60,
)


def _pair_lists(pairs: tuple[Any, ...]) -> list[list[int]]:
    return [p.tolist() if isinstance(p, np.ndarray) else [p] for p in pairs]


@SETTINGS
@given(strings=band_strings, data=st.data(), cached=st.booleans())
def test_band_pairs_are_their_numpy_twin(
    native: NativeCore, strings: list[str], data: st.DataObject, cached: bool
) -> None:
    """The same candidate pairs and largest bucket from the C core's hash tables as from
    the numpy twin's sorted bands, with a signature cache (rows out of order) or without;
    and the same pairs holding some fresh strings."""
    config = CleanerConfig(lsh_threshold=data.draw(st.sampled_from([0.3, 0.5, 0.8])))
    fresh = data.draw(st.lists(st.integers(0, max(0, len(strings) - 1)), max_size=6))
    fresh = [k for k in fresh if k < len(strings)]

    def known() -> lsh.SignatureCache | None:
        if not cached:
            return None
        cache = lsh.SignatureCache()
        lsh.signatures(sorted(set(strings), reverse=True), config.lsh_num_perm, config.seed, cache)
        return cache

    fast, slow = _with_and_without_core(
        lambda: (
            lsh.candidate_pairs_and_bucket(strings, config, known()),
            lsh.candidate_pairs_with(strings, fresh, config, known()),
        )
    )
    for got, want in zip(fast, slow, strict=True):
        assert _pair_lists(got) == _pair_lists(want)
        assert all(isinstance(x, np.ndarray) and x.dtype == np.int64 for x in got[:2])


def test_band_pairs_split_a_huge_bucket_as_the_numpy_twin_does(native: NativeCore) -> None:
    strings = ["abcdefgh"] * 700 + ["qrstuvwx", "abcdefgx"] * 30 + ["abcdefgh"] * 20
    fast, slow = _with_and_without_core(
        lsh.candidate_pairs_and_bucket, strings, CleanerConfig(), None
    )
    # (720 copies of one string, and the 30 one word off that share some band with them)
    assert fast[2] == slow[2] == 750
    assert _pair_lists(fast) == _pair_lists(slow)
    fresh = [3, 701, 759]
    fast_with, slow_with = _with_and_without_core(
        lsh.candidate_pairs_with, strings, fresh, CleanerConfig(), None
    )
    assert _pair_lists(fast_with) == _pair_lists(slow_with)


def test_band_pairs_reject_bad_input(native: NativeCore) -> None:
    sig = np.zeros((3, 8), dtype=np.uint32)
    with pytest.raises(TypeError, match="2-d uint32 matrix"):
        native.band_pairs(sig.astype(np.int64), None, 2, 4, None, 4)
    with pytest.raises(ValueError, match="past the signature's width"):
        native.band_pairs(sig, None, 3, 4, None, 4)
    with pytest.raises(TypeError, match="1-d int64 array"):
        native.band_pairs(sig, np.zeros(3, dtype=np.int32), 2, 4, None, 4)
    with pytest.raises(IndexError, match=r"at\[1\] is not a row of sig"):
        native.band_pairs(sig, np.array([0, 3], dtype=np.int64), 2, 4, None, 4)
    with pytest.raises(IndexError, match="fresh position past the strings"):
        native.band_pairs(sig, None, 2, 4, [3], 4)
    with pytest.raises(ValueError, match="max_bucket 2 or more"):
        native.band_pairs(sig, None, 2, 4, None, 1)
    codes, largest = native.band_pairs(sig, None, 2, 4, None, 4)
    assert sorted(np.frombuffer(codes, dtype=np.int64).tolist()) == [1, 1, 2, 2, 5, 5]
    assert largest == 3


# ------------------------------------------------------------------ a character per word

chars_keys = st.lists(
    st.lists(st.sampled_from(["a", "b", "é", "字", "\U0001f600", "", "long"]), max_size=8).map(
        " ".join
    ),
    max_size=12,
)


def _chars_knowing(known: list[str]) -> dedup._WordChars:
    chars = dedup._WordChars()
    for word in known:
        _ = chars[word]
    return chars


def _twin_chars(
    keys: list[str], known: list[str], add: bool
) -> tuple[list[str | None], dict[str, str]]:
    chars = _chars_knowing(known)
    saved = _accel.native
    try:
        _accel.native = None
        return dedup._chars_of(keys, chars, add=add), dict(chars)
    finally:
        _accel.native = saved


def _key_chars(
    native: NativeCore, keys: list[str], chars: dedup._WordChars, add: bool, limit: int = -1
) -> list[str | None]:
    if chars.table is None:
        chars.table = native.word_table()
    limit = dedup._CHAR_LIMIT if limit < 0 else limit
    return native.key_chars(keys, chars, chars.table, add, limit, dedup._OutOfCharsError)


@SETTINGS
@given(
    calls=st.lists(st.tuples(chars_keys, st.booleans()), min_size=1, max_size=3),
    known=st.lists(st.sampled_from(["b", "字", "zz"])),
)
def test_key_chars_is_its_python_twin(
    native: NativeCore, calls: list[tuple[list[str], bool]], known: list[str]
) -> None:
    """Call after call on one dict (the table caching what the earlier calls met)."""
    chars, twin = _chars_knowing(known), _chars_knowing(known)
    for keys, add in calls:
        fast = _key_chars(native, keys, chars, add)
        saved = _accel.native
        try:
            _accel.native = None
            slow = dedup._chars_of(keys, twin, add=add)
        finally:
            _accel.native = saved
        assert fast == slow
        assert list(chars.items()) == list(twin.items())  # the same characters, in order


def test_key_chars_asks_the_dict_of_words_its_table_has_not_met(native: NativeCore) -> None:
    chars = dedup._WordChars()
    assert _key_chars(native, ["a b"], chars, True) == ["\u0100\u0101"]
    _ = chars["c"]  # given out by the dict itself, behind the table's back
    assert _key_chars(native, ["c a", "a d"], chars, False) == ["\u0102\u0100", None]
    assert _key_chars(native, ["d"], chars, True) == ["\u0103"]
    chars.clear()  # started over: the table goes with it
    assert chars.table is None
    assert _key_chars(native, ["d a"], chars, True) == ["\u0100\u0101"]
    dict.clear(chars)  # (even cleared behind its back, the table starts over)
    assert _key_chars(native, ["x d"], chars, True) == ["\u0100\u0101"]
    assert dict(chars) == {"x": "\u0100", "d": "\u0101"}
    many = [f"w{k} w{k + 1}" for k in range(3000)]  # (the table grows, words stay put)
    assert _key_chars(native, many, chars, True) == _twin_chars(many, ["x", "d"], True)[0]


def test_key_chars_skips_the_surrogates_and_stops_when_out_of_characters(
    native: NativeCore,
) -> None:
    chars = dedup._WordChars({f"w{k}": "x" for k in range(0xD800 - 0x100 - 1)})
    got = _key_chars(native, ["new w0 newer"], chars, True)
    assert got == ["\ud7ffx\ue000"]  # the last character before the surrogates, then past them
    assert chars["newest"] == "\ue001"  # (where _WordChars.__missing__ goes on)
    with pytest.raises(dedup._OutOfCharsError):
        _key_chars(native, ["w1", "one more"], chars, True, limit=len(chars))
    assert "more" not in chars


def test_key_chars_rejects_bad_input(native: NativeCore) -> None:
    limit, out = dedup._CHAR_LIMIT, dedup._OutOfCharsError
    table = native.word_table()
    with pytest.raises(TypeError, match="chars must be a dict"):
        native.key_chars(["a"], [], table, True, limit, out)
    with pytest.raises(TypeError, match="table must be a word_table"):
        native.key_chars(["a"], {}, native.key_table(4), True, limit, out)
    with pytest.raises(TypeError, match=r"keys\[1\] must be str"):
        native.key_chars(["a", ["b"]], {"a": "x"}, table, True, limit, out)
    with pytest.raises(TypeError, match="one character"):
        native.key_chars(["b"], {"b": "xy"}, native.word_table(), True, limit, out)
    with pytest.raises(TypeError, match="an exception class"):
        native.key_chars(["a"], {}, table, True, limit, ValueError("no"))
    with pytest.raises(ValueError, match="limit"):
        native.key_chars(["a"], {}, table, True, -1, out)
    assert native.key_chars(["a", ""], {}, native.word_table(), False, limit, out) == [None, ""]


# ------------------------------------------------------------------ all-pairs matching

# word lists over a small vocabulary (many common words), some longer than one or two
# machine words of bits (64, 128 words), some empty
pair_words = st.lists(
    st.one_of(
        st.lists(st.sampled_from(["a", "b", "c", "d", "é", "字", "\U0001f600"]), max_size=12),
        st.lists(st.sampled_from(["a", "b", "c", "x"]), min_size=50, max_size=200),
    ),
    max_size=14,
)


def _plain_pairs(
    seqs: list[list[str]], min_score: float, min_share: float, min_near: int, contained: bool
) -> list[tuple[int, int, int]]:
    from rapidfuzz.distance import LCSseq

    out = []
    for i in range(len(seqs)):
        for j in range(i + 1, len(seqs)):
            a, b = len(seqs[i]), len(seqs[j])
            c = LCSseq.similarity(seqs[i], seqs[j])
            if (
                (a + b > 0 and 200.0 * c / (a + b) >= min_score)
                or (contained and b <= a and 100.0 * c / max(b, 1) >= min_share)
                or (contained and a < b and c == a and a >= min_near)
            ):
                out.append((i, j, c))
    return out


@SETTINGS
@given(
    seqs=pair_words,
    min_score=st.sampled_from([0.0, 50.0, 80.0, 90.0, 100.0]),
    min_share=st.sampled_from([60.0, 90.0, 100.0]),
    min_near=st.integers(0, 6),
    contained=st.booleans(),
)
def test_all_pairs_is_the_plain_definition(
    native: NativeCore,
    seqs: list[list[str]],
    min_score: float,
    min_share: float,
    min_near: int,
    contained: bool,
) -> None:
    # (fresh word objects: equal words are compared by their text, not their identity)
    copies = [[str(w.encode(), "utf-8") for w in ws] for ws in seqs]
    got = native.all_pairs(copies, min_score, min_share, min_near, contained)
    assert got == _plain_pairs(seqs, min_score, min_share, min_near, contained)


@SETTINGS
@given(
    seqs=pair_words,
    as_key=st.lists(st.booleans(), min_size=14, max_size=14),
    contained=st.booleans(),
)
def test_all_pairs_reads_keys_as_their_words(
    native: NativeCore, seqs: list[list[str]], as_key: list[bool], contained: bool
) -> None:
    """A unit given as its key (its words joined by single spaces) matches as its word list
    does, also beside units given as lists, and whatever the width its key is stored in (a
    key holding a 字 stores its ASCII words in two bytes a code point, a word alone in one)."""
    mixed: list[list[str] | str] = [
        " ".join(ws) if as_key[k] else [str(w.encode(), "utf-8") for w in ws]
        for k, ws in enumerate(seqs)
    ]
    got = native.all_pairs(mixed, 80.0, 90.0, 3, contained)
    assert got == native.all_pairs(seqs, 80.0, 90.0, 3, contained)
    assert got == _plain_pairs(seqs, 80.0, 90.0, 3, contained)


@SETTINGS
@given(seqs=pair_words, contained=st.booleans())
def test_all_pairs_matches_are_the_same_without_the_core(
    native: NativeCore, seqs: list[list[str]], contained: bool
) -> None:
    config = cleaner.CleanerConfig()
    fast = dedup._all_pairs(seqs, config, contained=contained)
    saved = _accel.native
    try:
        _accel.native = None
        slow = dedup._all_pairs(seqs, config, contained=contained)
    finally:
        _accel.native = saved
    assert fast == slow


def test_all_pairs_counts_words_in_order_across_machine_words(native: NativeCore) -> None:
    earlier = [f"w{k}" for k in range(150)]
    later = earlier[:70] + ["new"] * 9 + earlier[75:]  # 145 of 150 words in common
    got = native.all_pairs([earlier, later, earlier[::-1]], 0.0, 100.0, 0, False)
    assert got == [(0, 1, 145), (0, 2, 1), (1, 2, 1)]


def test_all_pairs_leaves_a_huge_unit_to_rapidfuzz(native: NativeCore) -> None:
    assert native.all_pairs([["a"] * 4097, ["a"]], 90.0, 90.0, 4, True) is None
    assert native.all_pairs([["a"] * 4096, ["a"] * 4096], 90.0, 90.0, 4, True) == [(0, 1, 4096)]


def test_all_pairs_rejects_bad_input(native: NativeCore) -> None:
    with pytest.raises(TypeError, match=r"seqs\[1\] must be a list of str or a str, not tuple"):
        native.all_pairs([["a"], ("b",)], 90.0, 90.0, 4, True)
    with pytest.raises(TypeError, match=r"seqs\[0\]\[1\] must be a str, not int"):
        native.all_pairs([["a", 3], ["b"]], 90.0, 90.0, 4, True)
    with pytest.raises(TypeError, match="takes 5 arguments"):
        native.all_pairs([["a"]], 90.0, 90.0, 4)  # type: ignore[call-arg]


# ------------------------------------------------------------------ the whole clean


def _both_ways(text: str, config: cleaner.CleanerConfig) -> tuple[object, object]:
    c = cleaner.Cleaner(config)
    saved = _accel.native
    try:
        fast = c.clean(text).to_dict()
        _accel.native = None
        slow = c.clean(text).to_dict()
    finally:
        _accel.native = saved
    return fast, slow


CONFIGS = [
    cleaner.CleanerConfig(),
    cleaner.CleanerConfig(rules=False),
    cleaner.CleanerConfig(lsh_min_segments=2),
]


@SETTINGS
@given(text=st.one_of(any_text, documents()), which=st.integers(0, len(CONFIGS) - 1))
def test_the_clean_is_the_same_without_the_core(native: NativeCore, text: str, which: int) -> None:
    fast, slow = _both_ways(text, CONFIGS[which])
    assert fast == slow


def test_the_founding_example_is_the_same_without_the_core(native: NativeCore) -> None:
    text = (REPO_ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")
    fast, slow = _both_ways(text, cleaner.CleanerConfig())
    assert fast == slow
