"""MinHash LSH candidates for long documents: the one module that imports datasketch.

Above ``lsh_min_segments`` segments, comparing all pairs is quadratic. Instead each
segment gets a MinHash signature over its set of words, built for all segments at once
with numpy (no ``update()`` per word), and segments that share a band of their signature
become candidate pairs. Candidates are then re-scored by the caller with the same
RapidFuzz scorer as the all-pairs path, so a score means the same whichever path found it.

The band layout (``b`` bands of ``r`` rows) is derived once from the one user-facing
threshold, ``lsh_threshold`` (0-1 Jaccard), by datasketch's ``MinHashLSH``, weighted
towards recall since every candidate is verified anyway (the default setting's layout is
shipped: no datasketch and scipy import for it).

Example:
    >>> from cleaner import CleanerConfig
    >>> strings = ["abcdefgh", "abcdefgx", "qrstuvwx"]
    >>> i, j = candidate_pairs(strings, CleanerConfig())
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from . import _accel
from .config import CleanerConfig

if TYPE_CHECKING:  # (numpy is imported by the functions that use it: see __getattr__)
    import numpy as np
    import numpy.typing as npt

    Index = npt.NDArray[np.int64]
    Signatures = npt.NDArray[np.uint32]

__all__ = [
    "MAX_BUCKET",
    "SignatureCache",
    "Signatures",
    "add_unions",
    "band_layout",
    "candidate_pairs",
    "candidate_pairs_and_bucket",
    "candidate_pairs_with",
    "signatures",
]

_PRIME = (1 << 61) - 1
_CHUNK_WORDS = 1 << 14  # words per signature chunk: bounds memory at num_perm x 16k x 8 bytes
MAX_BUCKET = 256  # a bucket larger than this is split into runs (pathological repetition)
_RECALL_WEIGHTS = (0.2, 0.8)  # (false positive, false negative) weights of the band layout


def __getattr__(name: str) -> Any:
    """``Signatures`` and ``Index``, the array types, made when first asked for: numpy is
    imported only once a document is long enough for LSH (30 ms of ``import cleaner``
    that a process cleaning ordinary documents no longer pays).

    >>> import numpy, numpy.typing, cleaner.lsh
    >>> cleaner.lsh.Signatures == numpy.typing.NDArray[numpy.uint32]
    True
    """
    if name in ("Index", "Signatures"):
        import numpy as np
        import numpy.typing as npt

        return npt.NDArray[np.int64] if name == "Index" else npt.NDArray[np.uint32]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# datasketch's layout for the default setting, shipped so that a process need not import
# datasketch and scipy (0.4 s) to clean its first long document; tests/test_lsh.py checks
# it against datasketch
_KNOWN_LAYOUTS = {(0.5, 128): (30, 4)}


@functools.lru_cache(maxsize=32)
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` for a Jaccard ``threshold``, computed once per setting.

    >>> band_layout(0.5, 128)
    (30, 4)
    """
    known = _KNOWN_LAYOUTS.get((threshold, num_perm))
    if known is not None:
        return known
    return _datasketch_layout(threshold, num_perm)


def _datasketch_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH  # imported on first use: it pulls in scipy

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=_RECALL_WEIGHTS)
    return int(lsh.b), int(lsh.r)


