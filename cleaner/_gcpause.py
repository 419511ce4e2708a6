"""Pause Python's cyclic garbage collector while one long document is cleaned.

Cleaning a long document builds millions of short-lived, acyclic containers (word lists,
units, memo entries). Reference counting frees every one of them; the cyclic collector
only re-scans them, and as the heap grows its full collections get longer: measured on
one 10,000-paragraph document (2.7 M characters), a quarter of the clean; on 100,000
paragraphs, 45.5 s against 35.4 s paused (see ``benchmarks/README.md``). Documents
below :data:`PAUSE_CHARS` characters are left alone (no measurable difference there,
and no reason to touch process-wide state).

The pause nests and is thread-safe: the collector is switched back on when the last
pause in the process ends, and only if it was on when the first one began (a caller
that turned it off keeps it off). Any cyclic garbage made meanwhile is collected at the
next collection after that. A process forked while another thread holds a pause starts
with no pause (the thread that would end it does not exist there).

Example:
    >>> import gc
    >>> with paused(PAUSE_CHARS):
    ...     inside = gc.isenabled()
    >>> inside, gc.isenabled()
    (False, True)
    >>> with paused(100):  # a short document: untouched
    ...     gc.isenabled()
    True
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator

__all__ = ["PAUSE_CHARS", "paused"]

PAUSE_CHARS = 100_000  # documents at least this long are cleaned with the collector paused

_lock = threading.Lock()
_holds = 0
_was_enabled = False


@contextlib.contextmanager
def paused(size: int) -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block if ``size`` (characters) is at
    least :data:`PAUSE_CHARS`; otherwise do nothing."""
    if size < PAUSE_CHARS:
        yield
        return
    global _holds, _was_enabled
    with _lock:
        if _holds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0 and _was_enabled:
                gc.enable()


def _after_fork_in_child() -> None:
    """The child of a fork has only the forking thread: pauses held by others end here."""
    global _holds, _lock
    _lock = threading.Lock()
    if _holds:
        _holds = 0
        if _was_enabled:
            gc.enable()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
