"""The parallel, streaming batch runner behind ``cleaner clean`` and ``cleaner report``.

Records are read lazily and grouped into chunks; chunks go to worker processes (each builds
its :class:`~cleaner.Cleaner` once, in the pool initializer) with a bounded number in flight,
and results come back in submission order, so memory stays flat and the output is the same,
byte for byte, whatever the number of workers.

Every record ends as exactly one of: an output record, or an error (a malformed line, a
missing or non-string text field, invalid UTF-8, an exception while cleaning, or a worker
process that died on it). Errors name the file, the line and what is wrong; the caller decides
(``on_error``) whether to stop or to write the bad line to a rejects file and go on.

Example:
    >>> from cleaner import CleanerConfig
    >>> from cleaner.io import Source
    >>> opts = BatchOptions(text_key="text", output_kind="jsonl")
    >>> runner = BatchRunner(CleanerConfig(), opts)
    >>> chunk = Chunk(Source("x.jsonl", "jsonl"), [(1, b'{"text": 5}')])
    >>> [o.error for o in runner.clean_chunk(chunk)]
    ["x.jsonl:1: field 'text' is int, expected a string"]
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Literal

from .api import Cleaner
from .config import CleanerConfig
from .io import Item, Source, dumps_record, get_path, iter_items, set_path

__all__ = ["BatchOptions", "BatchRunner", "BatchStats", "Chunk", "Outcome"]

OutputKind = Literal["jsonl", "parquet", "text", "none"]

# Fault injection for the tests of worker crashes: a worker that meets this marker in a
# record's text exits at once, as a segfault or the OOM killer would end it.
_CRASH_MARKER_ENV = "_CLEANER_TEST_CRASH_MARKER"


@dataclass(frozen=True)
class BatchOptions:
    """How records are read, cleaned and written (everything but the cleaner config).

    Attributes:
        text_key: dotted path of the text field (``"body"``, ``"meta.body"``).
        id_key: dotted path of the id field (used in messages and explanations; may be absent).
        output_kind: ``"jsonl"``, ``"parquet"``, ``"text"``, or ``"none"`` (report only).
        annotate_key: add ``{removals, chars_removed, share_removed, by_reason}`` under this
            key of each output record; ``None`` adds nothing.
        explain_json: produce one JSON line of removals per record (``--explain-out``).
        explain_text: produce the readable explanation per record (``--explain``).
        detail: return the original text and removals of every record (for the report).
        encoding_errors: ``"strict"`` (invalid UTF-8 is an error) or ``"replace"``.
        workers: number of worker processes (1: clean in the calling process).
        chunk_records: records per chunk sent to a worker.
        chunk_bytes: a chunk is also closed once its raw records reach this many bytes.
    """

    text_key: str = "text"
    id_key: str = "id"
    output_kind: OutputKind = "jsonl"
    annotate_key: str | None = None
    explain_json: bool = False
    explain_text: bool = False
    detail: bool = False
    encoding_errors: str = "strict"
    workers: int = 1
    chunk_records: int = 64
    chunk_bytes: int = 1 << 20


@dataclass
class Chunk:
    """A run of consecutive items of one source."""

    source: Source
    items: list[Item]


@dataclass
class Outcome:
    """What became of one record: an output payload, or an error.

    Attributes:
        line: 1-based line (or row) number in its source.
        payload: bytes (JSONL/text output) or a dict (Parquet output); ``None`` on error.
        error: ``"file:line: what is wrong"``, or ``None``.
        doc_id: the record's id as a string, if it has one.
        chars_in: characters of the text.
        chars_removed: characters removed.
        by_reason: removals per reason.
        by_rule: removals per rule id.
        explain_json: the ``--explain-out`` line (bytes), when asked for.
        explain_text: the readable explanation, when asked for.
        detail: ``{"original", "removals"}`` (for the report), when asked for.
    """

    line: int
    payload: Any = None
    error: str | None = None
    doc_id: str | None = None
    chars_in: int = 0
    chars_removed: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    explain_json: bytes | None = None
    explain_text: str | None = None
    detail: dict[str, Any] | None = None


SHARE_BINS = 20
"""The share-removed histogram has this many bins of equal width over [0, 1]."""


@dataclass
class BatchStats:
    """Totals of a run (what ``--stats-out`` writes, and the end-of-run summary)."""

    records_in: int = 0
    records_out: int = 0
    rejected: int = 0
    changed: int = 0
    bytes_in: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    removals: int = 0
    by_reason: collections.Counter[str] = field(default_factory=collections.Counter)
    by_rule: collections.Counter[str] = field(default_factory=collections.Counter)
    share_histogram: list[int] = field(default_factory=lambda: [0] * SHARE_BINS)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    MAX_ERRORS_KEPT = 1000

    def add(self, outcome: Outcome) -> None:
        """Count one record's outcome."""
        self.records_in += 1
        if outcome.error is not None:
            self.rejected += 1
            if len(self.errors) < self.MAX_ERRORS_KEPT:
                self.errors.append(outcome.error)
            return
        self.records_out += 1
        self.chars_in += outcome.chars_in
        self.chars_removed += outcome.chars_removed
        n = sum(outcome.by_reason.values())
        self.removals += n
        if n:
            self.changed += 1
        self.by_reason.update(outcome.by_reason)
        self.by_rule.update(outcome.by_rule)
        share = outcome.chars_removed / outcome.chars_in if outcome.chars_in else 0.0
        self.share_histogram[min(SHARE_BINS - 1, int(share * SHARE_BINS))] += 1

    @property
    def share_removed(self) -> float:
        """Removed characters over input characters (0-1)."""
        return self.chars_removed / self.chars_in if self.chars_in else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the totals."""
        return {
            "records_in": self.records_in,
            "records_out": self.records_out,
            "rejected": self.rejected,
            "changed": self.changed,
            "bytes_in": self.bytes_in,
            "chars_in": self.chars_in,
            "chars_removed": self.chars_removed,
            "share_removed": round(self.share_removed, 6),
            "removals": self.removals,
            "by_reason": dict(self.by_reason.most_common()),
            "by_rule": dict(self.by_rule.most_common()),
            "share_removed_histogram": {
                "bin_width": 1 / SHARE_BINS,
                "counts": list(self.share_histogram),
            },
            "seconds": round(self.seconds, 3),
            "errors": list(self.errors),
            "errors_truncated": self.rejected > len(self.errors),
        }


class BatchRunner:
    """Cleans chunks of raw records; one instance lives in each worker process."""

    def __init__(self, config: CleanerConfig, options: BatchOptions) -> None:
        self.cleaner = Cleaner(config)
        self.options = options
        self._crash_marker = os.environ.get(_CRASH_MARKER_ENV) or None

    def clean_chunk(self, chunk: Chunk) -> list[Outcome]:
        """Clean every item of a chunk; never raises for a bad record."""
        return [self._clean_item(chunk.source, line, raw) for line, raw in chunk.items]

    def _clean_item(self, source: Source, line: int, raw: Any) -> Outcome:
        where = f"{source.name}:{line}"
        try:
            record, text = self._decode(source, raw, where)
        except _BadRecordError as exc:
            return Outcome(line, error=f"{where}: {exc}")
        opts = self.options
        doc_id = _id_of(record, opts.id_key)
        if self._crash_marker and self._crash_marker in text:
            os._exit(70)
        try:
            result = self.cleaner.clean(text, doc_id=doc_id)
        except Exception as exc:  # a bug or a rule timeout: report the record, keep the batch
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            at = f" at {last[0].filename}:{last[0].lineno}" if last else ""
            return Outcome(line, error=f"{where}: cleaning failed: {type(exc).__name__}: {exc}{at}")
        stats = result.stats
        out = Outcome(
            line,
            doc_id=doc_id,
            chars_in=len(text),
            chars_removed=stats["chars_removed"],
            by_reason=stats["by_reason"],
            by_rule=stats["by_rule"],
        )
        if opts.annotate_key is not None:
            record[opts.annotate_key] = {
                "removals": stats["removals"],
                "chars_removed": stats["chars_removed"],
                "share_removed": round(stats["chars_removed"] / len(text), 4) if text else 0.0,
                "by_reason": stats["by_reason"],
            }
        if opts.output_kind == "text":
            cleaned = result.text
            out.payload = (cleaned if cleaned.endswith("\n") else cleaned + "\n").encode(
                "utf-8", "surrogatepass"
            )
        elif opts.output_kind != "none":
            if source.kind == "text":
                record[opts.text_key] = result.text
            else:
                set_path(record, opts.text_key, result.text)
            out.payload = dumps_record(record) if opts.output_kind == "jsonl" else record
        if opts.explain_json:
            out.explain_json = dumps_record(
                {
                    "source": source.name,
                    "line": line,
                    "id": doc_id,
                    "language": result.language,
                    "removals": [r.to_dict() for r in result.removals],
                    "stats": stats,
                }
            )
        if opts.explain_text:
            out.explain_text = result.explain()
        if opts.detail:
            out.detail = {
                "original": text,
                "language": result.language,
                "removals": [r.to_dict() for r in result.removals],
            }
        return out

    def _decode(self, source: Source, raw: Any, where: str) -> tuple[dict[str, Any], str]:
        opts = self.options
        if source.kind == "text":
            text = _decode_bytes(raw, opts.encoding_errors)
            record: dict[str, Any] = {}
            if opts.id_key:
                record[opts.id_key] = source.name
            record[opts.text_key] = text
            return record, text
        if source.kind == "jsonl":
            line_text = _decode_bytes(raw, opts.encoding_errors)
            import json

            try:
                parsed = json.loads(line_text)
            except json.JSONDecodeError as exc:
                raise _BadRecordError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
            except RecursionError:
                raise _BadRecordError("invalid JSON: nested too deeply") from None
            if not isinstance(parsed, dict):
                raise _BadRecordError(f"expected a JSON object, got a {_json_type(parsed)}")
            record = parsed
        else:
            record = raw
        try:
            value = get_path(record, opts.text_key)
        except KeyError as exc:
            keys = ", ".join(map(str, list(record)[:10])) or "none"
            raise _BadRecordError(
                f"no field {opts.text_key!r} (missing {exc.args[0]!r}; fields: {keys}); "
                "pass --text-key"
            ) from None
        if not isinstance(value, str):
            raise _BadRecordError(
                f"field {opts.text_key!r} is {_json_type(value)}, expected a string"
            )
        return record, value


class _BadRecordError(Exception):
    """A record cleaner cannot clean (the message says why)."""


def _decode_bytes(raw: bytes, errors: str) -> str:
    try:
        return raw.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        where = f" (line {line} of the file)" if b"\n" in raw else ""
        raise _BadRecordError(
            f"invalid UTF-8 at byte {exc.start}{where}: {exc.reason}; "
            "fix the input or pass --encoding-errors replace"
        ) from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "boolean", int: "int", float: "float", str: "string", list: "array"}
    return names.get(type(value), "object" if isinstance(value, dict) else type(value).__name__)


def _id_of(record: dict[str, Any], id_key: str) -> str | None:
    if not id_key:
        return None
    try:
        value = get_path(record, id_key)
    except KeyError:
        return None
    return None if value is None else str(value)


# ---------------------------------------------------------------------- processes
_WORKER: BatchRunner | None = None


def _init_worker(config: CleanerConfig, options: BatchOptions) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    inherited = _WORKER  # built once in the parent before a fork: compiled rules are shared
    if inherited is None or inherited.cleaner.config != config or inherited.options != options:
        _WORKER = BatchRunner(config, options)


def _work(chunk: Chunk) -> list[Outcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.clean_chunk(chunk)


def iter_chunks(
    sources: Iterable[Source], options: BatchOptions, on_bytes: Callable[[int], None]
) -> Iterator[Chunk]:
    """Group the items of each source into chunks (never mixing two sources)."""
    for source in sources:
        items: list[Item] = []
        size = 0
        for item in iter_items(source):
            raw = item[1]
            n = len(raw) + 1 if isinstance(raw, (bytes, bytearray)) else 0
            on_bytes(n)
            items.append(item)
            size += n
            if len(items) >= options.chunk_records or size >= options.chunk_bytes:
                yield Chunk(source, items)
                items, size = [], 0
        if items:
            yield Chunk(source, items)


def run_chunks(
    chunks: Iterable[Chunk], config: CleanerConfig, options: BatchOptions
) -> Iterator[tuple[Chunk, list[Outcome]]]:
    """Clean chunks (in parallel when ``options.workers > 1``), yielding them in input order.

    At most ``2 * workers`` chunks are in flight. A worker process that dies takes only the
    records it was working on: the chunks in flight are re-run one record at a time in a new
    pool, and a record that kills a worker again is reported as an error.
    """
    if options.workers <= 1:
        runner = BatchRunner(config, options)
        for chunk in chunks:
            yield chunk, runner.clean_chunk(chunk)
        return
    yield from _Pool(config, options).run(chunks)


class _Pool:
    def __init__(self, config: CleanerConfig, options: BatchOptions) -> None:
        global _WORKER
        self.config = config
        self.options = options
        if multiprocessing.get_start_method() == "fork":
            # Build the cleaner once here; forked workers inherit it instead of each
            # compiling the rule packs again (seconds per worker).
            _WORKER = BatchRunner(config, options)
            gc.freeze()  # keep the collector from touching (and so copying) the shared pages
        self.executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.options.workers,
            initializer=_init_worker,
            initargs=(self.config, self.options),
        )

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new_executor()

    def run(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, list[Outcome]]]:
        global _WORKER
        try:
            yield from self._run(chunks)
        finally:
            _WORKER = None  # the parent's copy is only for forking
            gc.unfreeze()

    def _run(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, list[Outcome]]]:
        limit = 2 * self.options.workers
        pending: collections.deque[tuple[Chunk, Future[list[Outcome]] | None]]
        pending = collections.deque()
        source = iter(chunks)
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < limit:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                        break
                    pending.append((chunk, self._submit(chunk)))
                if not pending:
                    break
                chunk, future = pending.popleft()
                try:
                    if future is None:
                        raise BrokenProcessPool("the pool broke before this chunk was sent")
                    outcomes = future.result()
                except BrokenProcessPool:
                    retry = [(chunk, future), *pending]
                    pending.clear()
                    self._restart()
                    for again, done in retry:
                        yield again, self._salvage(again, done)
                    continue
                yield chunk, outcomes
        except BaseException:  # Ctrl-C, an early stop (GeneratorExit), a failed write
            self._terminate()
            raise
        self.executor.shutdown(wait=True)

    def _submit(self, chunk: Chunk) -> Future[list[Outcome]] | None:
        try:
            return self.executor.submit(_work, chunk)
        except BrokenProcessPool:  # a worker died: noticed when this chunk's turn comes
            return None

    def _salvage(self, chunk: Chunk, future: Future[list[Outcome]] | None) -> list[Outcome]:
        """The outcomes of a chunk that was in flight when a worker died."""
        if (
            future is not None
            and future.done()
            and not future.cancelled()
            and future.exception() is None
        ):
            return future.result()  # finished before the crash
        return self._one_by_one(chunk)

    def _terminate(self) -> None:
        # ProcessPoolExecutor has no public way to stop busy workers before Python 3.14
        # (terminate_workers); the workers ignore SIGINT, so end them here.
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=10)  # gone: nothing can write a result any more
        # A worker ended halfway through sending a result leaves the executor's reader
        # waiting for the rest, for good: this process holds a copy of the pipe's write end,
        # so the reader never sees its end. Closing that copy ends the read (the executor
        # takes the pool as broken), and the shutdown below can finish. (Seen: an
        # interrupted 2-worker run hanging in shutdown, its workers already dead.)
        writer = getattr(getattr(self.executor, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def _one_by_one(self, chunk: Chunk) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for item in chunk.items:
            single = Chunk(chunk.source, [item])
            try:
                outcomes.extend(self.executor.submit(_work, single).result())
            except BrokenProcessPool:
                outcomes.append(
                    Outcome(
                        item[0],
                        error=f"{chunk.source.name}:{item[0]}: a worker process died while "
                        "cleaning this record (killed, out of memory, or a crash)",
                    )
                )
                self._restart()
        return outcomes
