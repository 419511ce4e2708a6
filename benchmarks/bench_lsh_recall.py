"""Near-duplicate recall of the MinHash LSH path against all-pairs, on the same documents.

cleaner switches from all-pairs comparison to MinHash LSH candidates for documents with at
least ``lsh_min_segments`` sentences. This program cleans the same documents twice:

* LSH path:       ``lsh_min_segments=2`` (every document takes the LSH path);
* all-pairs path: ``lsh_min_segments=10**9`` (no document does);

and compares their duplicate removals (every reason but ``boilerplate``) by
``(doc, start, end, reason)``:

* recall    = |LSH ∩ all-pairs| / |all-pairs|   (target >= 0.98)
* precision = |LSH ∩ all-pairs| / |LSH|         (LSH removals all-pairs does not make: ~0)

also restricted to near duplicates and contained copies (the removals that depend on the
candidates; exact duplicates are found by hashing on both paths), and per reason.

Examples::

    .venv/bin/python benchmarks/bench_lsh_recall.py               # 2,000 corpus docs
    .venv/bin/python benchmarks/bench_lsh_recall.py -n 20000 --long 2000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import _common as common

Key = tuple[str, int, int, str]
NEAR_REASONS = ("near_duplicate", "contained")


def duplicate_keys(
    cleaner_obj: Any, docs: list[tuple[str, str]]
) -> tuple[set[Key], float, dict[str, int]]:
    """Duplicate removals of ``cleaner_obj`` over ``docs`` as keys, the seconds it took, and
    how many removals each method (``exact``, ``all_pairs``, ``lsh``) made."""
    keys: set[Key] = set()
    methods: Counter[str] = Counter()
    t0 = time.perf_counter()
    for doc_id, text in docs:
        for r in cleaner_obj.clean(text).removals:
            if r.reason.value != "boilerplate":
                keys.add((doc_id, r.start, r.end, r.reason.value))
                methods[r.method] += 1
    return keys, time.perf_counter() - t0, dict(sorted(methods.items()))


def compare(lsh: set[Key], pairs: set[Key]) -> dict[str, Any]:
    both = len(lsh & pairs)
    return {
        "all_pairs": len(pairs),
        "lsh": len(lsh),
        "both": both,
        "missed": len(pairs - lsh),
        "extra": len(lsh - pairs),
        "recall": round(both / len(pairs), 4) if pairs else None,
        "precision": round(both / len(lsh), 4) if lsh else None,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", "--docs", type=int, default=2000, help="corpus documents (2000)")
    ap.add_argument(
        "--long",
        type=int,
        default=0,
        metavar="MAX_PARAGRAPHS",
        help="also compare the long documents of --long-corpus with at most this many "
        "paragraphs (e.g. 2000; all-pairs on them is slow)",
    )
    ap.add_argument("--long-corpus", type=Path, default=common.DEFAULT_LONG)
    ap.add_argument("--no-rules", action="store_true", help="clean with rules=False")
    ap.add_argument("--examples", type=int, default=10, help="missed/extra examples to keep")
    ap.add_argument(
        "--json", type=Path, default=None, help="default benchmarks/results/lsh_recall.json"
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    import cleaner

    common.require_file(a.corpus, "corpus")
    docs = common.read_texts(a.corpus, a.docs)
    if a.long:
        common.require_file(a.long_corpus, "long corpus")
        docs += [(i, t) for i, t in common.read_texts(a.long_corpus) if t.count("\n") + 1 <= a.long]
    base = cleaner.CleanerConfig(rules=not a.no_rules)
    lsh_cleaner = cleaner.Cleaner(base.replace(lsh_min_segments=2))
    pairs_cleaner = cleaner.Cleaner(base.replace(lsh_min_segments=10**9))
    machine = common.machine_info()
    lsh, lsh_s, lsh_methods = duplicate_keys(lsh_cleaner, docs)
    pairs, pairs_s, pairs_methods = duplicate_keys(pairs_cleaner, docs)

    overall = compare(lsh, pairs)
    near = compare(
        {k for k in lsh if k[3] in NEAR_REASONS}, {k for k in pairs if k[3] in NEAR_REASONS}
    )
    reasons = sorted({k[3] for k in lsh | pairs})
    per_reason = {
        reason: compare({k for k in lsh if k[3] == reason}, {k for k in pairs if k[3] == reason})
        for reason in reasons
    }
    texts = dict(docs)

    def example(k: Key) -> dict[str, Any]:
        return {
            "doc": k[0],
            "start": k[1],
            "end": k[2],
            "reason": k[3],
            "text": texts[k[0]][k[1] : k[2]][:200],
        }

    result = {
        "benchmark": "lsh_recall",
        "machine": machine,
        "versions": common.package_versions(["cleaner", "datasketch", "rapidfuzz"]),
        "args": {
            "corpus": str(a.corpus),
            "docs": len(docs),
            "long_max_paragraphs": a.long,
            "rules": not a.no_rules,
            "lsh_threshold": base.lsh_threshold,
            "lsh_num_perm": base.lsh_num_perm,
            "min_score": base.min_score,
        },
        "seconds": {"lsh": round(lsh_s, 3), "all_pairs": round(pairs_s, 3)},
        "methods": {"lsh_path": lsh_methods, "all_pairs_path": pairs_methods},
        "duplicates": overall,
        "near_and_contained": near,
        "per_reason": per_reason,
        "docs_differing": len({k[0] for k in lsh ^ pairs}),
        "missed_examples": [example(k) for k in sorted(pairs - lsh)[: a.examples]],
        "extra_examples": [example(k) for k in sorted(lsh - pairs)[: a.examples]],
        "targets": {
            "recall": overall["recall"],
            "recall_ge_0_98": overall["recall"] is not None and overall["recall"] >= 0.98,
            "near_recall": near["recall"],
            "extra": overall["extra"],
        },
    }
    path = common.write_json(result, a.json, "lsh_recall.json")

    rows = []
    for name, c in [("all duplicates", overall), ("near + contained", near)] + [
        (f"  {r}", per_reason[r]) for r in reasons
    ]:
        rows.append(common.lsh_recall_row(name, c))
    print(
        common.markdown_table(
            ["removals", "all-pairs", "LSH", "missed", "extra", "recall", "precision"], rows
        )
    )
    print(
        f"{len(docs)} docs ({result['docs_differing']} differ); seconds: LSH {lsh_s:.1f}, "
        f"all-pairs {pairs_s:.1f}"
    )
    print(f"removals by method: LSH path {lsh_methods}; all-pairs path {pairs_methods}")
    if not lsh_methods.get("lsh"):
        print("note: the LSH path made no removal with method 'lsh' (is LSH implemented?)")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
