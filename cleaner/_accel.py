"""The optional C core (:mod:`cleaner._native`), and whether it is in use.

Each native function has a pure-Python twin beside the code that calls it; that twin is
the reference, the tests check that both agree, and it runs wherever the C core is
missing (an install without a C compiler, or ``CLEANER_BUILD_NATIVE=0`` at install) or
switched off with the environment variable ``CLEANER_NATIVE=0``. Results are the same
either way; only the speed differs.

Callers read :data:`native` at call time, so a test can switch it for one run.

>>> isinstance(available(), bool)
True
"""

from __future__ import annotations

import importlib
import os
from array import array
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar, cast, overload

__all__ = ["NativeCore", "available", "native"]

_L = TypeVar("_L")


class NativeCore(Protocol):
    """What :mod:`cleaner._native` provides (built from ``cleaner/_c/``)."""

    SOURCE_SHA256: str

    def repeated_runs(
        self, line_words: Sequence[list[str]], n: int, min_runs: int, /
    ) -> list[int]: ...

    @overload
    def rough_scan(
        self,
        texts: Sequence[str],
        n: int,
        min_runs: int,
        lower: array[int],
        fallback: Callable[[str], list[str]] | None = None,
        /,
    ) -> tuple[list[str], list[int], list[int], list[int]]: ...

    @overload
    def rough_scan(
        self,
        texts: Sequence[str],
        n: int,
        min_runs: int,
        lower: array[int],
        fallback: Callable[[str], list[str]] | None,
        previous: object,
        unspaced: array[int] | None = ...,
        /,
    ) -> tuple[list[str], list[int], list[int], list[int], object]: ...

    def release_scratch(self, /) -> None: ...

    def utf8_extra(self, text: str, /) -> int: ...

    def fold_parts(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        table: array[int],
        unspaced: bool = ...,
        /,
    ) -> tuple[list[list[str]], list[str], list[int], list[str], str, int] | None: ...

    def line_parts(
        self,
        text: str,
        spans: list[tuple[int, int]],
        table: array[int],
        frame: bool,
        min_words: int,
        min_chars: int,
        max_numeric: float,
        long_words: int,
        stops: str,
        closers: str,
        questions: str,
        keep_words: bool = ...,
        unspaced: bool = ...,
        /,
    ) -> (
        tuple[
            list[tuple[int, int]],
            list[str],
            list[int],
            int,
            list[bool],
            str,
            bool,
            bool,
            bool,
            bool,
            list[str] | None,
            list[list[str]] | None,
        ]
        | None
    ): ...

    def split_sentences(
        self,
        text: str,
        start: int,
        end: int,
        table: bytes,
        is_abbreviation: Callable[[str, int, str], bool],
        abbreviations: tuple[int, frozenset[str], frozenset[str]] | None = None,
        /,
    ) -> list[tuple[int, int]] | None: ...

    def has_unspaced(self, text: str, table: bytes, /) -> bool: ...

    def split_lines(
        self, text: str, line_type: type[_L], line_kind: Callable[[str], str], markers: str, /
    ) -> list[_L] | None: ...

    def group_lines(
        self, lines: list[Any], removals: list[Any], /
    ) -> tuple[set[int], dict[int, list[Any]]]: ...

    def standing_lines(
        self,
        lines: list[_L],
        whole: set[int],
        cut: dict[int, tuple[list[tuple[int, int]], list[str], str, str]],
        /,
    ) -> tuple[str, list[tuple[int, int, int, int]], list[int], list[_L], list[int]]: ...

    def minhash_into(
        self, out: object, strings: Sequence[str], a: object, b: object, /
    ) -> None: ...

    def band_pairs(
        self,
        sig: object,
        at: object,
        bands: int,
        rows: int,
        fresh: list[int] | None,
        max_bucket: int,
        /,
    ) -> tuple[bytes, int]: ...

    def word_table(self) -> object: ...

    def key_chars(
        self,
        keys: Sequence[str],
        chars: dict[str, str],
        table: object,
        add: bool,
        limit: int,
        exhausted: type[Exception],
        /,
    ) -> list[str | None]: ...

    def all_pairs(
        self,
        seqs: Sequence[list[str] | str],
        min_score: float,
        min_share: float,
        min_near: int,
        contained: bool,
        /,
    ) -> list[tuple[int, int, int]] | None: ...

    def collect_units(
        self,
        lines: list[Any],
        positions: list[int],
        copies: list[int],
        parts_of: dict[str, Any],
        fill: Callable[[Any], Any],
        unit_type: type[Any],
        min_near: int,
        frame_copies: int,
        structured_min_words: int,
        short_copy_min_words: int,
        attribution_marks: str,
        parts_args: tuple[Any, ...] | None,
        /,
    ) -> tuple[list[Any], list[Any]]: ...

    def earlier_places(
        self, old_keys: list[str], keys: list[str], /
    ) -> tuple[dict[int, int], list[int]] | None: ...

    def repeated_keys(self, units: list[Any], /) -> list[tuple[int, int]]: ...

    def lcs_pairs(self, strings: list[str], i_idx: Any, j_idx: Any, out: Any, /) -> bool: ...

    def glued_starts(
        self,
        units: list[Any],
        shorts: dict[str, Any],
        ends_with: dict[str, Any],
        starts_with: dict[str, Any],
        sizes: set[int],
        top_words: int,
        min_words: int,
        /,
    ) -> list[tuple[int, Any]]: ...

    def glued_candidates(
        self,
        lines: list[Any],
        word_counts: list[int],
        keys: list[str],
        copies: list[int],
        gone: set[int],
        max_words: int,
        attribution_marks: str,
        stops: str,
        closers: str,
        after_stop: str,
        /,
    ) -> list[tuple[int, int, int]]: ...

    def assemble_lines(
        self,
        original: str,
        lines: list[Any],
        whole: set[int],
        by_line: dict[int, list[Any]],
        cut_line: Callable[[str, Any, list[Any]], str | None],
        /,
    ) -> str: ...

    def stopword_table(self, owner: dict[str, str], index: dict[str, int], /) -> bytes: ...

    def flag_counts(self, text: str, flags: bytes, n: int, /) -> list[int]: ...

    def stopword_scores(
        self,
        sample: str,
        table: bytes,
        langs: tuple[str, ...],
        letters: tuple[str, ...],
        lower: array[int],
        longest: int,
        /,
    ) -> list[tuple[int, str]]: ...

    def scan_rule_lines(
        self,
        text: str,
        lines: Sequence[object],
        active: list[bool] | None,
        start: tuple[object, ...],
        trailing: tuple[object, ...],
        fallbacks: Sequence[tuple[object, ...]],
        lead: str,
        fold: array[int] | None = None,
        /,
    ) -> list[
        tuple[
            int,
            tuple[int, ...] | None,
            list[tuple[int, tuple[int, ...]]] | None,
            list[tuple[int, tuple[int, ...]]] | None,
        ]
    ]: ...

    def key_table(self, most: int, /) -> object: ...

    def contains_any(self, text: str, needles: tuple[str, ...], /) -> bool: ...

    def rule_table(
        self,
        min_chars: tuple[int, ...],
        max_chars: tuple[int, ...],
        first_lines: tuple[int, ...],
        last_lines: tuple[int, ...],
        contains: tuple[tuple[str, ...], ...],
        /,
    ) -> object: ...


def _load() -> NativeCore | None:
    try:
        module = importlib.import_module(f"{__package__}._native")
    except ImportError:  # built without a compiler, or the build was skipped on purpose
        return None
    # (NativeCore is the one description of the module's functions; the tests call each)
    return cast("NativeCore", module)


loaded: NativeCore | None = _load()
native: NativeCore | None = None if os.environ.get("CLEANER_NATIVE") == "0" else loaded


def available() -> bool:
    """Whether the C core is built and in use in this process."""
    return native is not None
