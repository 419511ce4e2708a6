"""Instructions per document of a warm ``clean()``, counted by valgrind's callgrind.

On a shared machine wall time moves by ±5 % or more between runs of the same code, so a change
worth 1–3 % cannot be seen in seconds. Instruction counts are the same from run to run for the
same binary and input, whatever else the machine is doing, so they show small changes (though
an instruction is not a nanosecond: confirm a large claim in seconds too).

Only the steady state is counted: the documents are cleaned once in a warm-up over *other*
corpus documents (the rule caches fill over the first couple of thousand documents and would
otherwise dominate), then the measured ones twice inside one ``functools.reduce`` call, the
only stretch that callgrind collects (``--toggle-collect``).

Examples::

    .venv/bin/python benchmarks/bench_instructions.py                  # 400 docs after 2,000 warm
    .venv/bin/python benchmarks/bench_instructions.py --top 25         # and the top functions
    .venv/bin/python benchmarks/bench_instructions.py -n 200 --warm 500  # quicker, rougher

It needs valgrind (``apt-get install valgrind``) and takes ~2–3 minutes at the defaults. Compare
two commits by running it in a checkout of each (each with its own ``pip install -e .``).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _common as common


def child(a: argparse.Namespace) -> int:
    """Run under callgrind: warm up, then clean the measured documents twice."""
    import cleaner

    texts = [t for _, t in common.read_texts(a.corpus, a.docs + a.warm)]
    measured, warm = texts[: a.docs], texts[a.docs :]
    c = cleaner.Cleaner()
    for text in warm:
        c.clean(text)

    def step(done: int, text: str) -> int:
        c.clean(text)
        return done + 1

    functools.reduce(step, measured * 2, 0)  # (the stretch callgrind collects)
    return 0


# rows of the interpreter's own loop, calls and start-up: every function is inside them
_FRAMEWORK = re.compile(
    r"ceval\.c|/Include/|pycore_|libc|\?\?\?|functools|call\.c|abstract\.c|"
    r"methodobject\.c|descrobject\.c|typeobject\.c:(slot|wrap)|classobject\.c|pythonrun|"
    r"Programs/|Modules/main\.c|_regex\.c:(do_match|basic_match|try_match)"
)


def _top_rows(annotated: str, count: int) -> list[str]:
    """The first ``count`` functions of callgrind_annotate's inclusive list, the
    interpreter's frames left out, each once, with short paths."""
    out: list[str] = []
    seen: set[str] = set()
    for line in annotated.splitlines():
        row = re.match(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S+)", line)
        if row is None or _FRAMEWORK.search(row.group(3)) or "PROGRAM TOTALS" in line:
            continue
        name = re.sub(r"^.*?/(?=(cleaner/|Objects/|Python/|src/))", "", row.group(3))
        if name in seen:
            continue
        seen.add(name)
        out.append(f"{row.group(2):>6} %  {name}")
        if len(out) == count:
            break
    return out


def parent(a: argparse.Namespace) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("error: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    common.require_file(a.corpus, "corpus")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = [
            valgrind,
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=functools_reduce",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            "--corpus",
            str(a.corpus),
            "-n",
            str(a.docs),
            "--warm",
            str(a.warm),
        ]
        print(f"callgrind over {a.docs} docs x 2 after {a.warm} warm-up docs ...", flush=True)
        # (one hash seed: str hashes decide the layout of dicts and sets, and with it a
        # few instructions more or less)
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        run = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
        found = re.search(r"refs:\s+([\d,]+)", run.stderr)
        if run.returncode != 0 or found is None:
            print(run.stderr[-2000:], file=sys.stderr)
            print("error: the callgrind run failed (its output is above)", file=sys.stderr)
            return 1
        total = int(found.group(1).replace(",", ""))
        top = ""
        if a.top:
            annotate = shutil.which("callgrind_annotate")
            if annotate is not None:
                shown = subprocess.run(
                    [annotate, "--inclusive=yes", str(out)],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout
                top = "\n".join(_top_rows(shown, a.top))
    per_doc = total / (2 * a.docs)
    print(f"{per_doc / 1e6:.3f} M instructions per document ({total:,} for {2 * a.docs} cleans)")
    if top:
        print("top functions (inclusive):")
        print(top)
    result = {
        "benchmark": "instructions",
        "machine": common.machine_info(),
        "docs": a.docs,
        "warm_docs": a.warm,
        "instructions_total": total,
        "instructions_per_doc": per_doc,
    }
    print(f"results: {common.write_json(result, a.json, 'instructions.json')}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", "--docs", type=int, default=400, help="documents measured (x 2)")
    ap.add_argument("--warm", type=int, default=2000, help="other documents cleaned first")
    ap.add_argument("--top", type=int, default=0, help="also print this many top functions")
    ap.add_argument(
        "--json", type=Path, default=None, help="default benchmarks/results/instructions.json"
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.docs < 1 or a.warm < 0:
        ap.error("-n must be at least 1 and --warm at least 0")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    return child(a) if a.child else parent(a)


if __name__ == "__main__":
    sys.exit(main())
