# Types of the optional C core (sources in cleaner/_c/); each function's Python twin is the
# reference (see cleaner/_accel.py).
from array import array
from collections.abc import Callable, Sequence
from typing import TypeVar

_L = TypeVar("_L")

SOURCE_SHA256: str

def repeated_runs(line_words: Sequence[list[str]], n: int, min_runs: int, /) -> list[int]: ...
def rough_scan(
    texts: Sequence[str], n: int, min_runs: int, lower: array[int], /
) -> tuple[list[str], list[int], list[int]]: ...
def fold_parts(
    text: str, spans: Sequence[tuple[int, int]], table: array[int], /
) -> tuple[list[list[str]], list[str], list[int], list[str], str, int] | None: ...
def scan_rule_lines(
    text: str,
    lines: Sequence[object],
    active: list[bool] | None,
    start: tuple[object, ...],
    trailing: tuple[object, ...],
    fallbacks: Sequence[tuple[object, ...]],
    lead: str,
    /,
) -> list[
    tuple[
        int,
        tuple[int, ...] | None,
        list[tuple[int, tuple[int, ...]]] | None,
        list[tuple[int, tuple[int, ...]]] | None,
    ]
]: ...
def split_sentences(
    text: str,
    start: int,
    end: int,
    table: bytes,
    is_abbreviation: Callable[[str, int, str], bool],
    /,
) -> list[tuple[int, int]] | None: ...
def has_unspaced(text: str, table: bytes, /) -> bool: ...
def split_lines(
    text: str, line_type: type[_L], line_kind: Callable[[str], str], markers: str, /
) -> list[_L] | None: ...
def minhash_into(out: object, strings: Sequence[str], a: object, b: object, /) -> None: ...
def stopword_scores(
    sample: str,
    owner: dict[str, str],
    index: dict[str, int],
    langs: tuple[str, ...],
    letters: tuple[str, ...],
    lower: array[int],
    /,
) -> list[tuple[int, str]]: ...
