"""The MinHash LSH candidates against plain definitions: signatures computed one string and
one character at a time with Python integers, and pairs that share a band found by brute
force."""

from __future__ import annotations

import collections
import itertools
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS

from cleaner import CleanerConfig, lsh

MASK = (1 << 64) - 1


def _plain_signature(text: str, num_perm: int, seed: int) -> list[int]:
    a, b = lsh._permutations(num_perm, seed)
    out = []
    for ai, bi in zip(a.ravel().tolist(), b.ravel().tolist(), strict=True):
        hashes = [((ai * ((ord(ch) * 0x9E3779B97F4A7C15) & MASK) + bi) & MASK) >> 32 for ch in text]
        out.append(min(hashes))
    return out


def _plain_pairs(strings: list[str], config: CleanerConfig) -> set[tuple[int, int]]:
    bands, rows = lsh.band_layout(config.lsh_threshold, config.lsh_num_perm)
    sig = lsh.signatures(strings, config.lsh_num_perm, config.seed)
    return {
        (i, j)
        for i, j in itertools.combinations(range(len(strings)), 2)
        if any(
            (sig[i, k * rows : (k + 1) * rows] == sig[j, k * rows : (k + 1) * rows]).all()
            for k in range(bands)
        )
    }


# one character per word, as the matcher builds them: a few shared "words" make near pairs
segments = st.lists(
    st.text(alphabet="abcdefghijkl\u0100\u0101\u4e00\U0001f600", min_size=1, max_size=12),
    min_size=0,
    max_size=40,
)


@SETTINGS
@given(strings=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=8))
def test_signatures_match_the_plain_definition(strings: list[str]) -> None:
    got = lsh.signatures(strings, 16, 3)
    assert got.dtype == np.uint32
    assert got.tolist() == [_plain_signature(s, 16, 3) for s in strings]


@SETTINGS
@given(strings=segments)
def test_candidate_pairs_are_the_pairs_that_share_a_band(strings: list[str]) -> None:
    config = CleanerConfig()
    i, j = lsh.candidate_pairs(strings, config)
    got = list(zip(i.tolist(), j.tolist(), strict=True))
    assert got == sorted(set(got))  # each pair once, in order
    assert set(got) == _plain_pairs(strings, config)


@SETTINGS
@given(strings=segments, order=st.randoms())
def test_a_cache_filled_in_another_order_gives_the_same_pairs(
    strings: list[str], order: random.Random
) -> None:
    config = CleanerConfig()
    shuffled = list(strings)
    order.shuffle(shuffled)
    known = lsh.SignatureCache()
    lsh.candidate_pairs(shuffled, config, known)
    with_cache = lsh.candidate_pairs(strings, config, known)
    alone = lsh.candidate_pairs(strings, config)
    assert with_cache[0].tolist() == alone[0].tolist()
    assert with_cache[1].tolist() == alone[1].tolist()


@SETTINGS
@given(strings=segments, data=st.data())
def test_pairs_with_fresh_strings_are_the_pairs_that_hold_one(
    strings: list[str], data: st.DataObject
) -> None:
    """The pairs of some strings, found without sorting every band, are the candidate pairs
    that hold one of them; the largest bucket is the most strings that share one band."""
    config = CleanerConfig()
    fresh = data.draw(st.lists(st.integers(0, max(0, len(strings) - 1)), max_size=6))
    fresh = [k for k in fresh if k < len(strings)]
    known = lsh.SignatureCache()
    i, j = lsh.candidate_pairs_with(strings, fresh, config, known)
    got = list(zip(i.tolist(), j.tolist(), strict=True))
    assert got == sorted(set(got))
    assert set(got) == {
        (a, b) for a, b in _plain_pairs(strings, config) if a in fresh or b in fresh
    }
    *_, largest = lsh.candidate_pairs_and_bucket(strings, config, known)
    bands, rows = lsh.band_layout(config.lsh_threshold, config.lsh_num_perm)
    sig = lsh.signatures(strings, config.lsh_num_perm, config.seed)
    most = len(strings)  # (fewer than two strings: no band to share)
    if len(strings) >= 2:
        most = max(
            max(
                collections.Counter(
                    sig[s, k * rows : (k + 1) * rows].tobytes() for s in range(len(strings))
                ).values()
            )
            for k in range(bands)
        )
    assert largest == most


def test_a_huge_bucket_is_paired_in_overlapping_runs() -> None:
    """600 copies of one segment: not 179,700 pairs, but every copy paired with a
    neighbour (each run overlaps the next by one)."""
    n = 600
    i, j = lsh.candidate_pairs(["abcdefgh"] * n, CleanerConfig())
    pairs = set(zip(i.tolist(), j.tolist(), strict=True))
    assert len(pairs) < n * lsh.MAX_BUCKET
    assert {k for pair in pairs for k in pair} == set(range(n))
    assert all((k, k + 1) in pairs for k in range(n - 1))


def test_shipped_band_layouts_are_datasketchs() -> None:
    for (threshold, num_perm), layout in lsh._KNOWN_LAYOUTS.items():
        assert lsh._datasketch_layout(threshold, num_perm) == layout
    defaults = CleanerConfig()
    assert (defaults.lsh_threshold, defaults.lsh_num_perm) in lsh._KNOWN_LAYOUTS
    assert lsh.band_layout(0.6, 64) == lsh._datasketch_layout(0.6, 64)  # computed otherwise


def test_numpy_is_imported_only_for_a_long_documents_lsh_search() -> None:
    """A process that cleans ordinary documents never imports numpy (~35 ms of its start-up);
    the first document long enough for the LSH search does (and datasketch stays out: the
    default band layout is shipped)."""
    seed = Path(__file__).resolve().parent.parent / "examples" / "seed_article.txt"
    code = (
        "import sys, cleaner\n"
        f"text = open({str(seed)!r}, encoding='utf-8').read()\n"
        "cleaner.clean(text)\n"
        "short = 'numpy' in sys.modules\n"
        "rows = [f'Item {k}: the council approved budget line {k} after a long debate today.'\n"
        "        for k in range(30)]\n"
        "rows.append(rows[3].replace('long', 'lengthy'))\n"
        "config = cleaner.CleanerConfig(lsh_min_segments=8)\n"
        "result = cleaner.clean('\\n'.join(rows), config=config)\n"
        "print(short, 'numpy' in sys.modules, 'datasketch' in sys.modules, len(result.removals))\n"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    short, long_, datasketch, removals = got.stdout.split()
    assert (short, long_, datasketch) == ("False", "True", "False")
    assert int(removals) > 0


@SETTINGS
@given(
    pieces=st.lists(
        st.lists(st.text(alphabet="abcdefgh\u0100\u4e00", max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    ),
    cached=st.lists(st.text(alphabet="abcdefgh\u0100\u4e00", min_size=1, max_size=6), max_size=4),
)
def test_signatures_of_unions_are_the_signatures_of_the_whole_strings(
    pieces: list[list[str]], cached: list[str]
) -> None:
    """A line's signature from its sentences' (some already cached, some empty) is the
    signature of the line itself."""
    known = lsh.SignatureCache()
    lsh.signatures(cached, 16, 3, known)
    unions = {}
    for parts in pieces:
        whole = "".join(parts)
        if whole and whole not in known.rows:
            unions.setdefault(whole, parts)
    lsh.add_unions(known, list(unions.items()), 16, 3)
    for whole in unions:
        assert known.matrix is not None
        assert known.matrix[known.rows[whole]].tolist() == _plain_signature(whole, 16, 3)
    assert len(known.rows) == len(known.matrix if known.matrix is not None else [])
