"""Speed of the rules layer (``RuleEngine.find`` and ``detect_language``) against the JSON floor.

The documents are read and split into lines once, outside the timed loops. Then, in each of
``--repeat`` interleaved rounds, three loops over the same first N documents are timed:

* *floor*: read a JSONL line -> json.loads -> json.dumps -> write a line (no work);
* *detect_language*: ``engine.detect_language(text)`` per document;
* *find*: ``engine.find(text, lines, language)`` per document (language detected beforehand).

The minimum of the rounds is kept (the machine may be shared). Before timing, the engine is
warmed up on ``--warm`` other documents of the corpus (the ones after the first N, or the
first N themselves when the corpus has no others), so the figures are the steady state: the
patterns of each language compiled, the prefix caches filled.

Examples::

    .venv/bin/python benchmarks/bench_rules.py                 # 20,000 docs, 5 rounds
    .venv/bin/python benchmarks/bench_rules.py -n 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import _common as common

from cleaner.config import CleanerConfig
from cleaner.rules import RuleEngine
from cleaner.segment import split_lines


def floor_loop(corpus: Path, n: int, out_path: Path) -> float:
    """Read, json.loads, json.dumps, write ``n`` lines; return the wall time (s)."""
    loads, dumps = json.loads, json.dumps
    t0 = time.perf_counter()
    with corpus.open(encoding="utf-8") as fin, out_path.open("w", encoding="utf-8") as fout:
        for line in itertools.islice(fin, n):
            rec = loads(line)
            fout.write(dumps(rec, ensure_ascii=False))
            fout.write("\n")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Print µs/doc of find and detect_language, and their ratio to the JSON floor."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", type=int, default=20_000, help="documents timed (default 20000)")
    ap.add_argument("--repeat", type=int, default=5, help="rounds; the minimum is kept")
    ap.add_argument("--warm", type=int, default=2000, help="warm-up documents (default 2000)")
    ap.add_argument("--json", type=Path, default=None, help="result file")
    a = ap.parse_args(argv)
    common.require_file(a.corpus, "corpus")

    records = common.read_texts(a.corpus, a.n + a.warm)
    texts = [t for _, t in records[: a.n]]
    warm = [t for _, t in records[a.n :]] or texts[: a.warm]
    n = len(texts)
    split = [split_lines(t) for t in texts]
    engine = RuleEngine(CleanerConfig())
    for text in warm:
        engine.find(text, split_lines(text), engine.detect_language(text))
    detect, find = engine.detect_language, engine.find
    langs = [detect(t) for t in texts]

    floors: list[float] = []
    detects: list[float] = []
    finds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-rules-") as tmp:
        out_path = Path(tmp) / "out.jsonl"
        for rnd in range(a.repeat):
            floors.append(floor_loop(a.corpus, n, out_path))
            t0 = time.perf_counter()
            for text in texts:
                detect(text)
            detects.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for text, lines, lang in zip(texts, split, langs, strict=True):
                find(text, lines, lang)
            finds.append(time.perf_counter() - t0)
            print(
                f"round {rnd + 1}/{a.repeat}: floor {floors[-1]:.3f} s, "
                f"detect_language {detects[-1]:.3f} s, find {finds[-1]:.3f} s",
                file=sys.stderr,
            )

    us = {name: min(ts) / n * 1e6 for name, ts in (("floor", floors), ("detect", detects))}
    us["find"] = min(finds) / n * 1e6
    both = us["detect"] + us["find"]
    print(f"{n} documents, best of {a.repeat} rounds (µs/doc, ratio to the JSON floor)")
    print(f"  JSON floor       {us['floor']:8.1f}")
    for name, value in (
        ("detect_language", us["detect"]),
        ("find", us["find"]),
        ("both", both),
    ):
        print(f"  {name:<16} {value:8.1f}   {value / us['floor']:5.2f}x")
    result = {
        "benchmark": "bench_rules",
        "machine": common.machine_info(),
        "config": {"corpus": str(a.corpus), "docs": n, "repeat": a.repeat, "warm": len(warm)},
        "us_per_doc": {k: round(v, 2) for k, v in us.items()} | {"both": round(both, 2)},
        "ratio_to_floor": {k: round(v / us["floor"], 3) for k, v in us.items() if k != "floor"}
        | {"both": round(both / us["floor"], 3)},
        "seconds": {"floor": floors, "detect_language": detects, "find": finds},
    }
    path = common.write_json(result, a.json, "bench_rules.json")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
