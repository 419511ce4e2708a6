"""Quality gate: cleaner's dev scores on ../shared/eval, pinned as floors that may only rise.

Scores (computed with the scorers in ``<shared>/eval``, imported, not copied):

* ``injected.*`` -- score_spans.py on injected_dev.jsonl (default config): removal precision,
  recall, F1, preserved gold share, recall per injected type, and ``fp_docs`` (negative
  controls the cleaner changed);
* ``scrapinghub.*`` -- score.py on scrapinghub/docs.jsonl, cleaning the ``scraped`` field:
  token F1 and recall (macro) before/after cleaning with the defaults, and the macro recall
  lost when cleaning with duplicates only (``rules=False``): dedup should never cost gold text.

``benchmarks/quality_floors.json`` holds ``floors`` (higher is better: ``--check`` fails below)
and ``ceilings`` (lower is better: ``--check`` fails above). ``--update`` moves them only in
the good direction (floors rise, ceilings fall); ``--pin`` sets them to the measured values
(the lead's call, e.g. once, at the start).

Examples::

    .venv/bin/python benchmarks/quality.py              # print the scores
    .venv/bin/python benchmarks/quality.py --check      # CI: exit 1 below a floor
    .venv/bin/python benchmarks/quality.py --update     # raise floors that were beaten
    .venv/bin/python benchmarks/quality.py --shared /path/to/shared
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import math
import sys
import tempfile
import time
from argparse import ArgumentParser, Namespace
from pathlib import Path
from types import ModuleType
from typing import Any

import _common as common

FLOORS_FILE = common.BENCH_DIR / "quality_floors.json"
# metrics --check guards; everything else in the results is information
FLOOR_METRICS = (
    "injected.removal_precision",
    "injected.removal_recall",
    "injected.removal_f1",
    "injected.preserved",
    "injected.recall.exact_dup_para",
    "injected.recall.near_dup_para",
    "injected.recall.dup_sentence_merged",
    "injected.recall.promo",
    "scrapinghub.macro_f1_after",
    "scrapinghub.macro_recall_after",
)
CEILING_METRICS = ("injected.fp_docs", "scrapinghub.dedup_only_recall_drop")
SCALE = 10_000  # floors keep 4 decimals
EPSILON = 1e-9


def _import_scorers(eval_dir: Path) -> tuple[ModuleType, ModuleType]:
    if not (eval_dir / "score.py").is_file() or not (eval_dir / "score_spans.py").is_file():
        raise SystemExit(
            f"error: the scorers are not in {eval_dir} (score.py, score_spans.py); "
            "pass --shared DIR (the folder holding eval/)"
        )
    sys.path.insert(0, str(eval_dir))
    return importlib.import_module("score"), importlib.import_module("score_spans")


def _quiet_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a scorer function with its report printing captured (it prints tables)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_injected(score_spans: ModuleType, data: Path, clean: Any, tmp: Path) -> dict[str, Any]:
    recs = _read_jsonl(data)
    results = [score_spans.score_doc(r, clean(r["input"])) for r in recs]
    out = tmp / "spans.json"
    _quiet_call(score_spans.report, results, 0, str(out), False)
    rep = json.loads(out.read_text(encoding="utf-8"))
    metrics: dict[str, Any] = {
        "injected.removal_precision": rep["removal"]["p"],
        "injected.removal_recall": rep["removal"]["r"],
        "injected.removal_f1": rep["removal"]["f1"],
        "injected.preserved": rep["preserved"],
        "injected.fp_docs": len(rep["fp_docs"]),
        "injected.token_f1_input": rep["token_f1"]["input"],
        "injected.token_f1_output": rep["token_f1"]["output"],
    }
    for kind, recall in sorted(rep["by_type"].items()):
        metrics[f"injected.recall.{kind}"] = recall
    metrics["injected.fp_doc_ids"] = rep["fp_docs"]
    return metrics


def score_tokens(score: ModuleType, docs: Path, clean: Any, tmp: Path, tag: str) -> dict[str, Any]:
    """score.py on ``docs`` cleaning the ``scraped`` field; returns its JSON result."""
    cleaned = tmp / f"{tag}.jsonl"
    with cleaned.open("w", encoding="utf-8") as fh:
        for r in _read_jsonl(docs):
            fh.write(json.dumps({"id": r["id"], "text": clean(r["scraped"])}) + "\n")
    out = tmp / f"{tag}.json"
    args = ["--docs", str(docs), "--cleaned", str(cleaned), "--json", str(out), "--worst", "0"]
    status = _quiet_call(score.main, args)
    if status != 0:
        raise SystemExit(f"error: score.py exited {status} on {docs}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def measure(shared: Path) -> dict[str, Any]:
    import cleaner

    eval_dir = shared / "eval"
    score, score_spans = _import_scorers(eval_dir)
    full = cleaner.Cleaner(cleaner.CleanerConfig())
    dedup_only = cleaner.Cleaner(cleaner.CleanerConfig(rules=False))
    metrics: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cleaner-quality-") as name:
        tmp = Path(name)
        t0 = time.perf_counter()
        metrics.update(
            score_injected(score_spans, eval_dir / "injected_dev.jsonl", full.clean_text, tmp)
        )
        seconds["injected"] = time.perf_counter() - t0
        docs = eval_dir / "scrapinghub" / "docs.jsonl"
        t0 = time.perf_counter()
        res = score_tokens(score, docs, full.clean_text, tmp, "full")
        dd = score_tokens(score, docs, dedup_only.clean_text, tmp, "dedup_only")
        seconds["scrapinghub"] = time.perf_counter() - t0
    before, after = res["before"]["macro"], res["after"]["macro"]
    metrics.update(
        {
            "scrapinghub.macro_f1_before": before["f"],
            "scrapinghub.macro_f1_after": after["f"],
            "scrapinghub.macro_recall_before": before["r"],
            "scrapinghub.macro_recall_after": after["r"],
            "scrapinghub.macro_precision_before": before["p"],
            "scrapinghub.macro_precision_after": after["p"],
            "scrapinghub.docs_improved": res["docs_improved"],
            "scrapinghub.docs_worse": res["docs_worse"],
            "scrapinghub.dedup_only_macro_recall_after": dd["after"]["macro"]["r"],
            "scrapinghub.dedup_only_recall_drop": max(0.0, before["r"] - dd["after"]["macro"]["r"]),
            "scrapinghub.dedup_only_macro_f1_after": dd["after"]["macro"]["f"],
        }
    )
    metrics["_seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    return metrics


def _round_floor(x: float) -> float:
    return math.floor(x * SCALE + EPSILON) / SCALE


def _round_ceiling(x: float) -> float:
    return math.ceil(x * SCALE - EPSILON) / SCALE


def load_floors(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"floors": {}, "ceilings": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("floors", {})
    data.setdefault("ceilings", {})
    return data


def save_floors(path: Path, data: dict[str, Any]) -> None:
    data["_about"] = (
        "Quality floors of benchmarks/quality.py. floors: higher is better, --check fails "
        "below; ceilings: lower is better, --check fails above. They may only move in the "
        "good direction (quality.py --update)."
    )
    ordered = {k: data[k] for k in ("_about", "updated", "floors", "ceilings") if k in data}
    path.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")


def check(metrics: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """The failures: metrics below their floor or above their ceiling."""
    failures = []
    for name, floor in floors["floors"].items():
        value = metrics.get(name)
        if value is None or value < floor - EPSILON:
            failures.append(f"{name} = {value} is below its floor {floor}")
    for name, ceiling in floors["ceilings"].items():
        value = metrics.get(name)
        if value is None or value > ceiling + EPSILON:
            failures.append(f"{name} = {value} is above its ceiling {ceiling}")
    return failures


def updated_floors(metrics: dict[str, Any], floors: dict[str, Any], pin: bool) -> dict[str, Any]:
    new: dict[str, Any] = {"floors": dict(floors["floors"]), "ceilings": dict(floors["ceilings"])}
    for name in FLOOR_METRICS:
        if name in metrics:
            value = _round_floor(float(metrics[name]))
            old = new["floors"].get(name)
            new["floors"][name] = value if pin or old is None else max(old, value)
    for name in CEILING_METRICS:
        if name in metrics:
            raw = metrics[name]
            value = raw if isinstance(raw, int) else _round_ceiling(float(raw))
            old = new["ceilings"].get(name)
            new["ceilings"][name] = value if pin or old is None else min(old, value)
    new["updated"] = common.machine_info()["utc"]
    return new


def parse_args(argv: list[str] | None) -> Namespace:
    ap = ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=common.DEFAULT_SHARED,
        help="the shared folder holding eval/ (default: $CLEANER_SHARED, else ../shared "
        f"next to the repository: {common.DEFAULT_SHARED})",
    )
    ap.add_argument("--floors", type=Path, default=FLOORS_FILE)
    ap.add_argument("--check", action="store_true", help="exit 1 when a score misses its floor")
    ap.add_argument(
        "--update",
        action="store_true",
        help="raise floors (lower ceilings) to the measured values where better",
    )
    ap.add_argument(
        "--pin",
        action="store_true",
        help="set floors and ceilings to the measured values (can lower them)",
    )
    ap.add_argument(
        "--json",
        type=Path,
        default=None,
        help="results file (default benchmarks/results/quality.json)",
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    t0 = time.perf_counter()
    metrics = measure(a.shared)
    elapsed = time.perf_counter() - t0
    floors = load_floors(a.floors)
    if a.update or a.pin:
        floors = updated_floors(metrics, floors, a.pin)
        save_floors(a.floors, floors)
        print(f"floors {'pinned' if a.pin else 'updated'}: {a.floors}")
    failures = check(metrics, floors)

    rows = []
    for name, value in metrics.items():
        if name.startswith("_") or isinstance(value, list):
            continue
        bound = ""
        if name in floors["floors"]:
            bound = f">= {floors['floors'][name]}"
        elif name in floors["ceilings"]:
            bound = f"<= {floors['ceilings'][name]}"
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        rows.append([name, shown, bound])
    print(common.markdown_table(["metric", "value", "pinned"], rows))
    if metrics.get("injected.fp_doc_ids"):
        print(f"negative controls changed: {metrics['injected.fp_doc_ids']}")
    print(f"{elapsed:.1f} s ({metrics['_seconds']})")

    result = {
        "benchmark": "quality",
        "machine": common.machine_info(),
        "versions": common.package_versions(["cleaner"]),
        "shared": str(a.shared),
        "seconds": round(elapsed, 2),
        "metrics": metrics,
        "floors": floors,
        "failures": failures,
    }
    path = common.write_json(result, a.json, "quality.json")
    print(f"results: {path}")
    if failures:
        for f in failures:
            print(f"FAIL {f}", file=sys.stderr)
        if a.check:
            return 1
    elif a.check:
        print(
            f"quality check passed ({len(floors['floors'])} floors, "
            f"{len(floors['ceilings'])} ceilings)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
