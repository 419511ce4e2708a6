"""MinHash LSH candidates for long documents (placeholder: all pairs)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .config import CleanerConfig


def candidate_pairs(
    strings: list[str], config: CleanerConfig
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    n = len(strings)
    i, j = np.triu_indices(n, k=1)
    return i.astype(np.int64), j.astype(np.int64)
