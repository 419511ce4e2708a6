"""Helpers shared by the benchmark programs (paths, corpus reading, timing, JSON results).

Nothing here runs on import. The programs are run as scripts
(``python benchmarks/bench_speed.py``), so this module is imported as ``_common``.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import itertools
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
# the shared data folder: $CLEANER_SHARED, else ../shared next to the repository
DEFAULT_SHARED = Path(os.environ.get("CLEANER_SHARED") or REPO_ROOT.parent / "shared")
DEFAULT_CORPUS = Path("/tmp/cleaner-bench/corpus.jsonl")
DEFAULT_LONG = Path("/tmp/cleaner-bench/long.jsonl")
MAKE_CORPUS_HINT = (
    "generate it first: python {shared}/bench/make_corpus.py /tmp/cleaner-bench/corpus.jsonl "
    "-n 20000 --seed 1 --long /tmp/cleaner-bench/long.jsonl"
)


def require_file(path: Path, what: str, shared: Path = DEFAULT_SHARED) -> Path:
    """Exit with a message that says how to get ``path`` when it is missing."""
    if not path.is_file():
        hint = MAKE_CORPUS_HINT.format(shared=shared) if "corpus" in what else ""
        raise SystemExit(f"error: {what} not found: {path}\n{hint}".rstrip())
    return path


def iter_jsonl(path: Path, n: int | None = None) -> Iterator[dict[str, Any]]:
    """The first ``n`` records (all when ``None``) of a JSONL file."""
    with path.open(encoding="utf-8") as fh:
        lines = (line for line in fh if line.strip())
        for line in itertools.islice(lines, n):
            yield json.loads(line)


def read_texts(path: Path, n: int | None = None) -> list[tuple[str, str]]:
    """(id, text) of the first ``n`` documents."""
    return [(str(r.get("id", i)), str(r["text"])) for i, r in enumerate(iter_jsonl(path, n))]


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` ``repeat`` times; return the fastest wall time (s) and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def _cleaner_dirty() -> bool | None:
    """Whether cleaner/ has uncommitted changes (results then belong to the working tree)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "cleaner"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return bool(out.stdout.strip())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def package_versions(names: list[str]) -> dict[str, str | None]:
    """Installed versions of ``names`` (``None`` when not installed)."""
    from importlib import metadata

    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def machine_info() -> dict[str, Any]:
    """Where and when a result was measured (the load average shows the noise)."""
    return {
        "utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "git_commit": _git_commit(),
        "cleaner_uncommitted_changes": _cleaner_dirty(),
        "cleaner_c_core": _c_core(),
    }


def _c_core() -> bool | None:
    """Whether cleaner's optional C core is built and in use (None: cleaner not importable)."""
    try:
        from cleaner import _accel
    except ImportError:
        return None
    return _accel.available()


def has_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except Exception:  # any failure to import means the peer is unavailable
        return False
    return True


def write_json(data: dict[str, Any], path: Path | None, default_name: str) -> Path:
    """Write ``data`` to ``path`` (or ``benchmarks/results/<default_name>``) and return it."""
    target = path if path is not None else RESULTS_DIR / default_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def all_pairs_cell(r: dict[str, Any]) -> str:
    """The rapidfuzz all-pairs seconds of a growth result, for a table."""
    value = r.get("rapidfuzz_all_pairs_s")
    return "-" if value is None else f"{value:.2f}"


def recall_cell(r: dict[str, Any]) -> str:
    """The share of injected exact / near copies removed, of a growth result."""
    share = r.get("removed_share_by_kind") or {}
    if "exact" not in share or "near" not in share:
        return "-"
    return f"{share['exact']:.3f} / {share['near']:.3f}"


def lsh_recall_row(name: str, c: dict[str, Any]) -> list[str]:
    """One row of the LSH-vs-all-pairs table from its counts."""
    return [
        name,
        str(c["all_pairs"]),
        str(c["lsh"]),
        str(c["missed"]),
        str(c["extra"]),
        "-" if c["recall"] is None else f"{c['recall']:.4f}",
        "-" if c["precision"] is None else f"{c['precision']:.4f}",
    ]


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub markdown table (first column left-aligned, the others right-aligned)."""
    align = [":--"] + ["--:"] * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
