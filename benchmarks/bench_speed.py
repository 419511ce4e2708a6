"""Speed of cleaner against the JSON floor and against peers, on the same corpus, same run.

Every variant runs the same loop over the first N documents of the corpus:
read a JSONL line -> json.loads -> work on the text -> json.dumps -> write a line.
The *floor* is that loop with no work. Ratio = time(variant) / time(floor over the same docs),
both measured in this run (wall time; the CPU-time ratio of this process is reported beside it,
it is less disturbed by other work on a shared machine); each variant is timed ``--repeat``
times (interleaved rounds) and the minimum is kept. Slow peers (100x+ the floor) run on the
first ``--slow-n`` documents only, against a floor measured over those same documents.

Peers are imported only when available; a missing peer is skipped and reported. Install them
with ``benchmarks/setup_peers.sh`` (a separate venv, /work/bench-venv).

Examples::

    /work/bench-venv/bin/python benchmarks/bench_speed.py                 # full: 20,000 docs
    /work/bench-venv/bin/python benchmarks/bench_speed.py -n 2000 --repeat 1   # quick look
    .venv/bin/python benchmarks/bench_speed.py -n 2000 --only floor,cleaner   # cleaner only
"""

from __future__ import annotations

import argparse
import fnmatch
import itertools
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _common as common

TextFn = Callable[[str], str]

# ~100 boilerplate phrases (promo, sign-up, share bar, credits, navigation), as one regex.
BOILERPLATE_PHRASES = [
    "read more",
    "read more here",
    "related",
    "related articles",
    "related stories",
    "more",
    "also read",
    "recommended",
    "recommended for you",
    "see also",
    "don't miss",
    "trending",
    "trending now",
    "watch",
    "watch the video",
    "watch the video above",
    "scroll down for video",
    "advertisement",
    "sponsored",
    "sponsored content",
    "paid content",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "continue reading",
    "continue reading the main story",
    "sign up",
    "sign up to our newsletter",
    "sign up for our newsletter",
    "sign up for our daily newsletter",
    "sign up for our free",
    "subscribe",
    "subscribe now",
    "subscribe to our newsletter",
    "subscribe to our channel",
    "get the latest headlines",
    "get our newsletter",
    "join our mailing list",
    "click here to subscribe",
    "click here to sign up",
    "click here",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share on facebook",
    "share on twitter",
    "share via email",
    "share on whatsapp",
    "share on linkedin",
    "tweet",
    "pin it",
    "copy link",
    "email this",
    "print this page",
    "print",
    "follow us",
    "follow us on twitter",
    "follow us on facebook",
    "follow us on instagram",
    "like us on facebook",
    "want more stories like this",
    "comments",
    "leave a comment",
    "join the conversation",
    "show comments",
    "view comments",
    "have a news tip",
    "send us a tip",
    "topics",
    "tags",
    "more from",
    "you might also like",
    "you may also like",
    "most read",
    "most popular",
    "most viewed",
    "editor's picks",
    "top stories",
    "report an error",
    "report a typo",
    "all rights reserved",
    "copyright",
    "this material may not be published",
    "photo credit",
    "photo",
    "image",
    "image source",
    "getty images",
    "image copyright",
    "cookie policy",
    "we use cookies",
    "accept cookies",
    "privacy policy",
    "terms of use",
    "back to top",
    "next article",
    "previous article",
    "next page",
    "load more",
    "download our app",
    "listen to this article",
    "reply",
    "quote",
    "report",
]

_WS_SPLIT = re.compile(r"\s+")


def _lines(text: str) -> list[str]:
    return text.split("\n")


# ----------------------------------------------------------------------------- peers
def make_identity() -> TextFn:
    def identity(text: str) -> str:
        return text

    return identity


def make_exact_set() -> TextFn:
    """Exact paragraph dedup with a Python set (key: whitespace-collapsed, casefolded line)."""

    def exact_set(text: str) -> str:
        seen: set[str] = set()
        out: list[str] = []
        for line in text.split("\n"):
            key = " ".join(line.split()).casefold()
            if key:
                if key in seen:
                    continue
                seen.add(key)
            out.append(line)
        return "\n".join(out)

    return exact_set