@functools.lru_cache(maxsize=32)
def _permutations(
    num_perm: int, seed: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    import numpy as np

    gen = np.random.RandomState(seed)
    a = gen.randint(1, _PRIME, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, _PRIME, size=num_perm, dtype=np.uint64)
    return a.reshape(-1, 1), b.reshape(-1, 1)


class SignatureCache:
    """Signatures already built for one ``num_perm`` and ``seed``: one matrix, one row per
    string (a document searched again once its repeats are cut hashes only new strings)."""

    __slots__ = ("_looked", "_room", "matrix", "rows")

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.matrix: Signatures | None = None
        # (the rows are kept in a block with room for more, ``matrix`` its filled part: a
        # long document's second look adds a few rows at a time to thousands)
        self._room: Signatures | None = None
        # (the list of strings last looked up, and the row of each: see rows_of)
        self._looked: tuple[list[str], Index] | None = None

    def rows_of(self, strings: list[str]) -> Index | None:
        """The row of each of ``strings`` when the last lookup in this cache was of this very
        list (an LSH search's, which the scores of its pairs then follow), else ``None``.

        >>> cache, strings = SignatureCache(), ["ab", "cd"]
        >>> _ = signatures(strings, 8, 1, cache)
        >>> cache.rows_of(strings).tolist(), cache.rows_of(["ab", "cd"])
        ([0, 1], None)
        """
        looked = self._looked
        return looked[1] if looked is not None and looked[0] is strings else None

    def add(self, strings: list[str], matrix: Signatures) -> None:
        """Keep the signatures ``matrix`` (one row each) of ``strings``: distinct strings
        the cache does not hold (else rows and strings would fall out of step).

        >>> import numpy as np
        >>> cache = SignatureCache()
        >>> cache.add(["a"], np.array([[1, 2]], dtype=np.uint32))
        >>> cache.add(["b", "c"], np.array([[3, 4], [5, 6]], dtype=np.uint32))
        >>> cache.matrix.tolist(), cache.rows
        ([[1, 2], [3, 4], [5, 6]], {'a': 0, 'b': 1, 'c': 2})
        """
        import numpy as np

        first = len(self.rows)
        self.rows.update(zip(strings, range(first, first + len(strings)), strict=True))
        if self.matrix is None:
            self.matrix = matrix  # (a document searched once: its rows as they were made)
            return
        have, need = len(self.matrix), len(self.matrix) + len(matrix)
        room = self._room
        if room is None or len(room) < need:
            room = np.empty((need + need // 2, matrix.shape[1]), dtype=matrix.dtype)
            room[:have] = self.matrix
            self._room = room
        room[have:need] = matrix
        self.matrix = room[:need]


def signatures(
    strings: list[str],
    num_perm: int,
    seed: int,
    known: SignatureCache | None = None,
) -> Signatures:
    """MinHash signatures, shape ``(len(strings), num_perm)``, of each string's set of
    characters (each character stands for one word). Built in chunks, all words at once;
    32-bit values (the hash keeps the high half of a 64-bit product).

    ``known`` keeps signatures across calls with the same ``num_perm`` and ``seed``.
    """
    matrix, at = _lookup(strings, num_perm, seed, known)
    return matrix if at is None else matrix[at]


def add_unions(
    known: SignatureCache, unions: list[tuple[str, list[str]]], num_perm: int, seed: int
) -> None:
    """Keep in ``known`` the signature of each string of ``unions`` whose characters are
    those of its parts together, as the minimum of the parts' signatures (a signature is a
    minimum per permutation over the characters): only parts not in ``known`` are hashed.
    Empty parts add nothing (a string with no characters at all gets no signature); a
    string the cache holds already keeps its row.

    >>> known = SignatureCache()
    >>> add_unions(known, [("abcd", ["ab", "cd"])], 128, 1)
    >>> bool((known.matrix[known.rows["abcd"]] == signatures(["abcd"], 128, 1)[0]).all())
    True
    """
    import numpy as np

    unions = [(whole, kept) for whole, ps in unions if (kept := [p for p in ps if p])]
    if not unions:
        return
    parts = [part for _, ps in unions for part in ps]
    matrix, at = _lookup(parts, num_perm, seed, known)
    starts = np.cumsum([0] + [len(ps) for _, ps in unions[:-1]])
    picked = matrix if at is None else matrix[at]
    combined = np.minimum.reduceat(picked, starts, axis=0)
    # a whole that is one of the parts (the others empty) is in the cache by now
    new = {whole: k for k, (whole, _) in enumerate(unions) if whole not in known.rows}
    if new:
        known.add(list(new), combined[list(new.values())])


def _lookup(
    strings: list[str], num_perm: int, seed: int, known: SignatureCache | None
) -> tuple[Signatures, Index | None]:
    """A matrix holding the signatures of ``strings``, and the row of each (``None``: row
    ``i`` is string ``i``), without copying the rows of a cache."""
    import numpy as np

    if known is None:
        return _signatures(strings, num_perm, seed), None
    rows = known.rows
    got = list(map(rows.get, strings))  # (one pass over the cache: most strings are in it)
    if None in got:
        fresh = list(dict.fromkeys(s for s, row in zip(strings, got, strict=True) if row is None))
        known.add(fresh, _signatures(fresh, num_perm, seed))
        got = list(map(rows.__getitem__, strings))
    if known.matrix is None:
        return np.empty((0, num_perm), dtype=np.uint32), None
    at = np.array(got, dtype=np.int64) if got else np.empty(0, dtype=np.int64)
    known._looked = (strings, at)
    if np.array_equal(at, np.arange(len(known.matrix))):
        return known.matrix, None  # the cache holds exactly these strings, in order
    return known.matrix, at


def _signatures(strings: list[str], num_perm: int, seed: int) -> Signatures:
    import numpy as np

    a, b = _permutations(num_perm, seed)
    out = np.empty((len(strings), num_perm), dtype=np.uint32)
    native = _accel.native
    if native is not None and all(strings):
        # the same arithmetic in C, string by string (an empty string: reduceat decides)
        native.minhash_into(out, strings, a.ravel(), b.ravel())
        return out
    start = 0
    while start < len(strings):
        stop = start
        total = 0
        while stop < len(strings) and (total == 0 or total + len(strings[stop]) <= _CHUNK_WORDS):
            total += len(strings[stop])
            stop += 1
        chunk = strings[start:stop]
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter((len(s) for s in chunk), dtype=np.int64, count=len(chunk))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        # multiply-add-shift hashing (a odd): a universal family, and no slow modulo; in
        # place, one (num_perm, words) array (unsigned arithmetic wraps around silently)
        codes *= np.uint64(0x9E3779B97F4A7C15)
        hashed = np.multiply(a, codes)
        hashed += b
        hashed >>= np.uint64(32)
        out[start:stop] = np.minimum.reduceat(hashed, offsets, axis=1).T
        start = stop
    return out


@functools.lru_cache(maxsize=MAX_BUCKET + 1)
def _pairs_of(k: int) -> tuple[Index, Index]:
    """Every pair of positions ``i < j`` below ``k``."""
    import numpy as np

    ii, jj = np.triu_indices(k, k=1)
    return ii.astype(np.int64), jj.astype(np.int64)


def candidate_pairs(
    strings: list[str],
    config: CleanerConfig,
    known: SignatureCache | None = None,
) -> tuple[Index, Index]:
    """Pairs ``(i, j)``, ``i < j``, of strings that share at least one LSH band (``known``:
    see :func:`signatures`)."""
    i, j, _ = candidate_pairs_and_bucket(strings, config, known)
    return i, j


def _band_hashes(
    strings: list[str], config: CleanerConfig, known: SignatureCache | None
) -> npt.NDArray[np.uint64]:
    """One hash per string and band, shape ``(len(strings), bands)``."""
    import numpy as np

    sig, at, bands, rows = _signatures_and_bands(strings, config, known)
    used = sig[:, : bands * rows] if at is None else sig[at, : bands * rows]
    grid = used.reshape(len(strings), bands, rows)
    # all bands at once (unsigned arithmetic wraps silently)
    mix = np.uint64(0x100000001B3)
    band_hash = np.zeros((len(strings), bands), dtype=np.uint64)
    for col in range(rows):
        band_hash ^= grid[:, :, col]
        band_hash *= mix
    return band_hash


def _signatures_and_bands(
    strings: list[str], config: CleanerConfig, known: SignatureCache | None
) -> tuple[Signatures, Index | None, int, int]:
    """The (C-contiguous) signature matrix, the row of each string (``None``: row i), and
    the band layout: what :func:`_band_hashes` hashes, and the C core's ``band_pairs``
    arguments before ``fresh``."""
    import numpy as np

    bands, rows = band_layout(config.lsh_threshold, config.lsh_num_perm)
    sig, at = _lookup(strings, config.lsh_num_perm, config.seed, known)
    return np.ascontiguousarray(sig), at, bands, rows


def candidate_pairs_and_bucket(
    strings: list[str],
    config: CleanerConfig,
    known: SignatureCache | None = None,
) -> tuple[Index, Index, int]:
    """:func:`candidate_pairs`, and the size of the largest bucket (strings that share one
    band): while no bucket holds over ``MAX_BUCKET`` strings, two strings are a candidate
    pair exactly when they share a band, whatever the other strings are."""
    import numpy as np

    n = len(strings)
    if n < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, n
    native = _accel.native
    if native is not None:
        # (the loop below, in C: a hash table per band instead of a sort; the same pairs)
        codes, largest = native.band_pairs(
            *_signatures_and_bands(strings, config, known), None, MAX_BUCKET
        )
        i, j = _distinct([np.frombuffer(codes, dtype=np.int64)], n)
        return i, j, largest
    per_band = np.ascontiguousarray(_band_hashes(strings, config, known).T)
    found: list[Index] = []
    largest = 1
    for h in per_band:
        # (any order within a bucket will do: members are sorted below)
        order = np.argsort(h)
        sorted_h = h[order]
        edges = np.flatnonzero(np.diff(sorted_h)) + 1
        starts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [n]))
        size = ends - starts
        largest = max(largest, int(size.max()))
        pair = starts[size == 2]  # the common case, all at once
        if len(pair):
            lo = np.minimum(order[pair], order[pair + 1]).astype(np.int64)
            hi = np.maximum(order[pair], order[pair + 1]).astype(np.int64)
            found.append(lo * n + hi)
        # small buckets, all of one size at a time: a matrix of members, every pair of columns
        for k in np.unique(size[(size > 2) & (size <= MAX_BUCKET)]).tolist():
            firsts = starts[size == k]
            members = np.sort(order[firsts[:, None] + np.arange(k)], axis=1).astype(np.int64)
            ii, jj = _pairs_of(k)
            found.append((members[:, ii] * n + members[:, jj]).ravel())
        # a huge bucket (pathological repetition) goes in overlapping runs
        for s, e in zip(
            starts[size > MAX_BUCKET].tolist(), ends[size > MAX_BUCKET].tolist(), strict=True
        ):
            members = np.sort(order[s:e])
            for run in range(0, len(members), MAX_BUCKET):
                part = members[max(0, run - 1) : run + MAX_BUCKET]
                ii, jj = _pairs_of(len(part))
                found.append(part[ii].astype(np.int64) * n + part[jj].astype(np.int64))
    i, j = _distinct(found, n)
    return i, j, largest


def candidate_pairs_with(
    strings: list[str],
    fresh: list[int],
    config: CleanerConfig,
    known: SignatureCache | None = None,
) -> tuple[Index, Index]:
    """The pairs ``(i, j)``, ``i < j``, that share a band and hold at least one of the
    positions ``fresh``: what :func:`candidate_pairs` finds among them while no bucket holds
    over ``MAX_BUCKET`` strings (the caller makes sure), without sorting every band: each
    band's hashes are looked up among the few fresh strings' hashes.

    >>> from cleaner import CleanerConfig
    >>> strings = ["abcdefgh", "abcdefgx", "qrstuvwx", "qrstuvwy"]
    >>> i, j = candidate_pairs_with(strings, [1], CleanerConfig())
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    import numpy as np

    n = len(strings)
    if n < 2 or not fresh:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    native = _accel.native
    if native is not None:
        # (the loop below, in C: each band's fresh hashes in a small hash table)
        codes, _ = native.band_pairs(
            *_signatures_and_bands(strings, config, known), sorted(set(fresh)), MAX_BUCKET
        )
        return _distinct([np.frombuffer(codes, dtype=np.int64)], n)
    band_hash = _band_hashes(strings, config, known)
    picked = np.asarray(sorted(set(fresh)), dtype=np.int64)
    found: list[Index] = []
    for col in band_hash.T:
        own = col[picked]
        order = np.argsort(own)
        fresh_hash, fresh_at = own[order], picked[order]
        # every string whose hash some fresh strings have, with each of them
        left = np.searchsorted(fresh_hash, col, side="left")
        right = np.searchsorted(fresh_hash, col, side="right")
        rows = np.flatnonzero(right > left)
        count = (right - left)[rows]
        if len(rows) == 0:
            continue
        starts = np.repeat(left[rows], count)
        steps = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        other = fresh_at[starts + steps]
        mine = np.repeat(rows, count).astype(np.int64)
        apart = mine != other
        mine, other = mine[apart], other[apart]
        found.append(np.minimum(mine, other) * n + np.maximum(mine, other))
    return _distinct(found, n)


def _distinct(found: list[Index], n: int) -> tuple[Index, Index]:
    """The pairs of the codes ``i * n + j`` in ``found``, each once, in order."""
    import numpy as np

    codes = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    if len(codes) == 0:
        return codes, codes
    # each pair once, in order (sorting beats np.unique, which hashes, 60x on a million)
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return codes // n, codes % n
