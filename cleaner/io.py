"""Readers and writers of the batch command line: JSONL (plain, gzip, zstd), Parquet, text.

Inputs are expanded into :class:`Source` s (a directory becomes the files under it, sorted);
each source yields raw items ``(line_number, payload)`` lazily, so memory stays flat whatever
the input size. JSONL lines are yielded as undecoded bytes: decoding and parsing happen in the
worker processes, where a bad line becomes a per-record error naming the file and the line.

Outputs are written to a temporary file next to the target and renamed over it only when the
run succeeds (:class:`AtomicFile`), so a failed or interrupted run leaves no partial output.

Example:
    >>> detect_format("dump/part-0001.jsonl.gz")
    ('jsonl', 'gzip')
    >>> detect_format("notes.txt")
    ('text', None)
    >>> get_path({"meta": {"body": "Hi"}}, "meta.body")
    'Hi'
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from .errors import InputError

__all__ = [
    "AtomicFile",
    "Compression",
    "Kind",
    "RecordWriter",
    "Source",
    "detect_format",
    "discover",
    "dumps_record",
    "get_path",
    "iter_items",
    "open_writer",
    "set_path",
]

Kind = Literal["jsonl", "parquet", "text"]
Compression = Literal["gzip", "zstd"] | None

_COMPRESSION_SUFFIXES: dict[str, Compression] = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_KIND_SUFFIXES: dict[str, Kind] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
_PARQUET_BATCH_ROWS = 1024


def detect_format(path: str | os.PathLike[str]) -> tuple[Kind, Compression]:
    """Return ``(kind, compression)`` from a file name, e.g. ``("jsonl", "zstd")``.

    Raises:
        InputError: the extension is not one cleaner reads or writes.
    """
    suffixes = [s.lower() for s in Path(path).suffixes]
    compression: Compression = None
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        compression = _COMPRESSION_SUFFIXES[suffixes.pop()]
    if suffixes and suffixes[-1] in _KIND_SUFFIXES:
        kind = _KIND_SUFFIXES[suffixes[-1]]
        if kind == "parquet" and compression is not None:
            raise InputError(
                f"{path}: Parquet compresses internally; drop the {compression} suffix"
            )
        return kind, compression
    raise InputError(
        f"{path}: unknown file type; use .jsonl, .jsonl.gz, .jsonl.zst, .parquet or .txt "
        "(or pass --input-format / --output-format)"
    )


@dataclass(frozen=True)
class Source:
    """One input: a file (or ``-`` for standard input) and how to read it.

    Attributes:
        path: the file path, or ``"-"`` for standard input.
        kind: ``"jsonl"``, ``"parquet"`` or ``"text"`` (a text file is one document).
        compression: ``"gzip"``, ``"zstd"`` or ``None``.
    """

    path: str
    kind: Kind
    compression: Compression = None

    @property
    def name(self) -> str:
        """The name used in messages: the path, or ``<stdin>``."""
        return "<stdin>" if self.path == "-" else self.path

    @property
    def size(self) -> int | None:
        """Size in bytes on disk (``None`` for standard input)."""
        if self.path == "-":
            return None
        try:
            return os.path.getsize(self.path)
        except OSError:
            return None


def _source_for(path: str, input_format: str) -> Source:
    if input_format != "auto":
        kind: Kind = input_format  # type: ignore[assignment]
        try:
            _, compression = detect_format(path)
        except InputError:
            compression = _COMPRESSION_SUFFIXES.get(Path(path).suffix.lower())
        return Source(path, kind, compression)
    kind, compression = detect_format(path)
    return Source(path, kind, compression)


def discover(inputs: list[str], input_format: str = "auto") -> list[Source]:
    """Expand the command-line inputs into sources, in the order given.

    A directory contributes every file under it (recursively, sorted by path) whose
    extension cleaner reads; ``-`` is standard input (JSONL, or text with
    ``input_format="text"``; with ``"auto"`` it is sniffed: a first ``{`` means JSONL).

    Raises:
        InputError: an input does not exist, or a file has an unknown extension.
    """
    sources: list[Source] = []
    for item in inputs:
        if item == "-":
            kind: Kind = "jsonl" if input_format == "auto" else input_format  # type: ignore[assignment]
            sources.append(Source("-", kind, None))
            continue
        path = Path(item)
        if path.is_dir():
            found = []
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                try:
                    found.append(_source_for(str(child), input_format))
                except InputError:
                    continue  # other files in a folder are not inputs
            if not found:
                raise InputError(
                    f"{item}: no .jsonl, .jsonl.gz, .jsonl.zst, .parquet or .txt files"
                )
            sources.extend(found)
        elif path.exists():
            sources.append(_source_for(item, input_format))
        else:
            raise InputError(f"{item}: no such file or directory")
    return sources


def _open_read(source: Source, stack: contextlib.ExitStack) -> BinaryIO:
    """Open a source for binary reading; everything opened is closed by ``stack``."""
    if source.path == "-":
        raw: BinaryIO = sys.stdin.buffer
    else:
        try:
            raw = stack.enter_context(open(source.path, "rb"))  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{source.name}: cannot open: {exc.strerror}") from None
    if source.compression == "gzip":
        return stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))  # type: ignore[return-value]
    if source.compression == "zstd":
        zstandard = _import_zstandard()
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=False)
        return stack.enter_context(io.BufferedReader(reader))
    return raw


def _import_zstandard() -> Any:
    try:
        import zstandard
    except ImportError:
        raise InputError(
            ".zst files need the zstandard package: pip install 'cleaner[zstd]'"
        ) from None
    return zstandard


def _import_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "Parquet files need the pyarrow package: pip install 'cleaner[parquet]'"
        ) from None
    return pq


def sniff_stdin() -> Kind:
    """Peek at standard input: ``"jsonl"`` when its first non-blank byte is ``{``, else text."""
    stream = sys.stdin.buffer
    peek = getattr(stream, "peek", None)
    head = peek(4096) if peek is not None else b""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if stripped.startswith(b"{") or not stripped else "text"


Item = tuple[int, Any]
"""``(line_number, payload)``: raw line bytes (JSONL), file bytes (text) or a row dict (Parquet)."""


def iter_items(source: Source) -> Iterator[Item]:
    """Yield the raw items of ``source`` lazily, with 1-based line (or row) numbers.

    Blank JSONL lines are not records and are skipped; a UTF-8 byte-order mark and
    ``\\r\\n`` line ends are accepted.
    """
    if source.kind == "parquet":
        if source.path == "-":
            raise InputError("<stdin>: Parquet cannot be read from standard input; pass a file")
        pq = _import_parquet()
        try:
            parquet = pq.ParquetFile(source.path)
        except Exception as exc:  # pyarrow raises its own error types
            raise InputError(f"{source.name}: not a readable Parquet file: {exc}") from None
        row = 0
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                yield row, record
        return
    with contextlib.ExitStack() as stack:
        stream = _open_read(source, stack)
        yield from _iter_stream(source, stream)


def _iter_stream(source: Source, stream: BinaryIO) -> Iterator[Item]:
    try:
        if source.kind == "text":
            yield 1, stream.read()
            return
        for number, line in enumerate(stream, 1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield number, line
    except (OSError, EOFError) as exc:
        raise InputError(f"{source.name}: cannot read: {exc}") from None


# ---------------------------------------------------------------------- records
def get_path(record: Any, path: str) -> Any:
    """Return the value at a dotted ``path`` (a key containing dots wins over nesting).

    Raises:
        KeyError: a part of the path is missing (the message names it).
    """
    if isinstance(record, dict) and path in record:
        return record[path]
    current = record
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            raise KeyError(part)
        current = current[part]
    return current


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """Replace the value at a dotted ``path`` (which must exist) in place, keeping key order."""
    if path in record:
        record[path] = value
        return
    current = record
    parts = path.split(".")
    for part in parts[:-1]:
        current = current[part]
    current[parts[-1]] = value


def _json_default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)  # dates, decimals... from Parquet


def dumps_record(record: Any) -> bytes:
    """One JSONL line: UTF-8, ``ensure_ascii=False``, compact separators, field order kept.

    >>> dumps_record({"id": 1, "text": "Grüße"})
    b'{"id":1,"text":"Gr\\xc3\\xbc\\xc3\\x9fe"}\\n'
    """
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    try:
        return line.encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape: keep it escaped
        line = json.dumps(record, ensure_ascii=True, separators=(",", ":"), default=_json_default)
        return line.encode("ascii") + b"\n"


# ---------------------------------------------------------------------- output
class AtomicFile:
    """A binary file written under a temporary name and renamed over ``path`` on :meth:`commit`.

    :meth:`discard` (or leaving without commit) deletes the temporary file, so the target is
    either the complete new file or untouched.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        self.tmp_path = Path(tmp)
        self.file: BinaryIO = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Flush, close and rename the temporary file over the target."""
        self.file.close()
        os.chmod(self.tmp_path, 0o644)
        os.replace(self.tmp_path, self.path)

    def discard(self) -> None:
        """Close and delete the temporary file (the target is left as it was)."""
        try:
            self.file.close()
        finally:
            self.tmp_path.unlink(missing_ok=True)


class RecordWriter:
    """Writes the output of a run: JSONL lines, cleaned texts, or Parquet rows.

    ``path=None`` writes to standard output (JSONL or text only; streamed, not atomic).
    """

    def __init__(
        self,
        path: str | None,
        kind: Kind,
        compression: Compression = None,
        *,
        parquet_schema: Any = None,
    ) -> None:
        self.kind = kind
        self._atomic: AtomicFile | None = None
        self._rows: list[dict[str, Any]] = []
        self._parquet_writer: Any = None
        self._schema = parquet_schema
        self._closers: list[Any] = []
        if path is None:
            if kind == "parquet":
                raise InputError("Parquet output needs a file: pass -o OUT.parquet")
            self._stream: BinaryIO = sys.stdout.buffer
            if compression is not None:
                raise InputError("compressed output needs a file: pass -o OUT.jsonl.gz")
            return
        self._atomic = AtomicFile(path)
        self._stream = self._atomic.file
        if kind == "parquet":
            self._pq = _import_parquet()
        elif compression == "gzip":
            gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._stream, mtime=0)
            self._closers.append(gz)
            self._stream = gz  # type: ignore[assignment]
        elif compression == "zstd":
            zstandard = _import_zstandard()
            writer = zstandard.ZstdCompressor().stream_writer(self._stream, closefd=False)
            self._closers.append(writer)
            self._stream = writer

    @property
    def target(self) -> str:
        """Where the output goes (for messages)."""
        return str(self._atomic.path) if self._atomic else "<stdout>"

    def write(self, payload: Any) -> None:
        """Write one record: bytes for JSONL and text output, a dict for Parquet."""
        if self.kind == "parquet":
            self._rows.append(payload)
            if len(self._rows) >= _PARQUET_BATCH_ROWS:
                self._flush_rows()
        else:
            self._stream.write(payload)

    def _flush_rows(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa

        try:
            table = pa.Table.from_pylist(self._rows, schema=self._schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise InputError(
                f"{self.target}: records do not fit one Parquet schema ({exc}); write JSONL instead"
            ) from None
        if self._parquet_writer is None:
            if self._schema is None:  # inferred: a column of nulls so far becomes strings
                self._schema = _no_null_types(table.schema)
                table = table.cast(self._schema)
            assert self._atomic is not None
            self._parquet_writer = self._pq.ParquetWriter(self._atomic.file, self._schema)
        self._parquet_writer.write_table(table)
        self._rows.clear()

    def commit(self) -> None:
        """Finish the output and (for a file) rename it into place."""
        if self.kind == "parquet":
            self._flush_rows()
            if self._parquet_writer is None:  # no rows at all: an empty file with no columns
                import pyarrow as pa

                assert self._atomic is not None
                schema = self._schema if self._schema is not None else pa.schema([])
                self._parquet_writer = self._pq.ParquetWriter(self._atomic.file, schema)
            self._parquet_writer.close()
        for closer in reversed(self._closers):
            closer.close()
        if self._atomic is not None:
            self._atomic.commit()
        else:
            self._stream.flush()

    def discard(self) -> None:
        """Drop the output (a file target is left untouched)."""
        if self._parquet_writer is not None:
            with contextlib.suppress(Exception):
                self._parquet_writer.close()
            self._parquet_writer = None
        if self._atomic is not None:
            self._atomic.discard()


def _no_null_types(schema: Any) -> Any:
    """``schema`` with every null-typed field (only nulls seen so far) made a string field."""
    import pyarrow as pa

    def fix(dtype: Any) -> Any:
        if pa.types.is_null(dtype):
            return pa.string()
        if pa.types.is_struct(dtype):
            return pa.struct([f.with_type(fix(f.type)) for f in dtype])
        if pa.types.is_list(dtype):
            return pa.list_(fix(dtype.value_type))
        return dtype

    return pa.schema([f.with_type(fix(f.type)) for f in schema], metadata=schema.metadata)


def open_writer(
    path: str | None, output_format: str, *, default_kind: Kind, parquet_schema: Any = None
) -> RecordWriter:
    """Open the output named by ``-o`` (``None``: stdout) in ``output_format`` (or ``"auto"``)."""
    compression: Compression = None
    if path is not None:
        if output_format == "auto":
            kind, compression = detect_format(path)
        else:
            kind = output_format  # type: ignore[assignment]
            compression = _COMPRESSION_SUFFIXES.get(Path(path).suffix.lower())
    else:
        kind = default_kind if output_format == "auto" else output_format  # type: ignore[assignment]
    return RecordWriter(path, kind, compression, parquet_schema=parquet_schema)
