"""The ``cleaner`` command line: ``clean`` (a file or a batch), ``explain``, ``report``, ``rules``.

``cleaner FILE`` is short for ``cleaner clean FILE``. The command line only parses its
inputs, builds one :class:`~cleaner.CleanerConfig` (``--config`` file, then flags), and calls
the library; it is the only place that prints.

Exit codes:
    0: success.
    1: the run failed: a bad record with ``--on-error fail``, an unreadable input or an
       unwritable output found during the run. No output file is left behind.
    2: usage error: unknown flag, invalid option value or config file, missing input.
    3: success, but some records were rejected (``--on-error skip``).
    130: interrupted (Ctrl-C or SIGTERM). No output file is left behind.

See ``docs/cli.md`` for the reference and recipes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import signal
import sys
import threading
import time
import typing
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, TextIO

from . import __version__, _accel
from .batch import BatchOptions, BatchStats, Outcome, iter_chunks, run_chunks
from .config import CleanerConfig
from .errors import CleanerError, ConfigError, InputError, RulePackError
from .io import AtomicFile, Source, discover, dumps_record, open_writer, sniff_stdin
from .rules.cli import register as register_rules

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_REJECTS", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REJECTS = 3
EXIT_INTERRUPTED = 130

_COMMANDS = ("clean", "explain", "report", "rules")
_MAX_ERRORS_SHOWN = 20


# ---------------------------------------------------------------------- config flags
_FLAG_NAMES = {"rule_packs": "--rule-pack", "disabled_rules": "--disable-rule"}
_METAVARS = {"rule_packs": "PACK", "disabled_rules": "ID", "language": "CODE"}


def _field_help() -> dict[str, str]:
    """Per-option help, taken from the ``Attributes:`` entries of the config's docstring."""
    helps: dict[str, str] = {}
    current = None
    for line in (CleanerConfig.__doc__ or "").splitlines():
        match = re.match(r"^ {8}(\w+): (.*)$", line)
        if match:
            current = match.group(1)
            helps[current] = match.group(2).strip()
        elif current and re.match(r"^ {12}\S", line):
            helps[current] += " " + line.strip()
        else:
            current = None
    return {name: text.replace("``", "") for name, text in helps.items()}


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """Add ``--config FILE`` and one flag per :class:`CleanerConfig` field (generated)."""
    group = parser.add_argument_group(
        "cleaner options", "defaults come from --config FILE (TOML), then these flags override it"
    )
    group.add_argument("--config", metavar="FILE.toml", help="read options from a TOML file")
    hints = typing.get_type_hints(CleanerConfig)
    helps = _field_help()
    defaults = CleanerConfig()
    for f in dataclasses.fields(CleanerConfig):
        hint = hints[f.name]
        flag = _FLAG_NAMES.get(f.name, "--" + f.name.replace("_", "-"))
        default = getattr(defaults, f.name)
        text = helps.get(f.name, f.name).replace("%", "%%")
        kwargs: dict[str, Any] = {"dest": f"cfg_{f.name}", "default": None}
        origin = typing.get_origin(hint)
        if hint is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
            kwargs["help"] = f"{text} (default: {'on' if default else 'off'})"
        elif origin is typing.Literal:
            kwargs["choices"] = typing.get_args(hint)
            kwargs["help"] = f"{text} (default: {default})"
        elif origin is tuple:
            kwargs["action"] = "append"
            kwargs["metavar"] = _METAVARS.get(f.name, "VALUE")
            shown = ", ".join(default) or "none"
            kwargs["help"] = f"{text} Repeatable; adds to the config's list (default: {shown})"
        elif hint in (int, float):
            kwargs["type"] = hint
            kwargs["metavar"] = "N" if hint is int else "X"
            kwargs["help"] = f"{text} (default: {default})"
        else:  # str | None
            kwargs["metavar"] = _METAVARS.get(f.name, "TEXT")
            kwargs["help"] = f"{text} ('auto' for None; default: {default or 'auto'})"
        group.add_argument(flag, **kwargs)


def config_from_args(args: argparse.Namespace) -> CleanerConfig:
    """Build the config: the ``--config`` file (or the defaults), then the flags on top."""
    base = CleanerConfig.from_toml(args.config) if args.config else CleanerConfig()
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(CleanerConfig):
        value = getattr(args, f"cfg_{f.name}", None)
        if value is None:
            continue
        if isinstance(value, list):  # repeatable flags add to the file's (or default) list
            value = tuple(dict.fromkeys([*getattr(base, f.name), *value]))
        elif f.name == "language" and value.strip().lower() == "auto":
            value = None
        changes[f.name] = value
    return base.replace(**changes) if changes else base


