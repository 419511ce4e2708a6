"""What a fresh process pays before cleaner runs at full speed: the import, the first clean,
the first documents.

Every figure comes from fresh processes (``--runs`` of each, the fastest kept):

* ``import_s``: ``import cleaner``;
* ``seed_s``: ``Cleaner()`` and the clean of the seed article right after the import (the
  README's first command without the interpreter and the command line);
* ``cli_seed_s``: the whole of ``cleaner examples/seed_article.txt`` (interpreter, import,
  clean, output), as a new user first runs it;
* ``cold_s``: the first ``--docs`` corpus documents in bench_speed's loop (``run_loop``:
  read, json.loads, clean, json.dumps, write) right after the import;
* ``warm_s``: the same documents in the same loop, in a process that cleaned the next
  ``2 * --docs`` documents first;
* ``floor_s``: that loop without the clean, over the same documents (this process).

``cold_s / floor_s`` is the ratio a short run sees (a thousand records through the command
line, a pipeline's first minute); ``warm_s / floor_s`` is the 20,000-document ratio of
bench_speed for these documents; their difference is the start-up.

Examples::

    .venv/bin/python benchmarks/bench_startup.py
    .venv/bin/python benchmarks/bench_startup.py --runs 3 --docs 500 --json /tmp/startup.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as common
from bench_speed import run_loop

SEED = common.REPO_ROOT / "examples" / "seed_article.txt"


def child(mode: str, corpus: Path, docs: int) -> dict[str, float]:
    """One fresh process's figures (``mode``: seed, cold or warm)."""
    t0 = time.perf_counter()
    import cleaner

    imported = time.perf_counter() - t0
    out: dict[str, float] = {"import_s": imported}
    if mode == "seed":
        t1 = time.perf_counter()
        cleaner.Cleaner().clean(SEED.read_text(encoding="utf-8"))
        out["seed_s"] = time.perf_counter() - t1
        return out
    clean = cleaner.Cleaner().clean_text
    with tempfile.TemporaryDirectory() as tmp:
        sink = Path(tmp) / "out.jsonl"
        if mode == "warm":
            run_loop(corpus, 2 * docs, clean, sink, start=docs)
        out[f"{mode}_s"] = run_loop(corpus, docs, clean, sink)[0]
    return out


def _fresh(mode: str, corpus: Path, docs: int) -> dict[str, float]:
    got = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--docs", str(docs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(got.stdout))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=1000, help="documents of the cold and warm runs")
    ap.add_argument("--runs", type=int, default=5, help="fresh processes of each kind")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", choices=["seed", "cold", "warm"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.docs)))
        return 0
    common.require_file(args.corpus, "benchmark corpus")
    cli = Path(sys.executable).with_name("cleaner")
    best: dict[str, float] = {}
    for _ in range(args.runs):  # (the kinds interleaved: a slow minute hits them all)
        for mode in ("seed", "cold", "warm"):
            for k, v in _fresh(mode, args.corpus, args.docs).items():
                best[k] = min(best.get(k, float("inf")), v)
        if cli.exists():
            t0 = time.perf_counter()
            subprocess.run([str(cli), str(SEED)], capture_output=True, check=True)
            best["cli_seed_s"] = min(best.get("cli_seed_s", float("inf")), time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        sink = Path(tmp) / "out.jsonl"
        best["floor_s"] = min(
            run_loop(args.corpus, args.docs, lambda t: t, sink)[0] for _ in range(args.runs)
        )
    result: dict[str, Any] = {
        "docs": args.docs,
        "runs": args.runs,
        **{k: round(v, 5) for k, v in sorted(best.items())},
        "cold_x_floor": round(best["cold_s"] / best["floor_s"], 2),
        "warm_x_floor": round(best["warm_s"] / best["floor_s"], 2),
        "start_up_s": round(best["cold_s"] - best["warm_s"], 4),
        "machine": common.machine_info(),
    }
    for key in ("import_s", "seed_s", "cli_seed_s", "cold_s", "warm_s", "floor_s"):
        if key in best:
            print(f"{key:12s} {best[key] * 1e3:8.1f} ms")
    print(
        f"{args.docs} documents: cold {result['cold_x_floor']}x the floor, warm "
        f"{result['warm_x_floor']}x; start-up {result['start_up_s'] * 1e3:.0f} ms"
    )
    path = common.write_json(result, args.json, "startup.json")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
