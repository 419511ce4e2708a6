"""Benchmark of ``cleaner clean``: throughput with 1 and 2 workers, and peak memory.

A program, not a test: it builds the benchmark corpus with ``../shared/bench/make_corpus.py``
(fixed seed), runs the real command line in a subprocess, samples the resident memory of the
whole process tree (the command and its workers) from ``/proc`` every 20 ms, and prints one JSON
document of results.

    python benchmarks/bench_batch.py                 # 20,000 documents, and 5x that for memory
    python benchmarks/bench_batch.py -n 2000         # smaller, quicker

Targets (issue #4): 2 workers at least 1.8x one worker; peak memory flat from the corpus to a
corpus 5x larger. On a shared machine, other processes take CPU too: the 1- and 2-worker
runs are interleaved and repeated (the fastest of each is kept), and the result reports the
cores actually used (CPU seconds / wall seconds) and the load average before the runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(p) for p in handle.read().split())
    except OSError:
        pass
    return found


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 for processes already gone)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            continue
        stack.extend(_children(current))
    return total


def run_clean(corpus: Path, out: Path, workers: int, extra: list[str]) -> dict[str, Any]:
    """Run ``cleaner clean`` once; wall time, CPU time of the tree, peak tree RSS."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out)]
    cmd += ["--workers", str(workers), "--quiet", *extra]
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    after = os.times()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"cleaner failed ({proc.returncode}): {err}")
    size = corpus.stat().st_size
    docs = sum(1 for _ in corpus.open("rb"))
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {
        "workers": workers,
        "docs": docs,
        "input_mb": round(size / 1e6, 2),
        "seconds": round(seconds, 2),
        "docs_per_second": round(docs / seconds, 1),
        "mb_per_second": round(size / 1e6 / seconds, 3),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_tree_mb": round(peak / 1e6, 1),
        "output_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }


def make_corpus(path: Path, docs: int, seed: int, make: Path) -> Path:
    """Generate the corpus once (kept between runs: same n and seed give the same file)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(make),
                str(path),
                "-n",
                str(docs),
                "--seed",
                str(seed),
                "--no-long",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def main(argv: list[str] | None = None) -> int:
    """Build the corpora, run the benchmark, print the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--docs", type=int, default=20000, help="documents in the corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=5, help="size of the memory corpus, x n")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cleaner-bench-batch"))
    parser.add_argument("--make-corpus", type=Path, default=MAKE_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="runs per worker count (best kept)")
    parser.add_argument("--skip-scaled", action="store_true", help="no 5x memory run")
    parser.add_argument("--out", type=Path, help="also write the JSON results here")
    args = parser.parse_args(argv)

    corpus = make_corpus(
        args.workdir / f"corpus-{args.docs}-{args.seed}.jsonl",
        args.docs,
        args.seed,
        args.make_corpus,
    )
    out = args.workdir / "out.jsonl"
    load = os.getloadavg()
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for _ in range(args.repeat):  # interleaved, so a busy spell hurts both alike
        for workers in (1, 2):
            runs[workers].append(run_clean(corpus, out, workers, []))
    one = min(runs[1], key=lambda r: r["seconds"])
    two = min(runs[2], key=lambda r: r["seconds"])
    hashes = {r["output_sha256"] for rs in runs.values() for r in rs}
    results: dict[str, Any] = {
        "benchmark": "cleaner clean (batch CLI)",
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load],
        "corpus": {"docs": args.docs, "seed": args.seed, "path": str(corpus)},
        "repeat": args.repeat,
        "seconds_all_runs": {str(w): [r["seconds"] for r in rs] for w, rs in runs.items()},
        "runs": [one, two],
        "speedup_2_vs_1_workers": round(one["seconds"] / two["seconds"], 3),
        "speedup_2_vs_1_workers_median": round(
            statistics.median(r["seconds"] for r in runs[1])
            / statistics.median(r["seconds"] for r in runs[2]),
            3,
        ),
        "cores_used_1_worker": round(one["cpu_seconds"] / one["seconds"], 2),
        "cores_used_2_workers": round(two["cpu_seconds"] / two["seconds"], 2),
        "identical_output_every_run": len(hashes) == 1,
    }
    if not args.skip_scaled:
        big = make_corpus(
            args.workdir / f"corpus-{args.docs * args.scale}-{args.seed}.jsonl",
            args.docs * args.scale,
            args.seed,
            args.make_corpus,
        )
        scaled = run_clean(big, out, 2, [])
        results["runs"].append(scaled)
        results["memory"] = {
            "peak_rss_tree_mb_corpus": two["peak_rss_tree_mb"],
            f"peak_rss_tree_mb_corpus_x{args.scale}": scaled["peak_rss_tree_mb"],
            "ratio": round(scaled["peak_rss_tree_mb"] / two["peak_rss_tree_mb"], 3),
        }
    out.unlink(missing_ok=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