# ---------------------------------------------------------------------- parser
def _add_input_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("input")
    group.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, .txt), folders of them, or - (stdin)",
    )
    group.add_argument(
        "--text-key",
        default="text",
        metavar="KEY",
        help="field holding the text; dotted for nested fields, e.g. meta.body (default: text)",
    )
    group.add_argument(
        "--id-key",
        default="id",
        metavar="KEY",
        help="field holding the record id, used in messages and explanations (default: id)",
    )
    group.add_argument(
        "--input-format",
        choices=("auto", "jsonl", "parquet", "text"),
        default="auto",
        help="read every input as this format (default: from the extension; stdin is sniffed)",
    )
    group.add_argument(
        "--encoding-errors",
        choices=("strict", "replace"),
        default="strict",
        help="invalid UTF-8: an error for that record (strict), or U+FFFD (replace)",
    )
    group.add_argument(
        "--on-error",
        choices=("fail", "skip"),
        default="fail",
        help="a bad record stops the run (fail, exit 1) or is skipped (skip, exit 3)",
    )
    group.add_argument(
        "--rejects", metavar="FILE", help="with --on-error skip: write each bad line here (JSONL)"
    )
    group.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes; the output is identical for every N (default: 1)",
    )
    group.add_argument(
        "--chunk-size",
        type=int,
        default=64,
        metavar="N",
        help="records sent to a worker at a time (default: 64)",
    )
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (subcommands ``clean``, ``explain``, ``report``, ``rules``)."""
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped article text: remove in-document duplicates and boilerplate, "
        "and explain every removal. `cleaner FILE` is short for `cleaner clean FILE`.",
        epilog="exit codes: 0 ok, 1 run failed, 2 usage error, 3 ok with rejected records, "
        "130 interrupted",
    )
    core = "C core in use" if _accel.available() else "no C core: pure Python"
    parser.add_argument("--version", action="version", version=f"cleaner {__version__} ({core})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    clean = sub.add_parser(
        "clean",
        help="clean one text file (prints the text) or a batch of records",
        description="Clean text files or JSONL/Parquet records. One .txt file (or text on "
        "stdin) prints the cleaned text; records are written to -o (format from its "
        "extension) or as JSONL to stdout.",
    )
    _add_input_flags(clean)
    out = clean.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    out.add_argument(
        "--output-format",
        choices=("auto", "jsonl", "parquet", "text"),
        default="auto",
        help="default: from -o's extension; on stdout, text for one text input, else JSONL",
    )
    out.add_argument(
        "--explain",
        action="store_true",
        help="print the explanation table of each document to stderr, after its text",
    )
    out.add_argument(
        "--explain-out", metavar="FILE", help="write one JSON line of removals per record"
    )
    out.add_argument(
        "--annotate",
        nargs="?",
        const="cleaner",
        default=None,
        metavar="KEY",
        help="add a summary field (default name: cleaner) to each output record",
    )
    out.add_argument("--stats-out", metavar="FILE", help="write the run's totals as JSON")
    add_config_flags(clean)
    clean.set_defaults(func=cmd_clean)

    explain = sub.add_parser(
        "explain",
        help="show one document with its removed spans highlighted",
        description="Show one document (a text file, text on stdin, or one record of a JSONL "
        "file) with removed spans highlighted and the reason for each.",
    )
    explain.add_argument("input", metavar="FILE", help="a text or JSONL file, or - (stdin)")
    explain.add_argument(
        "--line",
        type=int,
        default=None,
        metavar="N",
        help="for JSONL: the record on line N (default: the first record)",
    )
    explain.add_argument("--text-key", default="text", metavar="KEY", help="JSONL text field")
    explain.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colours (auto: when stdout is a terminal and NO_COLOR is not set)",
    )
    add_config_flags(explain)
    explain.set_defaults(func=cmd_explain)

    report = sub.add_parser(
        "report",
        help="write a self-contained HTML report of the removals",
        description="Clean the input and write one self-contained HTML page: a sample of "
        "documents with removed spans highlighted (reasons on hover) and charts of removals "
        "per reason, per rule and of the share removed per document.",
    )
    _add_input_flags(report)
    report.add_argument("-o", "--output", required=True, metavar="FILE.html", help="the page")
    report.add_argument(
        "--sample",
        type=int,
        default=100,
        metavar="N",
        help="documents shown in full (a seeded random sample; 0 = all; default: 100)",
    )
    report.add_argument("--sample-seed", type=int, default=1, metavar="N", help="sample seed")
    report.add_argument("--title", default=None, help="page title")
    add_config_flags(report)
    report.set_defaults(func=cmd_report)

    register_rules(sub)  # `cleaner rules ...`, defined with the rules layer
    return parser


# ---------------------------------------------------------------------- running
class _InterruptedError(Exception):
    """SIGTERM, turned into an exception so the outputs are cleaned up."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _InterruptedError(f"signal {signum}")


