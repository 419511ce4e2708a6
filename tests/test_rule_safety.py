"""The built-in rules against catastrophic backtracking.

The engine runs the line-start and trailing rules of the built-in packs without the
per-call ``regex`` time budget (``rule_timeout_seconds`` costs two CPU-clock system calls
per match, more than most matches themselves); these tests are what earns them that. Each
rule, as the engine compiles it, is run on strings built to make a backtracking matcher
blow up — its own examples and counter-examples with a piece of them repeated up to the
rule's ``max_chars`` (the longest text the engine ever gives it), then a character that
makes the match fail, and runs of spaces, letters, digits and punctuation — and every
match must finish within :data:`BUDGET` (some twenty times what the slowest rule takes on
its worst string, and each string is tried twice, so that a blow-up fails it, not a busy
machine). Packs from files stay timed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from cleaner.rules import builtin_pack_names, load_builtin_pack
from cleaner.rules.model import Rule

BUDGET = 0.1  # seconds per match; the slowest built-in rule takes ~5 ms on its worst string

_RUNS = (" ", "\t", "a", "A", "1", ". ", "a ", "A ", "1 ", "- ", "ab ", "| ", "a.", ": ",
         "#", "•", "“", "é", "中", "@a ", "a, ", "1:", "12 ", "at ", "on ")  # fmt: skip
_ENDS = ("", "!", "\x00")


def attack_strings(rule: Rule) -> list[str]:
    """Strings up to ``rule.max_chars`` long that make a backtracking matcher try many
    ways to split them: each example with one of its pieces (1-6 characters) repeated
    to the length limit, then an ending that makes the match fail; runs of one shape."""
    limit = rule.max_chars
    found: set[str] = set()

    def add(head: str, piece: str, end: str) -> None:
        times = max(1, (limit - len(head) - len(end)) // len(piece))
        found.add((head + piece * times + end)[:limit])

    for run in _RUNS:
        for end in _ENDS:
            add("", run, end)
    for seed in rule.examples + rule.counter_examples:
        for i in range(len(seed)):
            for size in (1, 2, 3, 4, 6):
                if i + size <= len(seed):
                    for end in _ENDS:
                        add(seed[:i], seed[i : i + size], end)
    return sorted(found)


def _slow_matches(rule: Rule, budget: float) -> Iterator[str]:
    """The attack strings on which one of the rule's patterns, as the engine runs them,
    ran past ``budget`` (tried twice, so that a busy machine alone does not fail it)."""
    patterns = []
    if rule.scope != "inline":
        patterns.append(rule._start)  # line starts (after bullets and brackets)
    if rule.scope == "trailing":
        patterns.append(rule._compiled)  # sentence starts inside a line
    for text in attack_strings(rule):
        for pattern in patterns:
            for attempt in range(2):
                try:
                    pattern.match(text, 0, len(text), timeout=budget)
                    break
                except TimeoutError:
                    if attempt:
                        yield text


@pytest.mark.parametrize("pack", builtin_pack_names())
def test_no_builtin_rule_backtracks_catastrophically(pack: str) -> None:
    slow = [
        f"{rule.id}: {text[:60]!r}... ({len(text)} characters)"
        for rule in load_builtin_pack(pack).rules
        for text in _slow_matches(rule, BUDGET)
    ]
    assert not slow, "catastrophic backtracking:\n" + "\n".join(slow[:10])


def test_the_attack_finds_catastrophic_backtracking() -> None:
    # the shape of a pattern this check once caught in a built-in rule (zh, 245 ms on a
    # line of 157 characters): pieces of 1-10 characters that spaces may, but need not,
    # part, so that a run of characters splits in very many ways before a failing end
    rule = Rule(
        "t/share",
        "share widget",
        "line",
        r"分享(?:到|至)?(?:\s*[:：])?(?:\s*\S{1,10}){0,9}",
        max_chars=160,
        examples=("分享到：微信 微博",),
    )
    assert next(_slow_matches(rule, 0.05), None) is not None
    # the same language written so that a run splits one way only: no slow string
    fixed = dataclasses.replace(rule, pattern=r"分享(?:到|至)?(?:\s*[:：])?(?:\s*+\S{1,10}+){0,9}")
    assert not list(_slow_matches(fixed, 0.05))
    assert fixed.matches("分享到：微信 微博") == rule.matches("分享到：微信 微博") == (0, 9)


def test_the_attack_strings_respect_the_length_limit() -> None:
    rule = load_builtin_pack("en").rules[0]
    texts = attack_strings(rule)
    assert texts
    assert max(map(len, texts)) <= rule.max_chars
    assert any(text.endswith("!") for text in texts)
