"""The HTML report: self-contained, highlights and charts, checked in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import cleaner
from cleaner.batch import BatchStats, Outcome
from cleaner.cli import EXIT_OK, main
from cleaner.report import ReportDocument, render_report

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--log-level=3",
]

PROMO = "READ MORE: Council tax to rise again <next year> & more"
TEXT = (
    "The council approved the new budget on Tuesday evening after a long debate.\n"
    f"{PROMO}\n"
    "The council approved the new budget on Tuesday evening after a long debate."
)


def _hand_made() -> tuple[ReportDocument, BatchStats]:
    """A document with one boilerplate and one duplicate removal, built from real Removals."""
    promo_start = TEXT.index(PROMO)
    dup_start = TEXT.rindex("The council")
    removals = [
        cleaner.Removal(
            promo_start, promo_start + len(PROMO), PROMO, cleaner.Reason.BOILERPLATE, "line", 1,
            "rule", rule_id="en/read-more", detail="a 'read more' promo line",
        ),
        cleaner.Removal(
            dup_start, len(TEXT), TEXT[dup_start:], cleaner.Reason.EXACT_DUPLICATE, "line", 2,
            "exact", duplicate_of=cleaner.Span(0, 76, TEXT[:76]), detail="line 3 repeats line 1",
        ),
    ]  # fmt: skip
    result = cleaner.CleanResult(TEXT, TEXT[:76], tuple(removals), "en")
    stats = BatchStats()
    st = result.stats
    stats.add(
        Outcome(1, b"", None, "a1", len(TEXT), st["chars_removed"], st["by_reason"], st["by_rule"])
    )
    stats.add(Outcome(2, b"", None, "a2", 100, 0, {}, {}))
    doc = ReportDocument("in.jsonl", 1, "a1", TEXT, "en", [r.to_dict() for r in removals])
    return doc, stats


def test_page_is_self_contained_and_escaped() -> None:
    doc, stats = _hand_made()
    page = render_report([doc], stats, cleaner.CleanerConfig(), title="t <x>")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched
    assert "<link" not in page
    assert "@import" not in page
    assert "<title>t &lt;x&gt;</title>" in page
    assert "&lt;next year&gt; &amp; more" in page  # document text is escaped
    assert page.count('<mark class="rm r-boilerplate"') == 1
    assert page.count('<mark class="rm r-exact_duplicate"') == 1
    assert "en/read-more" in page
    assert 'id="chart-reason"' in page
    assert 'id="chart-rule"' in page
    assert 'id="chart-share"' in page


def _browser_or_skip() -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    return sync_api


def _records(n: int) -> list[dict[str, Any]]:
    """The first ``n`` documents of the team's dev set, or variants of the seed article."""
    dev = REPO_ROOT.parent / "shared" / "eval" / "injected_dev.jsonl"
    if not dev.is_file():  # outside the team's machine: the seed article, cut differently
        lines = (REPO_ROOT / "examples" / "seed_article.txt").read_text("utf-8").splitlines()
        return [{"id": str(i), "body": "\n".join(lines[i % 5 :])} for i in range(n)]
    with open(dev, encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(n), handle, strict=False)]
    return [{"id": r["id"], "body": r["input"]} for r in rows]


@pytest.mark.browser
def test_report_in_headless_chromium(tmp_path: Path) -> None:
    sync_api = _browser_or_skip()
    records = _records(60)
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    page_path = tmp_path / "report.html"
    code = main(
        ["report", str(src), "-o", str(page_path), "--text-key", "body", "--sample", "25", "-q"]
    )
    assert code == EXIT_OK
    html = page_path.read_text(encoding="utf-8")
    assert html.count("<article class=") == 25

    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")

        marks = page.locator("mark.rm")
        assert marks.count() > 0
        bars = page.locator("#chart-reason svg rect")
        assert bars.count() == len(_reasons(records))  # one bar per reason
        assert page.locator("#chart-share svg rect.bin").count() == 20
        # reasons on hover: the tooltip shows the hovered span's reason
        first = marks.first
        first.scroll_into_view_if_needed()
        first.hover()
        tip = page.locator("#tip")
        assert tip.is_visible()
        assert first.get_attribute("data-reason") in tip.inner_text()
        # the filter works: "only changed" hides unchanged documents
        page.locator("#only-changed").check()
        changed = page.locator('article.doc[data-changed="1"]').count()
        assert page.locator("#shown").inner_text() == f"{changed} shown"

        page.locator("#only-changed").uncheck()
        page.evaluate("window.scrollTo(0, 0)")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        keep = os.environ.get("CLEANER_REPORT_SCREENSHOT")
        if keep:  # for a human look: CLEANER_REPORT_SCREENSHOT=/tmp/report.png pytest ...
            shutil.copy(shot, keep)
            marks.first.scroll_into_view_if_needed()
            marks.first.hover()
            page.screenshot(path=keep.replace(".png", "-docs.png"))
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)  # no network at all


def _reasons(records: list[dict[str, Any]]) -> set[str]:
    library = cleaner.Cleaner()
    return {r.reason.value for rec in records for r in library.clean(rec["body"]).removals}


@pytest.mark.browser
def test_hand_made_report_highlights_both_reasons_in_chromium(tmp_path: Path) -> None:
    sync_api = _browser_or_skip()
    doc, stats = _hand_made()
    page_path = tmp_path / "r.html"
    page_path.write_text(render_report([doc], stats, cleaner.CleanerConfig()), encoding="utf-8")
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_path.as_uri())
        promo = page.locator("mark.r-boilerplate")
        assert promo.inner_text().endswith(PROMO)
        promo.hover()
        assert "en/read-more" in page.locator("#tip").inner_text()
        assert page.locator("#chart-rule svg g.bar").count() == 1
        assert page.locator("#chart-reason svg g.bar").count() == 2
        browser.close()
    assert errors == []


def test_report_counts_and_sets_aside_bad_records(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in _records(6)]
    lines.insert(2, '{"id": "bad", "body": 7}')
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page, rejects = tmp_path / "r.html", tmp_path / "rej.jsonl"
    args = ["report", str(src), "-o", str(page), "--text-key", "body", "--sample", "0", "-q"]
    assert main(args) == 1  # --on-error fail: no page
    assert not page.exists()
    assert main([*args, "--on-error", "skip", "--rejects", str(rejects)]) == 3
    html = page.read_text(encoding="utf-8")
    assert html.count("<article class=") == 6  # --sample 0: every good record
    assert f"{src}:3: field &#x27;body&#x27; is int, expected a string" in html
    assert rejects.read_text(encoding="utf-8") == '{"id": "bad", "body": 7}\n'