def make_regex_lines() -> TextFn:
    """~100 boilerplate phrases as one regex (stdlib re), searched on every line."""
    alternation = "|".join(re.escape(p) for p in sorted(BOILERPLATE_PHRASES, key=len, reverse=True))
    pattern = re.compile(rf"^\W*(?:{alternation})\b", re.IGNORECASE)

    def regex_lines(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if not pattern.search(line))

    return regex_lines


def make_trafilatura() -> TextFn:
    """trafilatura.deduplication.duplicate_test on each paragraph (an lxml <p>).

    Its LRU cache is trafilatura's module-level one; cleared per document so the test is
    in-document. Default options (min_duplcheck_size 100 chars, max_repetitions 2).
    """
    from lxml import etree
    from trafilatura.deduplication import LRU_TEST, duplicate_test
    from trafilatura.settings import Extractor

    options = Extractor()

    def trafilatura_dup(text: str) -> str:
        LRU_TEST.clear()
        out: list[str] = []
        for line in text.split("\n"):
            element = etree.Element("p")
            element.text = line
            if not duplicate_test(element, options):
                out.append(line)
        return "\n".join(out)

    return trafilatura_dup


def _make_datatrove(filter_name: str) -> TextFn:
    from datatrove.data import Document
    from datatrove.pipeline import filters

    doc_filter = getattr(filters, filter_name)()

    def datatrove_filter(text: str) -> str:
        result = doc_filter.filter(Document(text=text, id="bench"))
        keep = result[0] if isinstance(result, tuple) else result
        return text if keep else ""

    return datatrove_filter


def make_c4() -> TextFn:
    """datatrove C4QualityFilter (defaults) applied to each document; dropped docs -> ""."""
    return _make_datatrove("C4QualityFilter")


def make_gopher_rep() -> TextFn:
    """datatrove GopherRepetitionFilter (defaults) applied to each document."""
    return _make_datatrove("GopherRepetitionFilter")


def make_fineweb() -> TextFn:
    """datatrove FineWebQualityFilter (defaults) applied to each document."""
    return _make_datatrove("FineWebQualityFilter")


SHINGLE_WORDS = 3
NUM_PERM = 128


def _shingles(paragraph: str) -> list[bytes]:
    words = paragraph.casefold().split()
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")] if words else []
    return [
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    ]


def make_minhash_update() -> TextFn:
    """datasketch: one MinHash per paragraph, update() per word-3-gram shingle (128 perms)."""
    from datasketch import MinHash

    def minhash_update(text: str) -> str:
        for line in text.split("\n"):
            shingles = _shingles(line)
            if shingles:
                m = MinHash(num_perm=NUM_PERM, seed=1)
                for sh in shingles:
                    m.update(sh)
        return text

    return minhash_update


def make_minhash_bulk() -> TextFn:
    """datasketch: MinHash.bulk over the paragraphs' shingle sets (128 perms)."""
    from datasketch import MinHash

    def minhash_bulk(text: str) -> str:
        sets = [s for s in (_shingles(line) for line in text.split("\n")) if s]
        if sets:
            MinHash.bulk(sets, num_perm=NUM_PERM, seed=1)
        return text

    return minhash_bulk


def _cdist_dedup(scorer_name: str) -> TextFn:
    import numpy as np
    from rapidfuzz import fuzz, process

    scorer = getattr(fuzz, scorer_name)

    def all_pairs(text: str) -> str:
        lines = text.split("\n")
        idx = [i for i, line in enumerate(lines) if line.strip()]
        if len(idx) < 2:
            return text
        paras = [lines[i] for i in idx]
        scores = process.cdist(
            paras, paras, scorer=scorer, score_cutoff=90, dtype=np.uint8, workers=1
        )
        dup = np.triu(scores, k=1).any(axis=0)
        drop = {idx[k] for k in np.flatnonzero(dup)}
        return "\n".join(line for i, line in enumerate(lines) if i not in drop)

    return all_pairs


def make_rapidfuzz_ratio() -> TextFn:
    """rapidfuzz process.cdist all pairs of paragraphs, fuzz.ratio >= 90 (workers=1)."""
    return _cdist_dedup("ratio")


def make_rapidfuzz_partial() -> TextFn:
    """rapidfuzz process.cdist all pairs of paragraphs, fuzz.partial_ratio >= 90 (workers=1)."""
    return _cdist_dedup("partial_ratio")


