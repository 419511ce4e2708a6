"""Wall time of two versions of cleaner side by side, in one process.

Separate runs of two builds on a shared machine differ by ±5–10 % with the hour alone, and
instruction counts (``bench_instructions.py``), steady as they are, miss what memory and
branches cost. This program loads both versions into one process, as the packages
``cleaner_a`` and ``cleaner_b``, warms both up on the same documents, then cleans chunks of
them with each in turn (the order flipped every chunk), so that both meet the machine at the
same moments, and reports the ratio of their total times (B / A: below 1, B is faster).

It does that twice, in two processes, the second time with the two imports swapped, and
reports the geometric mean of the two ratios. What is left is where each build's code lands
in memory: a version against itself (``bench_ab.py HEAD HEAD``) measured 0.977 on this
2-core machine, while two runs of one pair of versions agreed within 0.2 %. Read a
difference under ~3 % as none, and check it against the instruction count.

A version's rule packs are its own from 64760f7 on (before, an exported version read those
of the installed ``cleaner``).

Each version is a git revision (its ``cleaner/`` exported, the C core compiled with the C
compiler Python was built with, ``-O2``) or ``work`` (the working tree's ``cleaner/``,
compiled afresh). Both must have the C core: this is for comparing C and Python changes
with it in use.

Examples::

    .venv/bin/python benchmarks/bench_ab.py HEAD~1 work          # ~3 minutes
    .venv/bin/python benchmarks/bench_ab.py b93cdd0 HEAD --passes 4 -n 2000
    .venv/bin/python benchmarks/bench_ab.py bceb937 HEAD --paragraphs 10000 --passes 16
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import _common as common


def export(version: str, dest: Path) -> None:
    """``dest/cleaner_<x>``: the package of ``version`` with its C core compiled."""
    if version == "work":
        shutil.copytree(
            common.REPO_ROOT / "cleaner",
            dest,
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"),
        )
    else:
        tmp = dest.parent / f"{dest.name}.export"
        tmp.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(common.REPO_ROOT), "archive", version, "cleaner"],
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise SystemExit(f"error: git archive {version}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        (tmp / "cleaner").rename(dest)
        tmp.rmdir()
    sources = sorted((dest / "_c").glob("*.[ch]"))
    digest = hashlib.sha256()
    for path in sources:  # (as setup.py records it)
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    out = dest / f"_native{sysconfig.get_config_var('EXT_SUFFIX')}"
    cmd = [
        *compiler,
        "-O2",
        "-shared",
        "-fPIC",
        f"-I{sysconfig.get_paths()['include']}",
        f"-I{dest / '_c'}",
        f'-DCLEANER_NATIVE_SOURCE_SHA256="{digest.hexdigest()}"',
        *(str(p) for p in sources if p.suffix == ".c"),
        "-o",
        str(out),
    ]
    built = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise SystemExit(f"error: compiling {version}'s C core:\n{built.stderr[-2000:]}")


def child(a: argparse.Namespace) -> int:
    """Time ``cleaner_a`` and ``cleaner_b`` (found on sys.path) in alternating chunks."""
    import importlib

    sys.path.insert(0, str(a.packages))
    first, second = ("cleaner_b", "cleaner_a") if a.swapped else ("cleaner_a", "cleaner_b")
    modules = {name: importlib.import_module(name) for name in (first, second)}
    for name, module in modules.items():
        if not module.c_core_in_use():
            print(f"error: {name} has no C core", file=sys.stderr)
            return 2
    if a.paragraphs:
        # (one long document, bench_growth's of that many paragraphs, cleaned in turn)
        from bench_growth import build_document

        texts = [build_document(a.corpus, a.paragraphs, 1)]
    else:
        texts = [t for _, t in common.read_texts(a.corpus, a.docs)]
    cleaners = {name: module.Cleaner() for name, module in modules.items()}
    for text in texts:  # (warm: caches filled, code specialized)
        for c in cleaners.values():
            c.clean(text)
    spent = dict.fromkeys(cleaners, 0.0)
    clock = time.perf_counter
    chunks = [texts[k : k + a.chunk] for k in range(0, len(texts), a.chunk)]
    for p in range(a.passes):
        for k, chunk in enumerate(chunks):
            order = ("cleaner_a", "cleaner_b") if (k + p) % 2 == 0 else ("cleaner_b", "cleaner_a")
            for name in order:
                clean = cleaners[name].clean
                t0 = clock()
                for text in chunk:
                    clean(text)
                spent[name] += clock() - t0
    print(json.dumps({"a": spent["cleaner_a"], "b": spent["cleaner_b"]}))
    return 0


def parent(a: argparse.Namespace) -> int:
    common.require_file(a.corpus, "corpus")
    with tempfile.TemporaryDirectory() as tmp:
        packages = Path(tmp)
        for name, version in (("cleaner_a", a.version_a), ("cleaner_b", a.version_b)):
            print(f"building {version} as {name} ...", flush=True)
            export(version, packages / name)
        cleans = (1 if a.paragraphs else a.docs) * a.passes
        unit, scale = ("ms/clean", 1e3) if a.paragraphs else ("µs/doc", 1e6)
        ratios = []
        for swapped in (False, True):
            cmd = [sys.executable, __file__, "--child", "--packages", str(packages)]
            cmd += ["--corpus", str(a.corpus), "-n", str(a.docs)]
            cmd += ["--passes", str(a.passes), "--chunk", str(a.chunk)]
            cmd += ["--paragraphs", str(a.paragraphs)] if a.paragraphs else []
            cmd += ["--swapped"] if swapped else []
            run = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                print(run.stderr[-2000:], file=sys.stderr)
                return 1
            spent = json.loads(run.stdout.strip().splitlines()[-1])
            ratios.append(spent["b"] / spent["a"])
            order = "B imported first" if swapped else "A imported first"
            print(
                f"{order}: A {spent['a'] / cleans * scale:.1f} {unit}, "
                f"B {spent['b'] / cleans * scale:.1f} {unit}, B/A {ratios[-1]:.4f}",
                flush=True,
            )
    mean = math.sqrt(ratios[0] * ratios[1])
    print(f"B/A {mean:.4f} (geometric mean of both import orders): B {100 * (mean - 1):+.1f} %")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("version_a", nargs="?", help="a git revision, or 'work'")
    ap.add_argument("version_b", nargs="?", help="a git revision, or 'work'")
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", "--docs", type=int, default=4000, help="documents (4000)")
    ap.add_argument("--passes", type=int, default=6, help="timed passes over them (6)")
    ap.add_argument("--chunk", type=int, default=250, help="documents per turn (250)")
    ap.add_argument(
        "--paragraphs",
        type=int,
        default=0,
        help="instead of the corpus, one document of this many paragraphs (bench_growth's, "
        "seed 1), cleaned by each version in turn --passes times",
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--packages", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--swapped", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if not a.child and (a.version_a is None or a.version_b is None):
        ap.error("give two versions: git revisions or 'work'")
    if a.docs < 1 or a.passes < 1 or a.chunk < 1 or a.paragraphs < 0:
        ap.error("-n, --passes and --chunk must be at least 1, --paragraphs at least 0")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    return child(a) if a.child else parent(a)


if __name__ == "__main__":
    sys.exit(main())
