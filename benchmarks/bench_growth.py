"""How cleaner scales with document length: one document of 100 ... 100,000 paragraphs.

Each size runs in its own subprocess (so memory numbers are per size). The document is built
from corpus paragraphs (fixed seed): unique-ish posts (30% of the words swapped, as in the
corpus generator's long documents) with injected exact repeats (5%), near duplicates (3%, one
word changed) and boilerplate lines (2%). Measured per size:

* ``clean_s``: best-of-``--repeat`` wall time of ``cleaner.clean(doc)`` (default config);
* ``exact_s``: best time of an exact-paragraph-set pass over the same document (the same
  function as bench_speed's ``exact_set`` peer); ``ratio = clean_s / exact_s``;
* ``rss_delta_mb``: peak RSS during the first clean (the kernel's VmHWM mark, reset just
  before it) minus RSS just before it;
* ``removed_share_by_kind``: share of the injected exact / near copies removed (a recall),
  of the boilerplate lines, and of the other posts (should stay small);
* ``rapidfuzz_all_pairs_s`` (up to ``--all-pairs-max`` paragraphs): the quadratic reference,
  ``process.cdist`` with ``fuzz.ratio`` over all paragraph pairs (bench_speed's peer);
* ``tracemalloc_peak_mb`` (up to ``--tracemalloc-max`` paragraphs): peak of Python (and
  numpy) allocations during one more clean with tracemalloc on.

The memory target is checked against the larger of the two.

Targets (issue #5): 10,000 paragraphs <= 8x the exact-set pass and < 300 MB; 100,000 roughly
linear (the growth exponent log(t2/t1)/log(n2/n1) from 10,000 to 100,000 is printed).

Examples::

    .venv/bin/python benchmarks/bench_growth.py                       # 100 ... 100,000
    .venv/bin/python benchmarks/bench_growth.py --sizes 100,1000,10000 --repeat 1   # quick
    .venv/bin/python benchmarks/bench_growth.py --long-docs --json /tmp/growth_long.json
"""

from __future__ import annotations

import argparse
import bisect
import gc
import itertools
import json
import math
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import _common as common
from bench_speed import make_exact_set, make_rapidfuzz_ratio

DEFAULT_SIZES = "100,1000,10000,100000"
BOILERPLATE = [
    "Advertisement",
    "Share this post",
    "Reply",
    "Quote",
    "Like · Reply · Share",
    "Sign up to our newsletter",
    "Back to top",
    "READ MORE: The council approved the new budget",
]
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")


def build_document(corpus: Path, paragraphs: int, seed: int, source_docs: int = 2000) -> str:
    """A document of exactly ``paragraphs`` lines built from corpus paragraphs (deterministic)."""
    return build_labelled(corpus, paragraphs, seed, source_docs)[0]


def build_labelled(
    corpus: Path, paragraphs: int, seed: int, source_docs: int = 2000
) -> tuple[str, list[str]]:
    """The document and the kind of each line: post, exact, near or boilerplate."""
    pool: list[str] = []
    seen: set[str] = set()
    for _, text in common.read_texts(corpus, source_docs):
        for line in text.split("\n"):
            line = line.strip()
            if len(line) >= 60 and line not in seen:
                seen.add(line)
                pool.append(line)
    vocab = sorted({w for p in pool for w in _WORD.findall(p)})
    rng = random.Random(seed)
    out: list[str] = []
    kinds: list[str] = []
    posts: list[str] = []
    while len(out) < paragraphs:
        r = rng.random()
        if r < 0.05 and posts:
            out.append(rng.choice(posts))  # exact repeat
            kinds.append("exact")
        elif r < 0.08 and posts:
            words = rng.choice(posts).split(" ")
            words[rng.randrange(len(words))] = rng.choice(vocab)  # near duplicate
            out.append(" ".join(words))
            kinds.append("near")
        elif r < 0.10:
            out.append(rng.choice(BOILERPLATE))
            kinds.append("boilerplate")
        else:
            words = rng.choice(pool).split(" ")
            post = " ".join(rng.choice(vocab) if rng.random() < 0.3 else w for w in words)
            posts.append(post)
            out.append(post)
            kinds.append("post")
    return "\n".join(out), kinds