def make_pipeline() -> TextFn:
    """A straightforward pipeline: boilerplate regex per line, exact set, MinHash.bulk +
    MinHashLSH (threshold 0.5, 128 perms) candidates, fuzz.ratio >= 90 to verify."""
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz

    regex_lines = make_regex_lines()
    exact_set = make_exact_set()
    # MinHashLSH derives (bands, rows) by numerical integration in its constructor (~10 ms):
    # do that once and hand the result to the per-document index.
    tuned = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    params = (tuned.b, tuned.r)

    def pipeline(text: str) -> str:
        lines = exact_set(regex_lines(text)).split("\n")
        idx = [i for i, line in enumerate(lines) if _shingles(line)]
        if len(idx) < 2:
            return "\n".join(lines)
        sigs = MinHash.bulk([_shingles(lines[i]) for i in idx], num_perm=NUM_PERM, seed=1)
        lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM, params=params)
        drop: set[int] = set()
        for i, sig in zip(idx, sigs, strict=True):
            for j in lsh.query(sig):
                if fuzz.ratio(lines[i], lines[j], score_cutoff=90):
                    drop.add(i)
                    break
            else:
                lsh.insert(i, sig)
        return "\n".join(line for i, line in enumerate(lines) if i not in drop)

    return pipeline


def _make_cleaner(**options: Any) -> TextFn:
    import cleaner

    c = cleaner.Cleaner(cleaner.CleanerConfig(**options))

    def clean(text: str) -> str:
        return c.clean(text).text

    return clean


def make_cleaner_full() -> TextFn:
    """cleaner.clean_text with the default settings (rules + dedup)."""
    import cleaner

    clean_text: TextFn = cleaner.clean_text
    return clean_text


def make_cleaner_full_python() -> TextFn:
    """cleaner with the default settings and the C core switched off around each call: its
    pure-Python twins, the same output (CLEANER_NATIVE=0 does this for a whole process)."""
    import cleaner
    from cleaner import _accel

    c = cleaner.Cleaner()

    def clean(text: str) -> str:
        saved = _accel.native
        _accel.native = None
        try:
            return c.clean(text).text
        finally:
            _accel.native = saved

    return clean


def make_cleaner_dedup() -> TextFn:
    """cleaner.Cleaner(rules=False): duplicates only."""
    return _make_cleaner(rules=False)


def make_cleaner_rules() -> TextFn:
    """cleaner.Cleaner(dedup=False): boilerplate rules only."""
    return _make_cleaner(dedup=False)


@dataclass
class Variant:
    name: str
    group: str  # "floor" | "peer" | "cleaner"
    factory: Callable[[], TextFn]
    modules: tuple[str, ...] = ()
    slow: bool = False
    reference: str = ""  # the reference ratio, for the table

    @property
    def description(self) -> str:
        return (self.factory.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


VARIANTS = [
    Variant("floor", "floor", make_identity),
    Variant("exact_set", "peer", make_exact_set, reference="7.5"),
    Variant("regex_100_lines", "peer", make_regex_lines, reference="1.9"),
    Variant("trafilatura_duplicate_test", "peer", make_trafilatura, ("trafilatura",), False, "5.1"),
    Variant("datatrove_c4", "peer", make_c4, ("datatrove", "spacy"), True, "111-220"),
    Variant(
        "datatrove_gopher_rep", "peer", make_gopher_rep, ("datatrove", "spacy"), True, "111-220"
    ),
    Variant("datatrove_fineweb", "peer", make_fineweb, ("datatrove", "spacy"), True, "111-220"),
    Variant("minhash_update", "peer", make_minhash_update, ("datasketch",), True, "113-175"),
    Variant("minhash_bulk", "peer", make_minhash_bulk, ("datasketch",), False, "32"),
    Variant(
        "rapidfuzz_ratio_all_pairs",
        "peer",
        make_rapidfuzz_ratio,
        ("rapidfuzz", "numpy"),
        False,
        "5.7",
    ),
    Variant(
        "rapidfuzz_partial_all_pairs",
        "peer",
        make_rapidfuzz_partial,
        ("rapidfuzz", "numpy"),
        True,
        "563",
    ),
    Variant(
        "minhash_rapidfuzz_regex_pipeline",
        "peer",
        make_pipeline,
        ("datasketch", "rapidfuzz"),
        False,
        "21",
    ),
    Variant("cleaner_full", "cleaner", make_cleaner_full, ("cleaner",), False, "target <= 6"),
    Variant("cleaner_full_python", "cleaner", make_cleaner_full_python, ("cleaner",)),
    Variant("cleaner_dedup_only", "cleaner", make_cleaner_dedup, ("cleaner",)),
    Variant("cleaner_rules_only", "cleaner", make_cleaner_rules, ("cleaner",)),
]


@dataclass
class Measured:
    variant: Variant
    docs: int
    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)
    chars_in: int = 0
    chars_out: int = 0
    skipped: str | None = None
    fn: TextFn | None = None


