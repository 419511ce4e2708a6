"""The cyclic collector is paused while a long document is cleaned, and always restored."""

from __future__ import annotations

import contextlib
import gc
import os
import random
import threading
import warnings
from collections.abc import Iterator

import pytest

import cleaner
import cleaner.api
from cleaner import _gcpause
from cleaner.segment import Line

WORDS = [
    "harbour",
    "ferry",
    "weather",
    "council",
    "budget",
    "river",
    "market",
    "school",
    "station",
    "bridge",
    "winter",
    "garden",
    "museum",
    "letter",
    "doctor",
    "farmer",
    "engine",
    "island",
    "forest",
    "village",
    "morning",
    "evening",
    "captain",
    "teacher",
    "singer",
    "painter",
    "window",
    "kitchen",
    "orchard",
    "lantern",
    "meadow",
    "valley",
]


def _long_document() -> str:
    rng = random.Random(7)
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."
        for _ in range(_gcpause.PAUSE_CHARS // 90)
    ]
    paragraphs.insert(900, paragraphs[10])  # one exact repeat, so there is work to do
    text = "\n\n".join(paragraphs)
    assert len(text) >= _gcpause.PAUSE_CHARS
    return text


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def seen_inside(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was on when ``clean`` split the document into lines."""
    seen: list[bool] = []
    real = cleaner.api.split_lines

    def spy(text: str) -> list[Line]:
        seen.append(gc.isenabled())
        return real(text)

    monkeypatch.setattr(cleaner.api, "split_lines", spy)
    return seen


@pytest.mark.usefixtures("collector_on")
def test_long_document_paused_then_restored(seen_inside: list[bool]) -> None:
    result = cleaner.Cleaner().clean(_long_document())
    assert seen_inside == [False]
    assert gc.isenabled()
    assert len(result.removals) == 1  # the repeat


@pytest.mark.usefixtures("collector_on")
def test_short_document_untouched(seen_inside: list[bool]) -> None:
    cleaner.Cleaner().clean("A short text. It has two sentences.")
    assert seen_inside == [True]


@pytest.mark.usefixtures("collector_on")
def test_caller_who_turned_it_off_keeps_it_off(seen_inside: list[bool]) -> None:
    gc.disable()
    cleaner.Cleaner().clean(_long_document())
    assert seen_inside == [False]
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_restored_when_clean_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> None:
        raise RuntimeError("stop")

    monkeypatch.setattr(cleaner.api, "split_lines", boom)
    with pytest.raises(RuntimeError, match="stop"):
        cleaner.Cleaner().clean(_long_document())
    assert gc.isenabled()


@contextlib.contextmanager
def _paused_by_another_thread() -> Iterator[None]:
    """Another thread holds a pause for the ``with`` block, then ends it."""
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _gcpause.paused(_gcpause.PAUSE_CHARS):
            entered.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert entered.wait(10)
        yield
    finally:
        release.set()
        worker.join(10)


@pytest.mark.usefixtures("collector_on")
def test_nested_pauses_across_threads() -> None:
    with _paused_by_another_thread():
        with _gcpause.paused(_gcpause.PAUSE_CHARS):
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other thread's pause still holds
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_same_result_with_and_without_the_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _long_document()
    paused = cleaner.Cleaner().clean(text)
    monkeypatch.setattr(_gcpause, "PAUSE_CHARS", 10 * len(text))
    assert cleaner.Cleaner().clean(text) == paused


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.usefixtures("collector_on")
def test_a_child_forked_during_a_pause_starts_without_it() -> None:
    with _paused_by_another_thread():
        assert not gc.isenabled()
        read, write = os.pipe()
        with warnings.catch_warnings():  # (3.12+ warns about forking with threads)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: report, then leave at once
            enabled = gc.isenabled()
            with _gcpause.paused(_gcpause.PAUSE_CHARS):
                inside = gc.isenabled()
            os.write(write, bytes([enabled, inside, gc.isenabled()]))
            os._exit(0)
        os.close(write)
        report = os.read(read, 3)
        os.close(read)
        os.waitpid(pid, 0)
        assert report == bytes([True, False, True])
        assert not gc.isenabled()  # the parent's pause still holds
    assert gc.isenabled()
