"""Profile cleaner.clean over corpus documents and print the top functions.

cProfile by default (stdlib); ``--pyinstrument`` uses pyinstrument when it is installed
(``benchmarks/setup_peers.sh`` installs it in /work/bench-venv). The documents are read before
profiling starts, so only cleaning is profiled.

Examples::

    .venv/bin/python benchmarks/profile_clean.py -n 2000                 # top 30 by own time
    .venv/bin/python benchmarks/profile_clean.py -n 2000 --sort cumulative --top 40
    .venv/bin/python benchmarks/profile_clean.py --long 10000            # one long document
    .venv/bin/python benchmarks/profile_clean.py -n 500 --no-rules       # dedup only
    .venv/bin/python benchmarks/profile_clean.py -n 2000 --out /tmp/clean.prof   # for snakeviz
    /work/bench-venv/bin/python benchmarks/profile_clean.py -n 2000 --pyinstrument
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path
from typing import Any

import _common as common


def load_docs(a: argparse.Namespace) -> list[str]:
    if a.long:
        common.require_file(a.long_corpus, "long corpus")
        texts = [t for _, t in common.read_texts(a.long_corpus)]
        # the long document closest to the asked paragraph count
        best = min(texts, key=lambda t: abs(t.count("\n") + 1 - a.long))
        lines = best.split("\n")[: a.long]
        return ["\n".join(lines)]
    common.require_file(a.corpus, "corpus")
    return [t for _, t in common.read_texts(a.corpus, a.docs)]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", "--docs", type=int, default=2000, help="corpus documents (2000)")
    ap.add_argument(
        "--long",
        type=int,
        default=0,
        metavar="PARAGRAPHS",
        help="profile one long document instead (the first PARAGRAPHS lines of the "
        "closest document of --long-corpus: 2000, 5000, 10000 or 20000)",
    )
    ap.add_argument("--long-corpus", type=Path, default=common.DEFAULT_LONG)
    ap.add_argument("--no-rules", action="store_true", help="rules=False (dedup only)")
    ap.add_argument("--no-dedup", action="store_true", help="dedup=False (rules only)")
    ap.add_argument("--lsh-min-segments", type=int, default=None, help="override the config")
    ap.add_argument(
        "--sort",
        default="tottime",
        choices=["tottime", "cumulative", "ncalls"],
        help="cProfile sort order (tottime)",
    )
    ap.add_argument(
        "--warm",
        action="store_true",
        help="clean the documents once before profiling: the rule engine's per-prefix caches "
        "and combined patterns are then filled, as they are through most of a long batch",
    )
    ap.add_argument("--top", type=int, default=30, help="functions to print (30)")
    ap.add_argument("--out", type=Path, default=None, help="save the cProfile stats here")
    ap.add_argument(
        "--pyinstrument", action="store_true", help="use pyinstrument instead of cProfile"
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    import cleaner

    options: dict[str, Any] = {"rules": not a.no_rules, "dedup": not a.no_dedup}
    if a.lsh_min_segments is not None:
        options["lsh_min_segments"] = a.lsh_min_segments
    c = cleaner.Cleaner(cleaner.CleanerConfig(**options))
    docs = load_docs(a)
    chars = sum(len(t) for t in docs)
    # warm up: lazy imports (datasketch on the first LSH use) and compiled patterns stay out of
    # the profile; 700 lines of a long document are past the default lsh_min_segments
    c.clean("\n".join(docs[0].split("\n", 700)[:700]))
    if a.warm:
        for t in docs:
            c.clean(t)

    def work() -> int:
        return sum(len(c.clean(t).removals) for t in docs)

    print(
        f"profiling cleaner.clean over {len(docs)} document(s), {chars / 1e6:.2f} M chars, "
        f"config {options}",
        file=sys.stderr,
    )
    if a.pyinstrument:
        if not common.has_module("pyinstrument"):
            raise SystemExit(
                "error: pyinstrument is not installed here; run benchmarks/setup_peers.sh and "
                "use /work/bench-venv/bin/python, or drop --pyinstrument (cProfile)"
            )
        from pyinstrument import Profiler

        profiler = Profiler()
        t0 = time.perf_counter()
        profiler.start()
        removals = work()
        profiler.stop()
        elapsed = time.perf_counter() - t0
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    else:
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        removals = work()
        prof.disable()
        elapsed = time.perf_counter() - t0
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.strip_dirs().sort_stats(a.sort).print_stats(a.top)
        print(buf.getvalue())
        if a.out is not None:
            stats.dump_stats(str(a.out))
            print(f"stats saved: {a.out} (view with: python -m pstats {a.out}, or snakeviz)")
    print(
        f"{len(docs)} docs, {removals} removals, {elapsed:.2f} s under the profiler "
        f"({elapsed / len(docs) * 1e3:.2f} ms/doc; profiling overhead included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