def run_loop(
    corpus: Path, n: int, fn: TextFn, out_path: Path, start: int = 0
) -> tuple[float, float, int, int]:
    """The timed loop: read, json.loads, fn(text), json.dumps, write, over the ``n``
    documents from the ``start``-th.

    Returns (wall s, CPU s of this process, chars in, chars out).
    """
    chars_in = chars_out = 0
    loads, dumps = json.loads, json.dumps
    c0 = time.process_time()
    t0 = time.perf_counter()
    with corpus.open(encoding="utf-8") as fin, out_path.open("w", encoding="utf-8") as fout:
        for line in itertools.islice(fin, start, start + n):
            rec = loads(line)
            text = rec["text"]
            new = fn(text)
            rec["text"] = new
            fout.write(dumps(rec, ensure_ascii=False))
            fout.write("\n")
            chars_in += len(text)
            chars_out += len(new)
    return time.perf_counter() - t0, time.process_time() - c0, chars_in, chars_out


def _selected(name: str, group: str, patterns: list[str] | None) -> bool:
    if name == "floor" or not patterns:
        return True
    return any(
        fnmatch.fnmatch(name, p) or p in (name, group) or name.startswith(p) for p in patterns
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=common.DEFAULT_CORPUS)
    ap.add_argument("-n", "--docs", type=int, default=20000, help="documents (default 20000)")
    ap.add_argument(
        "--slow-n",
        type=int,
        default=1000,
        help="documents for the slow peers (datatrove, MinHash update, partial_ratio)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds; the minimum is kept")
    ap.add_argument(
        "--only",
        default=None,
        help="comma-separated variant names, prefixes, globs or groups "
        "(peer, cleaner); the floor always runs. E.g. --only cleaner",
    )
    ap.add_argument("--skip", default=None, help="comma-separated variant names/globs to skip")
    ap.add_argument(
        "--json",
        type=Path,
        default=None,
        help="results file (default benchmarks/results/speed.json)",
    )
    ap.add_argument("--list", action="store_true", help="list the variants and exit")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.list:
        for v in VARIANTS:
            print(f"{v.name:<34} {v.group:<8} {'slow ' if v.slow else ''}{v.description}")
        return 0
    common.require_file(a.corpus, "corpus")
    only = [p.strip() for p in a.only.split(",")] if a.only else None
    skip = [p.strip() for p in a.skip.split(",")] if a.skip else []
    n_docs = sum(1 for _ in itertools.islice(a.corpus.open(encoding="utf-8"), a.docs))
    slow_n = min(a.slow_n, n_docs)
    machine = common.machine_info()

    measured: list[Measured] = []
    for v in VARIANTS:
        if not _selected(v.name, v.group, only) or any(fnmatch.fnmatch(v.name, p) for p in skip):
            continue
        m = Measured(v, slow_n if v.slow else n_docs)
        missing = [mod for mod in v.modules if not common.has_module(mod)]
        if missing:
            m.skipped = f"not importable: {', '.join(missing)} (run benchmarks/setup_peers.sh)"
        else:
            try:
                m.fn = v.factory()
                for _, text in common.read_texts(a.corpus, 5):  # warm up (caches, lazy loads)
                    m.fn(text)
            except Exception as exc:  # a broken peer is reported, never fatal
                m.skipped = f"failed to set up: {type(exc).__name__}: {exc}"
        if m.skipped:
            print(f"skip {v.name}: {m.skipped}", file=sys.stderr)
        measured.append(m)

    floors: dict[int, list[float]] = {}
    cpu_floors: dict[int, list[float]] = {}
    sizes = sorted(
        {m.docs for m in measured if m.fn is not None and m.variant.group != "floor"} | {n_docs}
    )
    identity = make_identity()
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as tmp:
        out_path = Path(tmp) / "out.jsonl"
        for rnd in range(a.repeat):
            for size in sizes:
                seconds, cpu, _, _ = run_loop(a.corpus, size, identity, out_path)
                floors.setdefault(size, []).append(seconds)
                cpu_floors.setdefault(size, []).append(cpu)
            for m in measured:
                if m.fn is None:
                    continue
                if m.variant.group == "floor":
                    m.times.append(floors[m.docs][-1])
                    m.cpu_times.append(cpu_floors[m.docs][-1])
                    continue
                seconds, cpu, m.chars_in, m.chars_out = run_loop(a.corpus, m.docs, m.fn, out_path)
                m.times.append(seconds)
                m.cpu_times.append(cpu)
                print(
                    f"round {rnd + 1}/{a.repeat} {m.variant.name:<34} {m.docs:>6} docs "
                    f"{seconds:8.2f} s",
                    file=sys.stderr,
                )

    floor_min = {size: min(ts) for size, ts in floors.items()}
    cpu_floor_min = {size: min(ts) for size, ts in cpu_floors.items()}
    rows: list[dict[str, Any]] = []
    for m in measured:
        row: dict[str, Any] = {
            "name": m.variant.name,
            "group": m.variant.group,
            "description": m.variant.description,
            "reference_ratio": m.variant.reference or None,
            "docs": m.docs,
        }
        if m.fn is None:
            row["skipped"] = m.skipped
        else:
            best = min(m.times)
            row.update(
                seconds_min=round(best, 4),
                seconds_all=[round(t, 4) for t in m.times],
                floor_seconds=round(floor_min[m.docs], 4),
                ratio_to_floor=round(best / floor_min[m.docs], 2),
                cpu_seconds_min=round(min(m.cpu_times), 4),
                cpu_ratio_to_floor=round(min(m.cpu_times) / cpu_floor_min[m.docs], 2),
                us_per_doc=round(best / m.docs * 1e6, 1),
                removed_char_share=(round(1 - m.chars_out / m.chars_in, 4) if m.chars_in else None),
            )
        rows.append(row)

    full = next((r for r in rows if r["name"] == "cleaner_full" and "ratio_to_floor" in r), None)
    result = {
        "benchmark": "speed",
        "machine": machine,
        "loadavg_end": list(os.getloadavg()),
        "versions": common.package_versions(
            ["cleaner", "trafilatura", "datatrove", "datasketch", "rapidfuzz", "regex", "spacy"]
        ),
        "args": {
            "corpus": str(a.corpus),
            "docs": n_docs,
            "slow_docs": slow_n,
            "repeat": a.repeat,
            "only": a.only,
            "skip": a.skip,
        },
        "floor_seconds": {str(k): [round(t, 4) for t in v] for k, v in floors.items()},
        "floor_cpu_seconds": {str(k): [round(t, 4) for t in v] for k, v in cpu_floors.items()},
        "variants": rows,
        "targets": {
            "cleaner_full_ratio": full["ratio_to_floor"] if full else None,
            "cleaner_full_cpu_ratio": full["cpu_ratio_to_floor"] if full else None,
            "cleaner_full_le_6x": (full["ratio_to_floor"] <= 6) if full else None,
            "cleaner_full_le_4x_stretch": (full["ratio_to_floor"] <= 4) if full else None,
        },
    }
    path = common.write_json(result, a.json, "speed.json")

    table = []
    for r in rows:
        if "skipped" in r:
            table.append(
                [
                    r["name"],
                    str(r["docs"]),
                    "-",
                    "-",
                    "skipped",
                    "-",
                    r["reference_ratio"] or "",
                    "-",
                ]
            )
            continue
        share = r["removed_char_share"]
        table.append(
            [
                r["name"],
                str(r["docs"]),
                f"{r['seconds_min']:.2f}",
                f"{r['us_per_doc']:.0f}",
                f"{r['ratio_to_floor']:.2f}",
                f"{r['cpu_ratio_to_floor']:.2f}",
                r["reference_ratio"] or "",
                f"{share * 100:.1f}" if share is not None else "-",
            ]
        )
    print(
        common.markdown_table(
            [
                "variant",
                "docs",
                "s (min)",
                "µs/doc",
                "× floor",
                "× floor (CPU)",
                "issue ref",
                "removed %",
            ],
            table,
        )
    )
    print(
        f"floor: {', '.join(f'{k} docs {v:.3f} s' for k, v in sorted(floor_min.items()))}; "
        f"loadavg {machine['loadavg']} -> {result['loadavg_end']}"
    )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
