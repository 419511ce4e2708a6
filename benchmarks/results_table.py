"""Render the latest benchmark results (JSON) as the markdown of benchmarks/README.md.

Reads ``speed.json``, ``growth.json``, ``lsh_recall.json`` and ``quality.json`` from
``--results`` (default benchmarks/results/) and prints the tables; ``--write`` replaces the
part of README.md between ``<!-- results:start -->`` and ``<!-- results:end -->``.

Example::

    .venv/bin/python benchmarks/results_table.py --write
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import _common as common

START, END = "<!-- results:start -->", "<!-- results:end -->"


def _load(results: Path, name: str) -> dict[str, Any] | None:
    path = results / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _machine(m: dict[str, Any]) -> str:
    load = m.get("loadavg")
    load_s = f", load {load[0]:.1f}" if load else ""
    dirty = " + uncommitted changes in cleaner/" if m.get("cleaner_uncommitted_changes") else ""
    core = {True: ", C core in use", False: ", no C core (Python twins)"}.get(
        m.get("cleaner_c_core"), ""
    )
    return f"{m['utc']}, {m['cpu']} ({m['cpus']} CPUs{load_s}), Python {m['python']}{core}, " + (
        f"commit {m['git_commit']}{dirty}" if m.get("git_commit") else "no commit"
    )


def speed_section(d: dict[str, Any]) -> str:
    args = d["args"]
    rows = []
    for r in d["variants"]:
        if "skipped" in r:
            rows.append(
                [f"`{r['name']}`", str(r["docs"]), "skipped", "", "", "", r["skipped"][:50]]
            )
            continue
        share = r.get("removed_char_share")
        rows.append(
            [
                f"`{r['name']}`",
                f"{r['docs']:,}",
                f"{r['us_per_doc']:,.0f}",
                f"**{r['ratio_to_floor']:.1f}**",
                f"{r['cpu_ratio_to_floor']:.1f}" if "cpu_ratio_to_floor" in r else "-",
                r.get("reference_ratio") or "",
                f"{share * 100:.1f}" if share is not None else "",
            ]
        )
    table = common.markdown_table(
        ["variant", "docs", "µs/doc", "× floor", "× floor (CPU)", "issue #5", "removed % chars"],
        rows,
    )
    t = d["targets"]
    return (
        f"### Speed (`bench_speed.py -n {args['docs']} --slow-n {args['slow_docs']} "
        f"--repeat {args['repeat']}`)\n\n{_machine(d['machine'])}.\n\n{table}\n\n"
        f"cleaner full clean: **{t['cleaner_full_ratio']}× the JSON floor** "
        f"(target ≤ 6: {'met' if t['cleaner_full_le_6x'] else 'NOT met'}; stretch ≤ 4: "
        f"{'met' if t['cleaner_full_le_4x_stretch'] else 'not met'}).\n"
    )


def growth_section(d: dict[str, Any]) -> str:
    long_docs = bool(d["args"].get("long_docs"))
    title = (
        f"### Long documents (`bench_growth.py --long-docs --repeat {d['args']['repeat']}`: "
        "make_corpus.py's forum threads)"
        if long_docs
        else f"### Growth (`bench_growth.py --repeat {d['args']['repeat']}`)"
    )
    rows = []
    for r in d["sizes"]:
        if "error" in r:
            rows.append([f"{r['paragraphs']:,}", r["error"], *[""] * 8])
            continue
        tm = r.get("tracemalloc_peak_mb")
        rows.append(
            [
                f"{r['paragraphs']:,}",
                f"{r['chars'] / 1e6:.1f}",
                f"{r['exact_s']:.4f}",
                common.all_pairs_cell(r),
                f"{r['clean_s']:.3f}",
                f"**{r['ratio']:.1f}**",
                f"{tm:.0f}" if tm is not None else "-",
                f"{r['rss_delta_mb']:.0f}",
                str(r.get("growth_exponent", "")),
                common.recall_cell(r),
            ]
        )
    table = common.markdown_table(
        [
            "paragraphs",
            "M chars",
            "exact set s",
            "rapidfuzz all pairs s",
            "clean s",
            "× exact set",
            "tracemalloc MB",
            "RSS Δ MB",
            "growth exponent",
            "copies removed exact / near",
        ],
        rows,
    )
    t = d["targets"]
    if t["ratio_10k"] is None:
        return (
            f"{title}\n\n{_machine(d['machine'])}.\n\n{table}\n\n10,000 paragraphs not measured.\n"
        )
    exponent = t["growth_exponent_10k_100k"]
    growth = (
        f"; growth exponent 10k → 100k: {exponent} (1.0 = linear)" if exponent is not None else ""
    )
    return (
        f"{title}\n\n{_machine(d['machine'])}.\n\n{table}\n\n"
        f"10,000 paragraphs: **{t['ratio_10k']}×** the exact-set pass (target ≤ 8: "
        f"{'met' if t['ratio_10k_le_8'] else 'NOT met'}), peak **{t['peak_mb_10k']} MB** "
        f"(target < 300: {'met' if t['peak_10k_lt_300mb'] else 'NOT met'}){growth}.\n"
    )


def lsh_section(d: dict[str, Any]) -> str:
    rows = []
    named = [("all duplicates", d["duplicates"]), ("near + contained", d["near_and_contained"])]
    named += [(reason, c) for reason, c in d["per_reason"].items()]
    for name, c in named:
        rows.append(common.lsh_recall_row(name, c))
    table = common.markdown_table(
        ["removals", "all-pairs", "LSH", "missed", "extra", "recall", "precision"], rows
    )
    return (
        f"### LSH recall (`bench_lsh_recall.py -n {d['args']['docs']}`)\n\n"
        f"{_machine(d['machine'])}. Removals by method: LSH path "
        f"{d['methods']['lsh_path']}, all-pairs path {d['methods']['all_pairs_path']}; "
        f"seconds: LSH {d['seconds']['lsh']}, all-pairs {d['seconds']['all_pairs']}.\n\n"
        f"{table}\n"
    )


def quality_section(d: dict[str, Any]) -> str:
    floors = d["floors"]
    rows = []
    for name, value in d["metrics"].items():
        if name.startswith("_") or isinstance(value, list):
            continue
        bound = ""
        if name in floors.get("floors", {}):
            bound = f"≥ {floors['floors'][name]}"
        elif name in floors.get("ceilings", {}):
            bound = f"≤ {floors['ceilings'][name]}"
        rows.append([name, f"{value:.4f}" if isinstance(value, float) else str(value), bound])
    table = common.markdown_table(["metric", "value", "pinned"], rows)
    return f"### Quality (`quality.py`, {d['seconds']} s)\n\n{_machine(d['machine'])}.\n\n{table}\n"


def render(results: Path) -> str:
    parts = []
    for name, fn in (
        ("speed", speed_section),
        ("growth", growth_section),
        ("growth_long", growth_section),
        ("lsh_recall", lsh_section),
        ("quality", quality_section),
    ):
        data = _load(results, name)
        parts.append(fn(data) if data else f"### {name}\n\nno results yet ({name}.json)\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=common.RESULTS_DIR)
    ap.add_argument("--readme", type=Path, default=common.BENCH_DIR / "README.md")
    ap.add_argument("--write", action="store_true", help="update the README's results section")
    a = ap.parse_args(argv)
    text = render(a.results)
    if not a.write:
        print(text)
        return 0
    readme = a.readme.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        raise SystemExit(f"error: {a.readme} has no {START} ... {END} section")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    a.readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"updated {a.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
