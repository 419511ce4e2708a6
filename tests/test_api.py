"""The public API: inputs, results, explanations, config."""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable

import pytest

import cleaner
from cleaner import CleanerConfig, ConfigError, Reason
from cleaner.rules.engine import RuleHit

DUP = (
    "The storm knocked out power to thousands of homes across the region.\n"
    "Crews worked through Monday to restore the lines in the hardest-hit towns.\n"
    "The storm knocked out power to thousands of homes across the region."
)


def test_bytes_and_other_types_are_refused_with_advice() -> None:
    with pytest.raises(TypeError, match="decode first"):
        cleaner.clean(b"some bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got int"):
        cleaner.clean_text(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_empty_and_whitespace_give_an_empty_result(text: str) -> None:
    result = cleaner.clean(text)
    assert result.text == ""
    assert result.removals == ()
    assert result.original == text


def test_result_explains_every_removal() -> None:
    result = cleaner.clean(DUP)
    assert result.text == "\n".join(DUP.splitlines()[:2])
    (removal,) = result.removals
    assert removal.reason is Reason.EXACT_DUPLICATE
    assert removal.unit == "line"
    assert removal.line == 2
    assert DUP[removal.start : removal.end] == removal.text
    assert removal.duplicate_of is not None
    assert DUP[removal.duplicate_of.start : removal.duplicate_of.end] == removal.duplicate_of.text
    table = result.explain()
    assert "line 3, line, exact_duplicate" in table
    assert "repeats: The storm knocked out power" in table


def test_to_dict_is_json_safe_and_round_trips() -> None:
    result = cleaner.clean(DUP)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["text"] == result.text
    assert data["stats"]["by_reason"] == {"exact_duplicate": 1}
    rebuilt = [cleaner.Removal.from_dict(r) for r in data["removals"]]
    assert tuple(rebuilt) == result.removals


def test_cleaner_object_is_reusable_and_matches_functions() -> None:
    c = cleaner.Cleaner(CleanerConfig(rules=False))
    assert c.clean_text(DUP) == cleaner.clean_text(DUP, rules=False)
    assert [r.text for r in c.clean_many([DUP, "x"])] == [c.clean_text(DUP), "x"]
    assert cleaner.Cleaner(min_score=95).config.min_score == 95.0


def test_the_functions_compile_a_configuration_once() -> None:
    from cleaner import api

    default = api._resolve(None, {})
    assert api._resolve(CleanerConfig(), {}) is default  # the defaults, however given
    assert api._resolve(CleanerConfig(min_score=95), {}) is api._resolve(None, {"min_score": 95})
    assert api._resolve(None, {"min_score": 95}) is not default
    assert cleaner.clean_text(DUP) == default.clean_text(DUP)


def test_dedup_can_be_switched_off() -> None:
    assert cleaner.clean_text(DUP, dedup=False, rules=False) == DUP


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_score": 101}, "between 0 and 100"),
        ({"keep": "last"}, "keep must be one of"),
        ({"lsh_threshold": 0}, "lsh_threshold"),
        ({"min_sentence_words": 0}, "at least 1"),
        ({"rule_timeout_seconds": -1}, "positive"),
        ({"rules": "yes"}, "true or false"),
    ],
)
def test_bad_options_say_what_to_do(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        CleanerConfig(**options)  # type: ignore[arg-type]


def test_unknown_option_suggests_the_right_name() -> None:
    with pytest.raises(ConfigError, match="did you mean 'min_score'"):
        CleanerConfig().replace(min_scor=3)


def test_config_from_toml(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "c.toml"
    path.write_text('min_score = 95\nkeep = "longest"\ndisabled_rules = ["en/read-more"]\n')
    cfg = CleanerConfig.from_toml(path)
    assert (cfg.min_score, cfg.keep, cfg.disabled_rules) == (95.0, "longest", ("en/read-more",))
    path.write_text("min_scor = 95\n")
    with pytest.raises(ConfigError, match=r"c\.toml: unknown option"):
        CleanerConfig.from_toml(path)


def test_crlf_and_separators_survive() -> None:
    text = DUP.replace("\n", "\r\n") + "\r\n"
    out = cleaner.clean_text(text)
    assert out == "\r\n".join(DUP.splitlines()[:2]) + "\r\n"


def test_partial_line_keeps_its_new_sentences() -> None:
    text = (
        "Prices rose sharply in March as fuel costs climbed across the country.\n\n"
        "New text stays here. Prices rose sharply in March as fuel costs climbed across "
        "the country. More new text stays too."
    )
    out = cleaner.clean_text(text)
    assert out.endswith("New text stays here. More new text stays too.")


def test_removed_copies_point_at_kept_text() -> None:
    result = cleaner.clean(DUP + "\n" + DUP)
    kept = result.text
    for r in result.removals:
        assert r.duplicate_of is not None
        assert r.duplicate_of.start < r.start
        assert r.duplicate_of.text in kept


_HEADING = "This has opened the way for the new library on Market Street"
_PLAN = (
    "The mayor will present the plan at the town hall today ahead of a public vote "
    "which will decide the future of the old depot."
)
_ARRIVAL = (
    "The 45-year-old mayor arrived at the hall yesterday evening and will spend the day "
    "meeting residents, who hope to hear more later today. " + _HEADING
)
# (copies that only count as copies once the others are gone: the second look finds them)
SECOND_LOOK = [
    "The city council met this morning to approve the budget for the coming year after "
    "weeks of debate among members",
    _HEADING,
    _PLAN,
    _HEADING + ".",
    _HEADING.replace("This has", "This  has"),
    "t" + _PLAN[1:],
    _ARRIVAL,
    _ARRIVAL.replace("The 45", "The  45"),
]


@pytest.mark.parametrize("separator", ["\n", "\n\n", "\n \n\n"])
def test_explanations_name_the_lines_of_the_input(separator: str) -> None:
    # blank lines count, and so do lines that an earlier removal took (the second look
    # searches the text without them, but its explanations name the input's lines)
    text = separator.join(SECOND_LOOK)
    result = cleaner.clean(text, language="en")
    assert len(result.removals) == 5
    later = [r for r in result.removals if "once the other repeats were gone" in r.detail]
    assert len(later) == 3
    for r in result.removals:
        assert r.duplicate_of is not None
        named = [int(n) for n in re.findall(r"line (\d+)", r.detail)]
        assert named == [
            text.count("\n", 0, r.start) + 1,
            text.count("\n", 0, r.duplicate_of.start) + 1,
        ], r.detail
        assert named[0] == r.line + 1
        # a line that goes whole is a line removal, whichever look found it
        line_start = text.rfind("\n", 0, r.start) + 1
        line_end = text.find("\n", r.end) if "\n" in text[r.end :] else len(text)
        whole = r.start == line_start and r.end == line_end
        assert r.unit == ("line" if whole else "span"), r
    assert result.text == separator.join(
        [SECOND_LOOK[0], _HEADING, _PLAN, _ARRIVAL.removesuffix(" " + _HEADING)]
    )


def test_rules_written_in_code_join_the_builtin_packs() -> None:
    from cleaner.rules import pack_from_dict

    site = pack_from_dict(
        {
            "pack": {"name": "mysite"},
            "rules": [
                {
                    "id": "tip-line",
                    "description": "The site's tip line",
                    "scope": "line",
                    "phrases": ["Got a news tip? Email us"],
                    "examples": ["Got a news tip? Email us."],
                }
            ],
        }
    )
    text = "The vote passed after a long debate.\nGot a news tip? Email us.\nREAD MORE: Other news"
    result = cleaner.Cleaner(packs=[site], language="en").clean(text)
    assert result.text == "The vote passed after a long debate."
    assert [r.rule_id for r in result.removals] == ["mysite/tip-line", "en/read-more"]


@pytest.mark.parametrize("cls", [cleaner.Span, cleaner.Removal, cleaner.CleanResult, RuleHit])
def test_the_result_types_are_built_as_their_dataclass_fields_say(cls: type) -> None:
    """cleaner._frozen.fast_init's __init__: the fields, in order, with their defaults."""
    import dataclasses
    import inspect
    import pickle

    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default is f.default
        elif f.default_factory is dataclasses.MISSING:
            assert p.default is inspect.Parameter.empty
    values = {f.name: f"{f.name}-value" for f in fields}
    made = cls(**values)
    assert made == cls(*values.values())
    assert vars(made) == values
    assert pickle.loads(pickle.dumps(made)) == made
    changed = dataclasses.replace(made, **{fields[0].name: "other"})
    assert getattr(changed, fields[0].name) == "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, "no")


def test_the_result_types_keep_their_defaults() -> None:
    assert cleaner.CleanResult("a", "a").removals == ()
    assert cleaner.Removal(0, 1, "a", cleaner.Reason.BOILERPLATE, "line", 0, "rule").score == 100.0


def _cyclic_garbage_of(run: Callable[[], object]) -> int:
    """How many objects ``run()`` leaves in reference cycles (the collector paused meanwhile:
    only what refcounting cannot free is counted)."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        run()
        return gc.collect()
    finally:
        if was:
            gc.enable()


_UNSPACED_REPEATS = "\n".join(
    [
        "价格上涨了百分之五，市场反应平静。",
        "The council approved the new budget after a long debate on Tuesday evening.",
        "価格は五パーセント上昇し、市場の反応は落ち着いていた。",
        "The council approved the new budget after a long debate on Tuesday evening.",
        "价格上涨了百分之五，市场反应平静。 Photo: AP",
    ]
)


@pytest.mark.parametrize("native", [True, False])
def test_a_clean_leaves_nothing_in_reference_cycles(native: bool) -> None:
    # A cycle would keep a document's memo (every line's parts and words) alive until the
    # cyclic collector comes by: on a 10,000-paragraph document, 71,000 objects and a
    # 45 ms collection after each clean.
    from cleaner import _accel

    if native and _accel.loaded is None:
        pytest.skip("the C core is not built")
    long_doc = "\n".join(
        f"Paragraph {k % 50} of the thread says that the council met on day {k % 50} again."
        for k in range(300)
    )
    texts = ["\n".join(SECOND_LOOK), "\n\n".join(SECOND_LOOK), _UNSPACED_REPEATS, long_doc]
    saved = _accel.native
    _accel.native = _accel.loaded if native else None
    try:
        c = cleaner.Cleaner(CleanerConfig(language="en"))
        for text in texts:
            c.clean(text)  # (warm: caches that live on are no garbage)
        assert _cyclic_garbage_of(lambda: [c.clean(text) for text in texts]) == 0
    finally:
        _accel.native = saved


@pytest.mark.parametrize("where", ["start", "end"])
def test_a_heading_glued_onto_a_later_line_without_a_stop_goes(where: str) -> None:
    # a short line without a stop (a heading) that comes back stuck to the start or the end
    # of a later paragraph, no stop between: the copy goes, the paragraph stays
    heading = "Apple AirPods 2 with wireless charging case"
    paragraph = "The latest tablet drops to a new low price at several large retailers this week"
    glued = f"{heading} {paragraph}" if where == "start" else f"{paragraph} {heading}"
    text = "\n".join(
        [
            "Prices of tablets fell sharply this month as retailers cleared their stock.",
            heading,
            "Several shops also cut the prices of headphones and chargers for the holidays.",
            glued,
            "The discounts are expected to last until the end of the year in most stores.",
        ]
    )
    result = cleaner.clean(text, language="en")
    (removal,) = [r for r in result.removals if r.unit == "span"]
    assert removal.text == heading
    assert removal.line == 3
    assert removal.duplicate_of is not None
    assert removal.duplicate_of.text == heading
    assert paragraph in result.text
    assert result.text.count(heading) == 1


def test_a_repeated_sentence_goes_alone_or_with_its_whole_line() -> None:
    # step 1 finds the three repeated sentences; the one in a line with new text goes as a
    # sentence, the two of a repeated line give way to that line's removal
    first = "The council approved the new budget after a long debate on Tuesday."
    second = "Opposition members walked out before the final vote was taken."
    text = "\n".join(
        [
            f"{first} {second}",
            "Residents will see the change in their bills from April next year.",
            f"{first} The mayor called it a fair settlement for every district.",
            f"{first} {second}",
        ]
    )
    result = cleaner.clean(text, language="en")
    sentence, line = result.removals
    assert (sentence.unit, sentence.reason, sentence.method) == (
        "sentence",
        Reason.EXACT_DUPLICATE,
        "exact",
    )
    assert sentence.line == 2
    assert sentence.text == first
    assert sentence.duplicate_of is not None
    assert sentence.duplicate_of.text == first
    assert sentence.duplicate_of.start == 0
    assert sentence.detail == "sentence on line 3 repeats a sentence on line 1"
    assert (line.unit, line.line, line.text) == ("line", 3, f"{first} {second}")
    assert line.reason is Reason.EXACT_DUPLICATE
    assert line.duplicate_of is not None
    assert line.duplicate_of.start == 0
    assert line.detail == "line 4 repeats line 1"
    assert result.text.count(first) == 1
    assert result.text.count(second) == 1
    assert "The mayor called it a fair settlement" in result.text


def test_a_shortened_quote_glued_onto_the_end_of_a_later_line_goes() -> None:
    # a shorter copy of part of an earlier sentence, glued onto the end of a later line with
    # other text: the copy goes (contained), the line's own sentence stays
    quote = '"You are going to see a number of things that Stadia can do.'
    text = "\n".join(
        [
            "The company showed its new streaming service to developers in San Francisco.",
            'Harrison told the crowd: "You are going to see a number of things that Stadia can'
            ' do that is not possible on other platforms", and the room applauded loudly.',
            f'The service launches in November in fourteen countries. {quote}"',
            "Prices were not announced at the event, the company said in a statement.",
        ]
    )
    result = cleaner.clean(text, language="en")
    (removal,) = result.removals
    assert removal.reason is Reason.CONTAINED
    assert removal.unit == "sentence"
    assert removal.line == 2
    assert removal.text == quote + '"'
    assert "The service launches in November in fourteen countries." in result.text


def test_a_heading_that_only_comes_later_is_not_cut_from_an_earlier_line() -> None:
    # the words of a heading at the end of an earlier line are not a copy of it: copies
    # come after what they repeat
    heading = "Satechi 72W USB-C Power Delivery Car Charger"
    text = "\n".join(
        [
            "Prices of car chargers fell sharply this month as retailers cleared their stock.",
            f"Several shops also cut the prices of cables and adapters this week {heading}",
            "The discounts are expected to last until the end of the year in most stores.",
            heading,
            "It charges two laptops at once and costs less than most of its rivals this season.",
        ]
    )
    result = cleaner.clean(text, language="en")
    assert result.removals == ()
    assert result.text == text


def test_a_heading_quoted_on_a_line_of_its_own_is_kept() -> None:
    # a line that quotes a heading ("> ...", a reply quoting it) is not a heading glued onto
    # a paragraph: it stays, as the guards for attribution marks keep it
    heading = "Indictments unsealed as head of prison agency testified before Congress"
    text = "\n".join(
        [
            "Federal prosecutors charged two guards on Tuesday over the death of a prisoner.",
            heading,
            "The guards are accused of falsifying records on the night the prisoner died.",
            "The agency's director told lawmakers that staffing shortages had reached a crisis.",
            f"> {heading}",
            "Both guards pleaded not guilty and were released on bail pending a trial next spring.",
        ]
    )
    result = cleaner.clean(text, language="en")
    assert result.removals == ()


def test_an_earlier_sentence_glued_inside_a_later_one_is_cut_out() -> None:
    # an earlier sentence standing word for word inside a later one (glued on after other
    # words, no stop between): the copy is cut out of it, the rest of the line stays
    sentence = "The council approved the new budget after a long debate on Tuesday evening."
    text = "\n".join(
        [
            sentence,
            "Most members welcomed the plan, which funds two new schools and a clinic.",
            f"posted by admin * {sentence} Critics said the clinic would open too late.",
            "The vote was close, with seven members against the plan and two abstaining.",
        ]
    )
    result = cleaner.clean(text, language="en")
    (removal,) = result.removals
    assert removal.unit == "span"
    assert removal.reason is Reason.EXACT_DUPLICATE
    assert removal.line == 2
    assert removal.text == sentence
    assert removal.duplicate_of is not None
    assert removal.duplicate_of.start == 0
    assert "Critics said the clinic would open too late." in result.text
    assert result.text.count(sentence) == 1


def test_a_structured_page_keeps_its_short_similar_items() -> None:
    # recipes, product lists: a short line that recurs as the frame of each entry makes the
    # page structured, and then short entries that look alike (two smoothies' ingredients,
    # the same method line) are the content, not copies
    serves = "Serves two people and takes five minutes"
    blend = "Blend everything until smooth and serve it cold."
    text = "\n".join(
        [
            "Four smoothies for a busy week, each one ready in under five minutes.",
            "Berry Breakfast Smoothie",
            serves,
            "1 cup spinach, 1 cup strawberries, 8 oz unsweetened almond milk and half a banana",
            blend,
            "Green Morning Smoothie",
            serves,
            "1 cup spinach, 1 cup blueberries, 8 oz unsweetened almond milk and half a banana",
            blend,
            "Tropical Smoothie",
            serves,
            "1 cup mango, 1 cup pineapple, 8 oz coconut water and a handful of ice",
            "Blend the fruit first, then add the water.",
            "Chocolate Smoothie",
            serves,
            "1 banana, 2 tbsp cocoa, 8 oz oat milk and a spoon of peanut butter",
            "Blend until thick and creamy.",
        ]
    )
    result = cleaner.clean(text, language="en")
    assert result.removals == ()
    assert result.text == text
