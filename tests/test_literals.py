"""The strings a rule's matches must contain (cleaner.rules.literals): necessary, never a
guess, so a rule's hint only ever saves time."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import EXAMPLES

from cleaner.rules import Rule
from cleaner.rules.literals import _PROPERTY, fold_for_hints, required_literals
from cleaner.rules.model import builtin_pack_names, load_builtin_pack

ALL_RULES = [rule for name in builtin_pack_names() for rule in load_builtin_pack(name).rules]
# the built-in rules whose hints are read off their pattern (not given by hand)
DERIVED = [r for r in ALL_RULES if not r.contains and r.hints]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("read more", ("read more",)),
        ("READ MORE", ("read more",)),  # (casefolded)
        (r"(?:also\s+)?(?:read|watch)\s+more", ("more",)),  # (the better factor)
        (r"(?:also\s+)?(?:read|watch)\s+it", ("watch", "read")),
        (r"(?:foo)?newsletter", ("newsletter",)),  # an optional part requires nothing
        (r"(?:\S+\s+){0,3}newsletter\s*$", ("newsletter",)),
        # (the parser takes a common first letter out of the alternatives)
        (r"(?:sign\s+up|subscribe)(?:\s+now)?", ("ubscribe", "ign")),
        (r"(?:\w+|newsletter)", None),  # an alternative that requires nothing
        (r"(?:newsletter)*", None),  # a repeat that may not happen
        (r"(?:news){2,}", ("news",)),
        (r"(?=newsletter)\w+", None),  # a lookahead holds nothing of the match
        (r"(?<=foot)\w+ball", ("ball",)),  # nor does a lookbehind
        (r"[Nn]ewsletter", ("ewsletter",)),  # a class is no literal
        (r"(?>abonnez)-vous", ("abonnez",)),
        (r"\p{L}+ newsletter", (" newsletter",)),  # a property: one character of a class
        (r"[\p{L}\d]+ news", (" news",)),
        (r"[[:alpha:]]+ newsletter", None),  # POSIX classes: read otherwise by re
        (r"(?:newsletter){e<=1}", None),  # fuzzy matching: the text is approximate
        (r"newsletter\\{e<=1}", None),  # (an escaped backslash, then a fuzzy constraint)
        (r"(?|a(b)|c(d))", None),  # the regex module's syntax alone
        (r"\w+\s+ago", ("ago",)),
        (r"\w+\s+on", None),  # nothing of three characters or more
        (r"(?:ab|cd|ef)", None),
        ("|".join(f"w{k:03d}" for k in range(40)), None),  # too many to be worth a test
    ],
)
def test_required_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == expected


def test_fold_for_hints_reads_the_dotted_and_dotless_i_as_matching_does() -> None:
    # a pattern's "i" matches "İ" (casefolded: "i" and a combining dot), its "I" matches "ı"
    assert regex.match("(?i)ilgili", "İLGİLİ")
    assert regex.match("(?i)MAIL", "maıl")
    assert "ilgili" not in "İLGİLİ".casefold()
    assert "ilgili" in fold_for_hints("İLGİLİ")
    assert "mail" in fold_for_hints("MAıL")
    assert fold_for_hints("Straße İstanbul") == "strasse istanbul"


def test_casefold_agrees_with_case_insensitive_matching_but_for_the_two_i() -> None:
    """The premise of comparing hints casefolded: a character a case-insensitive pattern
    character matches casefolds as that character does, but for İ and ı (which
    :func:`fold_for_hints` reads as ``i``). Checked over every code point."""
    bad = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        x = chr(cp)
        for y in {c for f in (str.lower, str.upper, str.title, str.casefold) for c in f(x)}:
            if (
                y != x
                and regex.fullmatch("(?i)" + regex.escape(y), x)
                and fold_for_hints(x) != fold_for_hints(y)
            ):
                bad.append((x, y))
    assert bad == []


def test_every_builtin_rule_example_holds_one_of_its_hints() -> None:
    missed = [
        (rule.id, example)
        for rule in ALL_RULES
        if rule.hints
        for example in rule.examples
        if not any(h in fold_for_hints(example) for h in rule.hints)
    ]
    assert missed == []
    assert len(DERIVED) > 60  # (most rules without a hand-made one get one)


@settings(
    max_examples=max(EXAMPLES * 2, 300),
    deadline=None,
    derandomize=EXAMPLES <= 150,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_every_match_of_a_builtin_rule_holds_one_of_its_derived_hints(data: st.DataObject) -> None:
    """Text made to match a rule's pattern (in any case, with Turkish dotted capitals)
    holds one of the strings read off the pattern."""
    rule = data.draw(st.sampled_from(DERIVED), label="rule")
    readable = _PROPERTY.sub(".", rule.pattern)
    try:
        strategy = st.from_regex(re.compile(readable, re.IGNORECASE), fullmatch=True)
        text = data.draw(strategy, label="text")
    except Exception:  # (a pattern Hypothesis cannot generate from)
        return
    compiled = regex.compile(rule.pattern, rule.flags)
    for variant in (text, text.upper(), text.upper().replace("I", "İ"), text.title()):
        if compiled.fullmatch(variant) is not None:
            folded = fold_for_hints(variant)
            assert any(h in folded for h in rule.hints), (rule.id, variant, rule.hints)


def test_a_rule_given_contains_keeps_it_and_one_without_reads_its_pattern() -> None:
    given_hint = Rule("t/a", "d", "line", r"(?:\S+\s+){0,3}newsletter", contains=["News"])
    derived = Rule("t/b", "d", "line", r"(?:\S+\s+){0,3}newsletter")
    none = Rule("t/c", "d", "line", r"\w+\s+on")
    assert (given_hint.hints, derived.hints, none.hints) == (("news",), ("newsletter",), ())