def _error(message: str) -> None:
    sys.stdout.flush()
    print(f"cleaner: error: {message}", file=sys.stderr)


def _fmt_count(counter: dict[str, int], limit: int = 12) -> str:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"{k} {v:,}" for k, v in items[:limit])
    if len(items) > limit:
        text += f", … {len(items) - limit} more"
    return text or "none"


def summary_lines(stats: BatchStats) -> list[str]:
    """The end-of-run summary (records, characters removed, per reason, per rule)."""
    rate = stats.records_in / stats.seconds if stats.seconds > 0 else 0.0
    lines = [
        f"cleaner: {stats.records_in:,} records in, {stats.records_out:,} out, "
        f"{stats.rejected:,} rejected, {stats.changed:,} changed; {stats.seconds:.1f} s "
        f"({rate:,.0f} records/s)",
        f"  characters removed: {stats.chars_removed:,} of {stats.chars_in:,} "
        f"({100 * stats.share_removed:.2f}%) in {stats.removals:,} removals",
        f"  by reason: {_fmt_count(dict(stats.by_reason))}",
        f"  by rule:   {_fmt_count(dict(stats.by_rule))}",
    ]
    return lines


class Progress:
    """A one-line progress bar on stderr (records/s, MB/s, share removed); off when not a TTY."""

    def __init__(self, enabled: bool, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.start = time.monotonic()
        self.last = 0.0
        self.bytes_read = 0
        self.shown = False

    def add_bytes(self, n: int) -> None:
        """Count bytes read from the inputs."""
        self.bytes_read += n

    def update(self, stats: BatchStats, *, force: bool = False) -> None:
        """Redraw the line (at most every ``interval`` seconds)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        line = (
            f"{stats.records_in:,} records | {stats.records_in / elapsed:,.0f} rec/s | "
            f"{self.bytes_read / 1e6 / elapsed:,.1f} MB/s | removed "
            f"{100 * stats.share_removed:.1f}% | rejected {stats.rejected:,} | {elapsed:,.0f} s"
        )
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the line (it is drawn again at the next update)."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _resolve_stdin(sources: list[Source], input_format: str) -> list[Source]:
    if input_format != "auto":
        return sources
    return [Source("-", sniff_stdin(), None) if s.path == "-" else s for s in sources]


def _reject_line(source: Source, raw: Any, error: str) -> bytes:
    if isinstance(raw, (bytes, bytearray)) and source.kind == "jsonl":
        return bytes(raw) + b"\n"
    if isinstance(raw, dict):
        return dumps_record(raw)
    text = raw.decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else str(raw)
    return dumps_record({"source": source.name, "error": error, "text": text})


def _options(args: argparse.Namespace, **kw: Any) -> BatchOptions:
    if args.workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {args.workers}")
    if args.chunk_size < 1:
        raise ConfigError(f"--chunk-size must be at least 1, got {args.chunk_size}")
    if args.rejects and args.on_error != "skip":
        raise ConfigError("--rejects needs --on-error skip (with fail, the first bad record stops)")
    return BatchOptions(
        text_key=args.text_key,
        id_key=args.id_key,
        encoding_errors=args.encoding_errors,
        workers=args.workers,
        chunk_records=args.chunk_size,
        **kw,
    )


class _StopError(Exception):
    """A bad record with --on-error fail."""


class _UsageError(Exception):
    """An input or output named on the command line cannot be used (exit 2)."""


def _sources(args: argparse.Namespace) -> list[Source]:
    try:
        found = discover(args.inputs, args.input_format)
    except InputError as exc:
        raise _UsageError(str(exc)) from None
    return _resolve_stdin(found, args.input_format)


def _drive(
    args: argparse.Namespace,
    sources: list[Source],
    config: CleanerConfig,
    options: BatchOptions,
    handle: Callable[[Source, Outcome], None],
    rejects: AtomicFile | None,
    stats: BatchStats,
) -> None:
    """Run the batch, count, route each outcome to ``handle`` or to the rejects."""
    progress = Progress(enabled=sys.stderr.isatty() and not args.quiet)
    started = time.monotonic()
    shown = 0
    try:
        chunks = iter_chunks(sources, options, progress.add_bytes)
        for chunk, outcomes in run_chunks(chunks, config, options):
            for (_, raw), outcome in zip(chunk.items, outcomes, strict=True):
                stats.add(outcome)
                if outcome.error is None:
                    if outcome.explain_text is not None:
                        progress.close()  # the table starts on a clean line
                    handle(chunk.source, outcome)
                    continue
                if args.on_error == "fail":
                    raise _StopError(outcome.error)
                if shown < _MAX_ERRORS_SHOWN:
                    progress.close()
                    print(f"cleaner: skipped {outcome.error}", file=sys.stderr)
                    shown += 1
                if rejects is not None:
                    rejects.file.write(_reject_line(chunk.source, raw, outcome.error))
            progress.update(stats)
    finally:
        stats.bytes_in = progress.bytes_read
        stats.seconds = time.monotonic() - started
        progress.close()
    if stats.rejected > shown:
        print(
            f"cleaner: … {stats.rejected - shown:,} more rejected records "
            "(all are in --rejects; the first 1,000 messages in --stats-out)",
            file=sys.stderr,
        )


def cmd_clean(args: argparse.Namespace) -> int:
    """``cleaner clean``: one text file to stdout, or a batch of records to -o."""
    config = config_from_args(args)
    sources = _sources(args)
    single_text = len(sources) == 1 and sources[0].kind == "text"
    parquet_schema = None
    if args.output and args.output_format in ("auto", "parquet") and args.annotate is None:
        parquet_schema = _parquet_schema(sources, args.output, args.output_format)
    try:
        writer = open_writer(
            args.output,
            args.output_format,
            default_kind="text" if single_text else "jsonl",
            parquet_schema=parquet_schema,
        )
    except InputError as exc:
        raise _UsageError(str(exc)) from None
    except OSError as exc:
        raise _UsageError(f"{args.output}: cannot write: {exc.strerror}") from None
    options = _options(
        args,
        output_kind=writer.kind,
        annotate_key=args.annotate,
        explain_json=bool(args.explain_out),
        explain_text=args.explain,
    )
    files: list[AtomicFile] = []
    explain_out = rejects = None
    try:
        if args.explain_out:
            explain_out = AtomicFile(args.explain_out)
            files.append(explain_out)
        if args.rejects:
            rejects = AtomicFile(args.rejects)
            files.append(rejects)
    except OSError as exc:
        writer.discard()
        for f in files:
            f.discard()
        raise InputError(f"cannot create an output file: {exc}") from None

    def handle(source: Source, outcome: Outcome) -> None:
        writer.write(outcome.payload)
        if explain_out is not None and outcome.explain_json is not None:
            explain_out.file.write(outcome.explain_json)
        if outcome.explain_text is not None:
            sys.stdout.flush()
            if not single_text:
                name = f" id {outcome.doc_id}" if outcome.doc_id else ""
                print(f"== {source.name}:{outcome.line}{name}", file=sys.stderr)
            print(outcome.explain_text, file=sys.stderr)

    stats = BatchStats()
    try:
        _drive(args, sources, config, options, handle, rejects, stats)
        writer.commit()
        for f in files:
            f.commit()
        if args.stats_out:
            _write_json(args.stats_out, {"config": config.to_dict(), **stats.to_dict()})
    except BaseException:
        writer.discard()
        for f in files:
            f.discard()
        raise
    if not args.quiet and not single_text:
        for line in summary_lines(stats):
            print(line, file=sys.stderr)
    return EXIT_REJECTS if stats.rejected else EXIT_OK


def _parquet_schema(sources: list[Source], output: str, output_format: str) -> Any:
    """Keep the input's Parquet schema for Parquet-to-Parquet runs (types stay exact)."""
    if output_format == "auto" and not output.lower().endswith(".parquet"):
        return None
    if not sources or any(s.kind != "parquet" for s in sources):
        return None
    try:
        import pyarrow.parquet as pq
    except ImportError:
        return None
    schemas = {pq.read_schema(s.path) for s in sources}
    return schemas.pop() if len(schemas) == 1 else None


def _write_json(path: str, data: Any) -> None:
    out = AtomicFile(path)
    try:
        out.file.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        out.commit()
    except BaseException:
        out.discard()
        raise


def cmd_explain(args: argparse.Namespace) -> int:
    """``cleaner explain``: one document with its removals highlighted."""
    from .api import Cleaner
    from .explain_view import render

    config = config_from_args(args)
    text = _read_one(args)
    result = Cleaner(config).clean(text, doc_id=args.input)
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    print(render(result, color=color))
    return EXIT_OK


def _read_one(args: argparse.Namespace) -> str:
    """The text to explain: a whole text file, or one record of a JSONL file (streamed)."""
    from .io import detect_format, get_path, iter_items

    name = "<stdin>" if args.input == "-" else args.input
    if args.input != "-" and not os.path.isfile(args.input):
        raise _UsageError(f"{name}: no such file")
    try:
        kind, compression = detect_format(args.input)
    except InputError:
        kind, compression = "text", None
    if args.line is None and kind != "jsonl":
        source = Source(args.input, "text", compression)
    else:
        source = Source(args.input, "jsonl", compression)
    for number, raw in iter_items(source):
        if source.kind == "text":
            try:
                return str(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: invalid UTF-8 at byte {exc.start}: {exc.reason}"
                ) from None
        if args.line is not None and number != args.line:
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
            value = get_path(record, args.text_key)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{name}:{number}: not a valid JSON line: {exc}") from None
        except (KeyError, TypeError):
            raise InputError(f"{name}:{number}: no field {args.text_key!r}") from None
        if not isinstance(value, str):
            raise InputError(f"{name}:{number}: field {args.text_key!r} is not a string")
        return value
    where = f"line {args.line}" if args.line is not None else "any line"
    raise InputError(f"{name}: no record on {where}")


def cmd_report(args: argparse.Namespace) -> int:
    """``cleaner report``: clean the input and write the HTML report."""
    import random

    from .report import ReportDocument, write_report

    config = config_from_args(args)
    sources = _sources(args)
    options = _options(args, output_kind="none", detail=True)
    rng = random.Random(args.sample_seed)
    sample: list[ReportDocument] = []
    seen = 0

    def handle(source: Source, outcome: Outcome) -> None:
        nonlocal seen
        assert outcome.detail is not None
        seen += 1
        doc = ReportDocument(
            source=source.name,
            line=outcome.line,
            doc_id=outcome.doc_id,
            original=outcome.detail["original"],
            language=outcome.detail["language"],
            removals=outcome.detail["removals"],
        )
        if args.sample <= 0 or len(sample) < args.sample:
            sample.append(doc)
        else:  # reservoir sampling: every document has the same chance
            slot = rng.randrange(seen)
            if slot < args.sample:
                sample[slot] = doc

    stats = BatchStats()
    rejects = AtomicFile(args.rejects) if args.rejects else None
    try:
        _drive(args, sources, config, options, handle, rejects, stats)
        sample.sort(key=lambda d: (d.source, d.line))
        title = args.title or f"cleaner report: {', '.join(args.inputs)}"
        write_report(args.output, sample, stats, config, title=title)
        if rejects is not None:
            rejects.commit()
    except BaseException:
        if rejects is not None:
            rejects.discard()
        raise
    if not args.quiet:
        for line in summary_lines(stats):
            print(line, file=sys.stderr)
        print(f"cleaner: report written to {args.output}", file=sys.stderr)
    return EXIT_REJECTS if stats.rejected else EXIT_OK


# ---------------------------------------------------------------------- entry point
def _shortcut(argv: list[str]) -> list[str]:
    """``cleaner FILE ...`` means ``cleaner clean FILE ...``."""
    if not argv:
        return argv
    first = argv[0]
    if first in _COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["clean", *argv]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    args_list = _shortcut(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(args_list)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        code: int = args.func(args)
        return code
    except (ConfigError, RulePackError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except _StopError as exc:
        _error(f"{exc} (use --on-error skip --rejects FILE to set bad records aside)")
        return EXIT_FAILED
    except _UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except CleanerError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except BrokenPipeError:  # `cleaner ... | head`: the reader went away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        return EXIT_FAILED
    except (KeyboardInterrupt, _InterruptedError):
        _error("interrupted; no output written")
        return EXIT_INTERRUPTED
    except OSError as exc:
        _error(f"{exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_FAILED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    raise SystemExit(main())
