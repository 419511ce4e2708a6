"""The batch command line on real data: records, order, fields, workers, formats, bad input."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import cleaner
from cleaner.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE, main

N_RECORDS = 120


def _records(shared_dir: Path) -> list[dict[str, Any]]:
    """120 records of the injected dev set as {"id", "meta", "body"}."""
    out = []
    with open(shared_dir / "eval" / "injected_dev.jsonl", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= N_RECORDS:
                break
            row = json.loads(line)
            meta = {"kind": row["kind"], "lang": row["lang"], "n": number, "tags": ["a", "é"]}
            out.append({"id": row["id"], "meta": meta, "body": row["input"]})
    return out


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return [json.loads(line) for line in handle]


def _run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Any:
    """Run the installed command line in a subprocess (as a user would)."""
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> list[dict[str, Any]]:
    return _records(shared_dir)


@pytest.fixture
def in_jsonl(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    return _write_jsonl(tmp_path / "in.jsonl", records)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------- the happy path
def test_clean_keeps_every_record_order_and_field_and_matches_the_library(
    tmp_path: Path, in_jsonl: Path, records: list[dict[str, Any]]
) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["clean", str(in_jsonl), "-o", str(out), "--text-key", "body", "-q"])
    assert code == EXIT_OK
    got = _read_jsonl(out)
    assert len(got) == N_RECORDS
    library = cleaner.Cleaner()
    changed = 0
    for before, after in zip(records, got, strict=True):
        assert list(after) == ["id", "meta", "body"]  # field order kept
        assert after["id"] == before["id"]
        assert after["meta"] == before["meta"]
        assert after["body"] == library.clean(before["body"]).text
        changed += after["body"] != before["body"]
    assert changed > 0  # the dev set has injected duplicates: something was removed
    # JSON lines are compact, UTF-8, no ASCII escapes
    first = out.read_bytes().split(b"\n")[0]
    assert first.startswith(b'{"id":"')
    assert '"é"'.encode() in first


def test_workers_1_and_2_give_identical_bytes(tmp_path: Path, in_jsonl: Path) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        args = ["clean", str(in_jsonl), "-o", str(out), "--text-key", "body"]
        result = _run(*args, "--workers", workers, "--chunk-size", "7", "-q")
        assert result.returncode == EXIT_OK, result.stderr.decode()
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == N_RECORDS


def test_gzip_in_and_out(tmp_path: Path, in_jsonl: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    assert main(["clean", str(in_jsonl), "-o", str(plain), "--text-key", "body", "-q"]) == 0
    gz_in = tmp_path / "in.jsonl.gz"
    gz_in.write_bytes(gzip.compress(in_jsonl.read_bytes()))
    gz_out = tmp_path / "out.jsonl.gz"
    assert main(["clean", str(gz_in), "-o", str(gz_out), "--text-key", "body", "-q"]) == 0
    assert gz_out.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz_out.read_bytes()) == plain.read_bytes()


def test_zstd_in_and_out(tmp_path: Path, in_jsonl: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    plain = tmp_path / "plain.jsonl"
    assert main(["clean", str(in_jsonl), "-o", str(plain), "--text-key", "body", "-q"]) == 0
    zst_in = tmp_path / "in.jsonl.zst"
    zst_in.write_bytes(zstandard.ZstdCompressor().compress(in_jsonl.read_bytes()))
    zst_out = tmp_path / "out.jsonl.zst"
    assert main(["clean", str(zst_in), "-o", str(zst_out), "--text-key", "body", "-q"]) == 0
    with zstandard.ZstdDecompressor().stream_reader(zst_out.open("rb")) as reader:
        assert reader.read() == plain.read_bytes()


def test_stdin_to_stdout(tmp_path: Path, in_jsonl: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    assert main(["clean", str(in_jsonl), "-o", str(plain), "--text-key", "body", "-q"]) == 0
    result = _run("clean", "-", "--text-key", "body", stdin=in_jsonl.read_bytes())
    assert result.returncode == EXIT_OK, result.stderr.decode()
    assert result.stdout == plain.read_bytes()
    assert b"120 records in, 120 out, 0 rejected" in result.stderr  # the summary, on stderr


def test_folder_of_text_files_becomes_records(tmp_path: Path, repo_root: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    seed = (repo_root / "examples" / "seed_article.txt").read_text(encoding="utf-8")
    (folder / "b.txt").write_text(seed, encoding="utf-8")
    (folder / "sub" / "a.txt").write_text("Short note.", encoding="utf-8")
    (folder / "ignored.csv").write_text("x,y", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(folder), "-o", str(out), "-q"]) == EXIT_OK
    got = _read_jsonl(out)
    assert [Path(r["id"]).name for r in got] == ["b.txt", "a.txt"]  # sorted paths
    assert got[0]["text"] == cleaner.clean(seed).text != seed


def test_nested_text_key_annotate_explain_out_and_stats_out(
    tmp_path: Path, records: list[dict[str, Any]]
) -> None:
    nested = [{"id": r["id"], "doc": {"body": r["body"], "url": "u"}} for r in records[:20]]
    src = _write_jsonl(tmp_path / "nested.jsonl", nested)
    out, explain, stats = tmp_path / "o.jsonl", tmp_path / "e.jsonl", tmp_path / "s.json"
    code = main(
        [
            "clean",
            str(src),
            "-o",
            str(out),
            "--text-key",
            "doc.body",
            "--annotate",
            "--explain-out",
            str(explain),
            "--stats-out",
            str(stats),
            "-q",
        ]
    )
    assert code == EXIT_OK
    got = _read_jsonl(out)
    explained = _read_jsonl(explain)
    totals = json.loads(stats.read_text(encoding="utf-8"))
    assert len(got) == len(explained) == 20
    for before, after, why in zip(nested, got, explained, strict=True):
        result = cleaner.clean(before["doc"]["body"])
        assert after["doc"] == {"body": result.text, "url": "u"}
        assert list(after) == ["id", "doc", "cleaner"]
        assert after["cleaner"]["removals"] == len(result.removals)
        assert after["cleaner"]["chars_removed"] == result.removed_chars
        assert why["id"] == before["id"]
        assert why["removals"] == [r.to_dict() for r in result.removals]
    assert totals["records_in"] == totals["records_out"] == 20
    assert totals["removals"] == sum(a["cleaner"]["removals"] for a in got)
    assert sum(totals["by_reason"].values()) == totals["removals"]
    assert sum(totals["share_removed_histogram"]["counts"]) == 20
    assert totals["config"]["min_score"] == cleaner.CleanerConfig().min_score


def test_flags_override_the_config_file(tmp_path: Path, in_jsonl: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('min_score = 95\nrules = false\ndisabled_rules = ["en/x"]\n', encoding="utf-8")
    stats = tmp_path / "s.json"
    code = main(
        [
            "clean",
            str(in_jsonl),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--text-key",
            "body",
            "--config",
            str(toml),
            "--min-score",
            "97",
            "--disable-rule",
            "en/y",
            "--language",
            "en",
            "--no-dedup",
            "--stats-out",
            str(stats),
            "-q",
        ]
    )
    assert code == EXIT_OK
    config = json.loads(stats.read_text(encoding="utf-8"))["config"]
    assert config["min_score"] == 97.0  # flag beats file
    assert config["rules"] is False  # from the file
    assert config["dedup"] is False  # flag
    assert config["disabled_rules"] == ["en/x", "en/y"]  # repeatable flags add to the file's list
    assert config["language"] == "en"
    # with dedup and rules off, nothing changes
    assert _read_jsonl(tmp_path / "o.jsonl") == _read_jsonl(in_jsonl)


def test_parquet_round_trip(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (extra 'parquet') not installed")
    import pyarrow as pa

    table = pa.Table.from_pylist(records)
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), "--text-key", "body", "-q"]) == EXIT_OK
    result = pq.read_table(out)
    assert result.schema == table.schema  # column types kept exactly
    rows = result.to_pylist()
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["meta"] for r in rows] == [r["meta"] for r in records]
    library = cleaner.Cleaner()
    assert [r["body"] for r in rows] == [library.clean(r["body"]).text for r in records]
    # Parquet in, JSONL out
    as_jsonl = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(as_jsonl), "--text-key", "body", "-q"]) == 0
    assert _read_jsonl(as_jsonl) == rows


# ---------------------------------------------------------------------- bad input
def _with_bad_line_5(tmp_path: Path, in_jsonl: Path, bad: bytes) -> Path:
    lines = in_jsonl.read_bytes().splitlines(keepends=True)
    src = tmp_path / "bad.jsonl"
    src.write_bytes(b"".join([*lines[:4], bad + b"\n", *lines[4:]]))
    return src


def test_malformed_line_5_stops_with_file_and_line_and_no_output(
    tmp_path: Path, in_jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _with_bad_line_5(tmp_path, in_jsonl, b'{"id": "x", "body": "unterminated')
    out = tmp_path / "out.jsonl"
    code = main(["clean", str(src), "-o", str(out), "--text-key", "body", "-q"])
    assert code == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"{src}:5: invalid JSON" in err
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_skip_writes_the_bad_line_to_rejects_and_keeps_the_rest(
    tmp_path: Path, in_jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = b'{"id": "x", "body": "unterminated'
    src = _with_bad_line_5(tmp_path, in_jsonl, bad)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    code = main(
        [
            "clean",
            str(src),
            "-o",
            str(out),
            "--text-key",
            "body",
            "--on-error",
            "skip",
            "--rejects",
            str(rejects),
            "-q",
        ]
    )
    assert code == EXIT_REJECTS
    assert f"{src}:5: invalid JSON" in capsys.readouterr().err
    assert rejects.read_bytes() == bad + b"\n"
    got = _read_jsonl(out)
    assert len(got) == N_RECORDS
    assert [r["id"] for r in got] == [r["id"] for r in _read_jsonl(in_jsonl)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"id": "x", "text": "no body"}', "no field 'body' (missing 'body'; fields: id, text)"),
        (b'{"id": "x", "body": 42}', "field 'body' is int, expected a string"),
        (b'{"id": "x", "body": null}', "field 'body' is null, expected a string"),
        (b'["a", "list"]', "expected a JSON object, got a array"),
        (b'{"id": "x", "body": "caf\xe9"}', "invalid UTF-8 at byte 24"),
    ],
)
def test_bad_records_are_named_and_counted(
    tmp_path: Path,
    records: list[dict[str, Any]],
    line: bytes,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    small = _write_jsonl(tmp_path / "small.jsonl", records[:10])
    src = _with_bad_line_5(tmp_path, small, line)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    args = ["clean", str(src), "-o", str(out), "--text-key", "body", "-q"]
    assert main(args) == EXIT_FAILED
    assert f"{src}:5: {message}" in capsys.readouterr().err
    assert not out.exists()
    assert main([*args, "--on-error", "skip", "--rejects", str(rejects)]) == EXIT_REJECTS
    assert rejects.read_bytes() == line + b"\n"
    assert len(_read_jsonl(out)) == 10  # records in = records out + rejects


def test_invalid_utf8_can_be_replaced(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "caf\xe9 au lait"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == EXIT_FAILED
    code = main(["clean", str(src), "-o", str(out), "--encoding-errors", "replace", "-q"])
    assert code == EXIT_OK
    assert _read_jsonl(out) == [{"id": 1, "text": "caf\ufffd au lait"}]


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(tmp_path / "missing.jsonl")]) == EXIT_USAGE
    assert "no such file" in capsys.readouterr().err
    odd = tmp_path / "data.xml"
    odd.write_text("<a/>", encoding="utf-8")
    assert main(["clean", str(odd)]) == EXIT_USAGE
    assert "unknown file type" in capsys.readouterr().err
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "x"}\n', encoding="utf-8")
    assert main(["clean", str(src), "--min-score", "150"]) == EXIT_USAGE
    assert "min_score must be between 0 and 100" in capsys.readouterr().err
    assert main(["clean", str(src), "--rejects", str(tmp_path / "r.jsonl")]) == EXIT_USAGE
    with pytest.raises(SystemExit) as exc:
        main(["clean", str(src), "--no-such-flag"])
    assert exc.value.code == EXIT_USAGE


# ---------------------------------------------------------------------- crashes, interrupts
CRASH = "ZZ-CRASH-THE-WORKER-ZZ"


def test_a_worker_that_dies_on_one_record_does_not_lose_the_batch(
    tmp_path: Path, records: list[dict[str, Any]]
) -> None:
    poisoned = [dict(r) for r in records[:40]]
    bad = (17, 33)  # lines 18 and 34, in different chunks
    for index in bad:
        poisoned[index]["body"] += "\n" + CRASH
    src = _write_jsonl(tmp_path / "in.jsonl", poisoned)
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    env = {"_CLEANER_TEST_CRASH_MARKER": CRASH}
    base = ["clean", str(src), "-o", str(out), "--text-key", "body", "--workers", "2"]
    base += ["--chunk-size", "4", "-q"]
    failed = _run(*base, env=env)
    assert failed.returncode == EXIT_FAILED
    assert f"{src}:18: a worker process died" in failed.stderr.decode()
    assert not out.exists()
    skipped = _run(*base, "--on-error", "skip", "--rejects", str(rejects), env=env)
    assert skipped.returncode == EXIT_REJECTS, skipped.stderr.decode()
    assert f"{src}:34: a worker process died" in skipped.stderr.decode()
    kept = [r for i, r in enumerate(poisoned) if i not in bad]
    got = _read_jsonl(out)
    assert [r["id"] for r in got] == [r["id"] for r in kept]
    assert _read_jsonl(rejects) == [poisoned[i] for i in bad]
    library = cleaner.Cleaner()
    assert [r["body"] for r in got] == [library.clean(r["body"]).text for r in kept]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_no_output(
    tmp_path: Path, in_jsonl: Path, sig: signal.Signals
) -> None:
    big = tmp_path / "big.jsonl"
    # ~48,000 records: far longer than the wait, however fast cleaning gets (the run is
    # interrupted within a second, so its size costs nothing)
    big.write_bytes(in_jsonl.read_bytes() * 400)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cleaner",
            "clean",
            str(big),
            "-o",
            str(out),
            "--text-key",
            "body",
            "--workers",
            "2",
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not _leftovers(tmp_path) and time.monotonic() < deadline:  # wait until it writes
        assert proc.poll() is None, "the run ended before it could be interrupted: make it longer"
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the run ended before it could be interrupted: make it longer"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_INTERRUPTED, err.decode()
    assert b"interrupted; no output written" in err
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_progress_bar_on_a_terminal(tmp_path: Path, in_jsonl: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cleaner",
            "clean",
            str(in_jsonl),
            "-o",
            str(out),
            "--text-key",
            "body",
        ],
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed
            break
        if not data:
            break
        seen += data
    os.close(leader)
    assert proc.wait(timeout=120) == EXIT_OK
    assert b"rec/s" in seen
    assert b"MB/s" in seen
    assert b"removed" in seen
    assert b"120 records in" in seen
    # not a terminal: no progress bar, the summary only
    quiet = _run("clean", str(in_jsonl), "-o", str(out), "--text-key", "body")
    assert b"rec/s |" not in quiet.stderr
    assert b"120 records in" in quiet.stderr


def test_jsonl_to_parquet_with_a_column_of_nulls_first(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (extra 'parquet') not installed")
    rows = [{"id": i, "lang": None, "text": f"Document {i}."} for i in range(1100)]
    rows.append({"id": 1100, "lang": "en", "text": "The last one."})
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.parquet"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == EXIT_OK
    assert pq.read_table(out).to_pylist() == rows  # nulls first, strings later: one schema


def test_output_may_replace_its_input(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    src = _write_jsonl(tmp_path / "data.jsonl", records[:10])
    assert main(["clean", str(src), "-o", str(src), "--text-key", "body", "-q"]) == EXIT_OK
    library = cleaner.Cleaner()
    assert [r["body"] for r in _read_jsonl(src)] == [
        library.clean(r["body"]).text for r in records[:10]
    ]
    assert _leftovers(tmp_path) == []


_HALF_SENT = """
import gc, multiprocessing.queues, os, struct, threading, time
import cleaner.batch as batch
from cleaner import CleanerConfig