def removed_share_by_kind(doc: str, kinds: list[str], removals: Any) -> dict[str, float]:
    """Share of the lines of each kind that the removals cover (>= 90% of their characters).

    For ``exact`` and ``near`` (injected copies) this is a recall; for ``post`` (the first
    copies and unique posts, some of which are corpus promos) it should stay small.
    """
    lines = doc.split("\n")
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    covered = [0] * len(lines)
    for r in removals:
        i = max(0, bisect.bisect_right(starts, r.start) - 1)
        while i < len(lines) and starts[i] < r.end:
            line_end = starts[i] + len(lines[i])
            covered[i] += max(0, min(line_end, r.end) - max(starts[i], r.start))
            i += 1
    total: dict[str, int] = {}
    removed: dict[str, int] = {}
    for line, kind, cov in zip(lines, kinds, covered, strict=True):
        total[kind] = total.get(kind, 0) + 1
        if cov >= 0.9 * len(line.strip()):
            removed[kind] = removed.get(kind, 0) + 1
    return {k: round(removed.get(k, 0) / n, 4) for k, n in sorted(total.items())}


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of this process (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _progress(size: int, message: str) -> None:
    print(f"[{size} paragraphs] {message}", file=sys.stderr, flush=True)


def worker(a: argparse.Namespace) -> int:
    """Measure one size (runs in a subprocess); prints one JSON line."""
    import cleaner

    kinds: list[str] | None = None
    if a.long_doc_index is not None:
        source, doc = common.read_texts(a.long_corpus)[a.long_doc_index]
    else:
        source = f"built from {a.corpus.name}, seed {a.seed}"
        doc, kinds = build_labelled(a.corpus, a.worker, a.seed)
    c = cleaner.Cleaner(cleaner.CleanerConfig())
    exact_set = make_exact_set()
    # warm up: lazy imports (datasketch on the first LSH use) and compiled rule patterns are
    # one-off costs, not growth; 700 paragraphs are past the default lsh_min_segments
    c.clean("\n".join(doc.split("\n", 700)[:700]))
    gc.collect()
    exact_s, _ = common.best_of(5, lambda: exact_set(doc))  # before clean: a fresh heap
    all_pairs_s: float | None = None
    if a.worker <= a.all_pairs_max:
        all_pairs = make_rapidfuzz_ratio()
        all_pairs_s, _ = common.best_of(1, lambda: all_pairs(doc))
    rss_before = _status_mb("VmRSS") or 0.0
    peak_reset = _reset_peak_rss()
    peak_before = rss_before if peak_reset else _peak_rss_mb()

    _progress(a.worker, f"{len(doc):,} chars built; first clean")
    t0 = time.perf_counter()
    result = c.clean(doc)  # the first run also gives the RSS peak
    first = time.perf_counter() - t0
    rss_peak = _peak_rss_mb()
    times = [first]
    # repeat only while it stays cheap (a quadratic path on 100k would take hours)
    for _ in range(a.repeat - 1):
        if sum(times) > a.max_seconds:
            break
        t0 = time.perf_counter()
        c.clean(doc)
        times.append(time.perf_counter() - t0)
    clean_s = min(times)

    tm_peak: float | None = None
    if a.tracemalloc:
        _progress(a.worker, f"clean {clean_s:.3f} s, exact set {exact_s:.4f} s; tracemalloc run")
        # (the C core keeps its scan buffers from one clean to the next: freed first, so
        # that this clean's peak holds them, as a first clean's does)
        native = cleaner._accel.native
        if native is not None:
            native.release_scratch()
        tracemalloc.start()
        c.clean(doc)
        tm_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()

    methods: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for r in result.removals:
        methods[r.method] = methods.get(r.method, 0) + 1
        reasons[r.reason.value] = reasons.get(r.reason.value, 0) + 1
    out = {
        "paragraphs": a.worker,
        "source": source,
        "chars": len(doc),
        "clean_s": round(clean_s, 5),
        "clean_s_all": [round(t, 5) for t in times],
        "exact_s": round(exact_s, 5),
        "rapidfuzz_all_pairs_s": round(all_pairs_s, 3) if all_pairs_s is not None else None,
        "ratio": round(clean_s / exact_s, 2),
        "us_per_paragraph": round(clean_s / a.worker * 1e6, 1),
        "tracemalloc_peak_mb": round(tm_peak, 1) if tm_peak is not None else None,
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(rss_peak, 1),
        "rss_delta_mb": round(max(0.0, rss_peak - max(rss_before, peak_before)), 1),
        "rss_peak_exact": peak_reset,
        "removals": len(result.removals),
        "removed_chars": sum(r.end - r.start for r in result.removals),
        "by_method": methods,
        "by_reason": reasons,
        "removed_share_by_kind": (
            removed_share_by_kind(doc, kinds, result.removals) if kinds else None
        ),
    }
    print(json.dumps(out))
    return 0


def run_size(a: argparse.Namespace, size: int, long_index: int | None = None) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(size),
        "--corpus",
        str(a.corpus),
        "--seed",
        str(a.seed),
        "--repeat",
        str(a.repeat),
        "--max-seconds",
        str(a.max_seconds),
    ]
    cmd += ["--all-pairs-max", str(a.all_pairs_max)]
    if long_index is not None:
        cmd += ["--long-corpus", str(a.long_corpus), "--long-doc-index", str(long_index)]
    if size <= a.tracemalloc_max:
        cmd.append("--tracemalloc")
    try:
        # stderr (progress) passes through; stdout carries the JSON line
        p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=a.timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"paragraphs": size, "error": f"timed out after {a.timeout} s"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"paragraphs": size, "error": f"worker exit status {p.returncode} (see stderr)"}
    row: dict[str, Any] = json.loads(lines[-1])
    return row


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help=f"paragraph counts ({DEFAULT_SIZES})")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="timed cleans per size (min kept)")
    ap.add_argument(
        "--max-seconds",
        type=float,
        default=60.0,
        help="stop repeating a size once its runs took this long",
    )
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per size")
    ap.add_argument(
        "--long-docs",
        action="store_true",
        help="measure the documents of --long-corpus (make_corpus.py's forum threads of "
        "2,000-20,000 paragraphs) instead of building documents of --sizes",
    )
    ap.add_argument("--long-corpus", type=Path, default=common.DEFAULT_LONG)
    ap.add_argument("--long-doc-index", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--all-pairs-max",
        type=int,
        default=10000,
        help="time rapidfuzz all pairs (cdist, fuzz.ratio) over the paragraphs, for reference, "
        "up to this many paragraphs (10000, ~15 s there; 0: never)",
    )
    ap.add_argument(
        "--tracemalloc-max",
        type=int,
        default=10000,
        help="measure the tracemalloc peak (one more, slower, clean) up to this many "
        "paragraphs (10000; 0: never)",
    )
    ap.add_argument(
        "--json", type=Path, default=None, help="default benchmarks/results/growth.json"
    )
    ap.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    common.require_file(a.corpus, "corpus")
    if a.worker is not None:
        return worker(a)
    long_index: list[int | None]
    if a.long_docs:
        common.require_file(a.long_corpus, "long corpus")
        texts = common.read_texts(a.long_corpus)
        sizes = [t.count("\n") + 1 for _, t in texts]
        long_index = list(range(len(texts)))
    else:
        sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
        long_index = [None] * len(sizes)
    machine = common.machine_info()
    rows: list[dict[str, Any]] = []
    for size, index in zip(sizes, long_index, strict=True):
        if rows and "error" in rows[-1]:
            rows.append({"paragraphs": size, "error": "skipped: the previous size failed"})
            continue
        row = run_size(a, size, index)
        rows.append(row)
        print(f"{size:>7} paragraphs: {json.dumps(row)}", file=sys.stderr)

    ok = [r for r in rows if "error" not in r]
    for prev, cur in itertools.pairwise(ok):
        cur["growth_exponent"] = round(
            math.log(cur["clean_s"] / prev["clean_s"])
            / math.log(cur["paragraphs"] / prev["paragraphs"]),
            2,
        )
    at10k = next((r for r in ok if r["paragraphs"] == 10000), None)
    at100k = next((r for r in ok if r["paragraphs"] == 100000), None)

    def peak(r: dict[str, Any]) -> float:
        return float(max(r.get("tracemalloc_peak_mb") or 0.0, r["rss_delta_mb"]))

    targets = {
        "ratio_10k": at10k["ratio"] if at10k else None,
        "ratio_10k_le_8": (at10k["ratio"] <= 8) if at10k else None,
        "peak_mb_10k": peak(at10k) if at10k else None,
        "peak_10k_lt_300mb": (peak(at10k) < 300) if at10k else None,
        "growth_exponent_10k_100k": at100k.get("growth_exponent") if at100k else None,
    }
    result = {
        "benchmark": "growth",
        "machine": machine,
        "versions": common.package_versions(["cleaner", "rapidfuzz", "datasketch"]),
        "args": {
            "corpus": str(a.long_corpus if a.long_docs else a.corpus),
            "long_docs": a.long_docs,
            "sizes": sizes,
            "seed": a.seed,
            "repeat": a.repeat,
        },
        "sizes": rows,
        "targets": targets,
    }
    path = common.write_json(result, a.json, "growth.json")
    table = []
    for r in rows:
        if "error" in r:
            table.append([str(r["paragraphs"]), *["-"] * 9, r["error"][:60]])
            continue
        tm = r["tracemalloc_peak_mb"]
        table.append(
            [
                f"{r['paragraphs']:,}",
                f"{r['chars'] / 1e6:.2f}",
                f"{r['exact_s']:.4f}",
                common.all_pairs_cell(r),
                f"{r['clean_s']:.3f}",
                f"{r['ratio']:.1f}",
                f"{r['us_per_paragraph']:.0f}",
                f"{tm:.0f}" if tm is not None else "-",
                f"{r['rss_delta_mb']:.0f}",
                str(r.get("growth_exponent", "")),
                common.recall_cell(r),
            ]
        )
    headers = ["paragraphs", "MB", "exact set s", "all pairs s", "clean s", "× exact", "µs/para"]
    headers += ["tracemalloc MB", "RSS Δ MB", "growth exp", "copies removed exact/near"]
    print(common.markdown_table(headers, table))
    print(f"targets: {json.dumps(targets)}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
