"""Golden cases as data: what must go (golden.json) and what must stay (negative.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cleaner

CASES = Path(__file__).parent / "cases"
GOLDEN: list[dict[str, Any]] = json.loads((CASES / "golden.json").read_text(encoding="utf-8"))
NEGATIVE: list[dict[str, Any]] = json.loads((CASES / "negative.json").read_text(encoding="utf-8"))
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("case", GOLDEN, ids=[c["name"] for c in GOLDEN])
def test_golden(case: dict[str, Any]) -> None:
    result = cleaner.clean(case["input"], **case["config"])
    assert result.text == case["expected"]
    assert sorted(r.reason.value for r in result.removals) == sorted(case["reasons"])
    assert result.replay() == result.text


@pytest.mark.parametrize("case", NEGATIVE, ids=[c["name"] for c in NEGATIVE])
def test_negative_cases_do_not_change(case: dict[str, Any]) -> None:
    result = cleaner.clean(case["text"])
    assert result.removals == (), result.explain()
    assert result.text == case["text"]


def test_founding_article_duplicates() -> None:
    """Duplicate removal alone takes lines 15 and 16 of the founding article, nothing else."""
    src = (EXAMPLES / "seed_article.txt").read_text(encoding="utf-8")
    want = (EXAMPLES / "seed_article.clean.txt").read_text(encoding="utf-8").strip().splitlines()
    result = cleaner.clean(src, rules=False)
    lines = src.splitlines()
    expected = [line for n, line in enumerate(lines, 1) if n not in (15, 16)]
    assert result.text.splitlines() == expected
    assert [line for line in expected if not line.startswith("READ MORE")] == want
    assert {r.line + 1 for r in result.removals} == {15, 16}
    by_reason = sorted(r.reason.value for r in result.removals)
    assert by_reason == ["contained", "exact_duplicate", "exact_duplicate"]
    contained = next(r for r in result.removals if r.reason is cleaner.Reason.CONTAINED)
    assert contained.duplicate_of is not None
    assert contained.duplicate_of.text.startswith("Mr Erdogan has said Turkey, which shares")


def test_founding_article_full_clean() -> None:
    """With the rules, the founding article comes out exactly as its clean version."""
    src = (EXAMPLES / "seed_article.txt").read_text(encoding="utf-8")
    want = (EXAMPLES / "seed_article.clean.txt").read_text(encoding="utf-8")
    result = cleaner.clean(src)
    assert result.text.strip().splitlines() == want.strip().splitlines()
    rules = [r for r in result.removals if r.reason is cleaner.Reason.BOILERPLATE]
    assert [r.text for r in rules] == [
        "READ MORE: Russian President facing humiliation after ‘accepting’ NATO change"
    ]