def half_sent(chunk):
    # what a worker ended halfway through sending its result leaves behind: the start of
    # a message on the result pipe, and no more
    queue = next(o for o in gc.get_objects() if isinstance(o, multiprocessing.queues.SimpleQueue))
    queue._writer._send(struct.pack("!i", 1 << 20) + b"partial")
    time.sleep(600)

batch._work = half_sent  # (forked workers inherit it)
pool = batch._Pool(CleanerConfig(), batch.BatchOptions(workers=1))
pool.executor.submit(batch._work, None)
time.sleep(2)  # the executor is reading the message by now
stop = threading.Thread(target=pool._terminate, daemon=True)
stop.start()
stop.join(30)
print("stuck" if stop.is_alive() else "stopped", flush=True)
os._exit(1 if stop.is_alive() else 0)
"""


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the scenario forks a patched worker"
)
def test_stopping_the_pool_does_not_wait_for_a_half_sent_result() -> None:
    """Ctrl-C stops the workers wherever they are; one stopped while sending its result left
    the executor waiting for the rest of the message for good (an interrupted run hung)."""
    run = subprocess.run(
        [sys.executable, "-c", _HALF_SENT], capture_output=True, text=True, timeout=120
    )
    assert run.stdout.strip() == "stopped", run.stderr
    assert run.returncode == 0
