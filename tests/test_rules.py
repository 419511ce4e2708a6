"""The rules layer: rule packs as data, the engine, language gating, safety, explanations."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS

import cleaner
from cleaner.config import CleanerConfig
from cleaner.errors import ConfigError, RulePackError, RuleTimeoutError
from cleaner.rules import RuleEngine
from cleaner.rules.language import detect_language, line_in_language
from cleaner.rules.model import (
    LEAD,
    TAIL,
    Rule,
    builtin_pack_names,
    check_rule,
    load_builtin_pack,
    load_pack,
    pack_from_dict,
    parse_pack,
)
from cleaner.segment import split_lines

# the issue's list of languages
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "tr")
LANGUAGES += ("ar", "fa", "hi", "zh", "ja", "ko")
ALL_RULES = [rule for name in builtin_pack_names() for rule in load_builtin_pack(name).rules]


def _rules_only(**options: object) -> cleaner.Cleaner:
    return cleaner.Cleaner(dedup=False, **options)  # type: ignore[arg-type]


def _removed(text: str, **options: object) -> list[tuple[str | None, str]]:
    result = _rules_only(**options).clean(text)
    return [(r.rule_id, r.text) for r in result.removals]


# ---------------------------------------------------------------------- packs as data
@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_every_builtin_rule_matches_its_examples_and_not_its_counter_examples(
    rule: Rule,
) -> None:
    assert rule.examples, f"{rule.id} has no examples"
    assert check_rule(rule) == []
    # (the check a rule gets when it is made, which the built-in ones skip when loaded)
    rule.check_pattern()


def test_builtin_rules_compile_on_first_use_and_user_rules_when_made(tmp_path: Path) -> None:
    engine = RuleEngine(CleanerConfig())
    assert not any("_start" in vars(r) or "_compiled" in vars(r) for r in engine.rules)
    engine.find("Read more: the full story\n", split_lines("Read more: the full story\n"), "en")
    met = [r for r in engine.rules if "_start" in vars(r) or "_compiled" in vars(r)]
    assert met
    assert all(r.language in (None, "en") or r.fallback for r in met)
    assert not any(
        "_start" in vars(r) or "_compiled" in vars(r) for r in engine.rules if r.language == "zh"
    )
    # a pack read from a file is checked (compiled) as it is read, built-in or not
    path = tmp_path / "mine.toml"
    path.write_text(
        '[pack]\nname = "mine"\n[[rules]]\nid = "a"\ndescription = "d"\nscope = "line"\n'
        'pattern = "(unclosed"\nexamples = ["x"]\n',
        encoding="utf-8",
    )
    with pytest.raises(RulePackError, match=r"mine\.toml: rule 'mine/a': invalid pattern"):
        load_pack(path)
    assert "_start" in vars(
        parse_pack(path.read_text().replace("(unclosed", "ok"), source="m").rules[0]
    )


def test_builtin_packs_cover_the_issue_languages() -> None:
    names = builtin_pack_names()
    assert names[0] == "common"
    assert set(LANGUAGES) <= set(names)
    for name in LANGUAGES:
        pack = load_builtin_pack(name)
        assert pack.language == name
        assert all(rule.id.startswith(f"{name}/") for rule in pack.rules)
    assert load_builtin_pack("common").language is None


@pytest.mark.parametrize("name", LANGUAGES)
def test_each_language_pack_has_general_families_and_long_prose_counter_examples(
    name: str,
) -> None:
    pack = load_builtin_pack(name)
    scopes = {rule.scope for rule in pack.rules}
    assert {"trailing", "block", "line"} <= scopes  # glued teasers, boxes, whole lines
    longest = max(len(c) for rule in pack.rules for c in rule.counter_examples)
    limit = 40 if name in ("zh", "ja", "ko") else 80  # CJK says more per character
    assert longest >= limit, "a pack needs long prose that must survive"


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------- the founding example
def test_seed_article_rules_alone_remove_only_the_read_more_line(shared_dir: Path) -> None:
    text = (shared_dir / "seed" / "seed_article.txt").read_text(encoding="utf-8")
    removed = _removed(text)
    assert removed == [
        (
            "en/read-more",
            "READ MORE: Russian President facing humiliation after ‘accepting’ NATO change",
        )
    ]


# ---------------------------------------------------------------------- scopes
def test_line_prefix_and_explanations() -> None:
    text = (
        "The council approved the budget on Tuesday evening after a long debate.\n"
        "Subscribe now\n"
        "Related: Council tax to rise again next year\n"
        "Officials said the vote was close."
    )
    result = _rules_only().clean(text)
    assert result.text == (
        "The council approved the budget on Tuesday evening after a long debate.\n"
        "Officials said the vote was close."
    )
    reasons = {(r.reason.value, r.rule_id, r.unit, r.method) for r in result.removals}
    assert reasons == {
        ("boilerplate", "en/paywall", "line", "rule"),
        ("boilerplate", "en/read-more", "line", "rule"),
    }
    assert all(r.text == text[r.start : r.end] for r in result.removals)
    assert result.replay() == result.text


def test_trailing_fragment_glued_onto_content_is_cut_and_content_kept() -> None:
    text = (
        "The minister resigned on Monday after weeks of pressure from her own party. "
        "Don't miss: Five things to know about the new cabinet\n"
        "Her successor will be named this week."
    )
    result = _rules_only().clean(text)
    assert result.text == (
        "The minister resigned on Monday after weeks of pressure from her own party.\n"
        "Her successor will be named this week."
    )
    (removal,) = result.removals
    assert removal.rule_id == "en/read-more"
    assert removal.unit == "span"
    assert removal.text == "Don't miss: Five things to know about the new cabinet"


def test_glued_newsletter_and_follow_prompts_in_other_languages() -> None:
    de = (
        "Der Bundestag hat am Donnerstag über das Gesetz abgestimmt und die Opposition ist "
        "nicht einverstanden. Verpassen Sie keine Nachrichten: Abonnieren Sie unseren Newsletter."
    )
    out = _rules_only().clean(de)
    assert out.text.endswith("nicht einverstanden.")
    assert out.removals[0].rule_id == "de/newsletter"
    fr = (
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera débattue "
        "au Parlement dans les semaines qui viennent. Suivez-nous sur Facebook et Twitter"
    )
    assert _rules_only().clean(fr).text.endswith("semaines qui viennent.")


def test_long_prose_about_a_newsletter_survives() -> None:
    text = (
        "The paper said that more than 40,000 readers had signed up for its newsletter in the "
        "first week, and that it would now launch a second edition for students.\n"
        "Sign up for our newsletter, the editor wrote in the first issue, is the most "
        "successful call to action the paper has ever printed, and it plans to keep using it "
        "for every new product it launches over the coming years."
    )
    assert _removed(text) == []


def test_block_heading_takes_the_headline_list_under_it() -> None:
    text = (
        "The band unveiled its plans at the close of its Monday night performance in Nashville.\n"
        "You may also like...\n"
        "Who will make the Rock Hall in 2020?\n"
        "Dave Matthews Band takes over Rock Hall Fan Vote\n"
        "Doobie Brothers perform with Santana at Blossom Music Center in 2019\n"
    )
    removed = _removed(text)
    assert [rule for rule, _ in removed] == ["en/headlines-box"] * 4
    assert removed[0][1] == "You may also like..."


def test_block_heading_alone_keeps_prose_and_data_rows_under_it() -> None:
    prose = (
        "Most Read\n"
        "AUSTRALIA AHEAD\n"
        "Australia beat Colombia behind Nick Kyrgios’ 6-4, 6-4 win over Alejandro Gonzalez.\n"
    )
    assert _removed(prose) == [("en/headlines-box", "Most Read")]
    table = (
        "Most Read\n23 Ricky Stenhouse Jr. 679 0 0 1 3\n24 Ty Dillon 613 0 0 1 3\n"
        "25 Daniel Hemric 530 0 1 1 2\n"
    )
    assert _removed(table) == [("en/headlines-box", "Most Read")]
    data = (
        "You may also like\nFrance (Group H): 10th appearance\n"
        "Turkey (Group H): Fifth appearance\nBelgium (Group I): Sixth appearance\n"
    )
    assert _removed(data) == [("en/headlines-box", "You may also like")]


def test_inline_scope_and_position_limits_in_a_custom_pack() -> None:
    pack = pack_from_dict(
        {
            "pack": {"name": "site"},
            "rules": [
                {
                    "id": "tag",
                    "description": "bracketed section tags",
                    "scope": "inline",
                    "pattern": r"\[(?:INSIGHT|VIDEO)\]",
                    "case_sensitive": True,
                    "examples": ["Plague warning [INSIGHT]"],
                },
                {
                    "id": "top-kicker",
                    "description": "a kicker line, only at the top",
                    "scope": "line",
                    "phrases": ["Exclusive"],
                    "first_lines": 1,
                    "examples": ["EXCLUSIVE"],
                },
            ],
        }
    )
    engine = RuleEngine(CleanerConfig(rule_packs=("common",)), extra_packs=[pack])
    text = "Exclusive\nBlack death fears grow [INSIGHT] in the region.\nExclusive\n"
    hits = engine.find(text, split_lines(text), None)
    assert [(h.rule_id, h.scope, text[h.start : h.end]) for h in hits] == [
        ("site/top-kicker", "line", "Exclusive"),
        ("site/tag", "inline", "[INSIGHT]"),
    ]


def test_max_chars_keeps_long_lines() -> None:
    short = "Advertisement"
    long = "Advertisement " + "spending rose again in the third quarter " * 5
    assert _removed(short) == [("common/ad-label", short)]
    assert _removed(long) == []


def test_hits_lie_inside_their_lines_and_never_overlap() -> None:
    text = (
        "Share | Tweet | Email\n"
        "The mayor spoke on Friday. Read more: Mayor's speech in full\n"
        "Photo: Hau Dinh, AP\n"
        "Most read\n- First headline about the storm tonight\n- Second headline about the vote\n"
    )
    lines = split_lines(text)
    engine = RuleEngine(CleanerConfig())
    hits = engine.find(text, lines, "en")
    assert len(hits) >= 5
    for hit in hits:
        line = lines[hit.line]
        assert line.start <= hit.start < hit.end <= line.end
    spans = sorted((h.start, h.end) for h in hits)
    assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))


# ---------------------------------------------------------------------- languages
SAMPLES = {
    "en": "The government said on Monday that it would raise taxes after the election.",
    "de": "Die Regierung hat am Montag gesagt, dass sie die Steuern nach der Wahl erhöhen wird.",
    "fr": "Le gouvernement a déclaré lundi qu'il augmenterait les impôts après les élections.",
    "es": "El gobierno dijo el lunes que subiría los impuestos después de las elecciones.",
    "it": "Il governo ha detto lunedì che alzerà le tasse dopo le elezioni della settimana.",
    "pt": "O governo disse na segunda-feira que vai aumentar os impostos após as eleições.",
    "nl": "De regering heeft maandag gezegd dat zij de belastingen na de verkiezingen verhoogt.",
    "pl": "Rząd powiedział w poniedziałek, że podniesie podatki po wyborach, które są w maju.",
    "tr": "Hükümet pazartesi günü yaptığı açıklamada seçimlerden sonra vergileri artıracağını "
    "söyledi ve bu karar için çok daha fazla zaman gerektiğini ekledi.",
    "ru": "Правительство заявило в понедельник, что оно повысит налоги после выборов.",
    "uk": "Уряд заявив у понеділок, що він підвищить податки після виборів, які вже були.",
    "ar": "قالت الحكومة يوم الاثنين إنها سترفع الضرائب بعد الانتخابات المقبلة في البلاد.",
    "fa": "دولت روز دوشنبه اعلام کرد که پس از انتخابات مالیات‌ها را افزایش می‌دهد.",
    "hi": "सरकार ने सोमवार को कहा कि वह चुनाव के बाद करों में वृद्धि करेगी।",
    "zh": "政府周一表示，将在选举后提高税收。",
    "ja": "政府は月曜日、選挙後に増税すると発表した。",
    "ko": "정부는 월요일 선거 이후 세금을 인상하겠다고 밝혔다.",
}


@pytest.mark.parametrize(("language", "text"), sorted(SAMPLES.items()))
def test_language_detection(language: str, text: str) -> None:
    assert detect_language(text) == language


def _findall_counts(text: str) -> dict[str, int]:
    from cleaner.rules import language

    return {name: len(pattern.findall(text)) for name, pattern in language._SCRIPT_CHARS}


def test_the_script_classes_are_disjoint_and_counted_as_their_patterns_find() -> None:
    from cleaner.rules import language

    every = "".join(map(chr, range(0x10000)))
    seen = [sum(1 for _, p in language._SCRIPT_CHARS if p.match(ch)) for ch in every]
    assert max(seen) == 1  # (one mark per character: translate cannot count two classes)
    text = every + every[0x600:0x700] + "\U00020000\U0001f600" + every[:300]
    assert language._script_counts(text) == _findall_counts(text)


@SETTINGS
@given(st.text(max_size=200))
def test_script_counts_are_the_patterns_counts(text: str) -> None:
    from cleaner.rules import language

    assert language._script_counts(text) == _findall_counts(text)


def test_undetectable_text_gives_none() -> None:
    assert detect_language("") is None
    assert detect_language("12345 --- 678") is None


def test_a_pack_never_fires_on_another_language() -> None:
    german_ad = "Anzeige"
    english_doc = SAMPLES["en"] + "\n" + german_ad + "\n" + SAMPLES["en"]
    german_doc = SAMPLES["de"] + "\n" + german_ad + "\n" + SAMPLES["de"]
    assert _removed(english_doc) == []
    assert _removed(german_doc) == [("de/ad-label", "Anzeige")]
    # "More" opens a teaser in English, but a Dutch "Meer ..." line is prose
    dutch_doc = SAMPLES["nl"] + "\nMeer dan 300 mensen kwamen naar de demonstratie.\n"
    assert _removed(dutch_doc) == []


def test_english_widgets_are_found_in_documents_of_other_languages() -> None:
    text = SAMPLES["ko"] + "\nShare on Twitter\n" + SAMPLES["ko"]
    assert _removed(text) == [("en/share-prompt", "Share on Twitter")]
    assert line_in_language("Share on Twitter", "en", "ko")
    assert not line_in_language("Mehr zum Thema", "en", "de")


def test_config_language_overrides_detection() -> None:
    text = "Anzeige\n" + SAMPLES["en"]
    assert _removed(text) == []
    assert _removed(text, language="de") == [("de/ad-label", "Anzeige")]


# ---------------------------------------------------------------------- custom packs
PACK_TOML = """
[pack]
name = "my_site"
language = "en"

[[rules]]
id = "tip-line"
description = "The site's tip footer"
scope = "line"
phrases = ["Got a news tip?", "Send us your tips"]
examples = ["Got a news tip?"]
counter_examples = ["He said he got a news tip from a neighbour."]
"""


def test_user_pack_from_a_file_and_disabling_rules(tmp_path: Path) -> None:
    path = tmp_path / "my_site.toml"
    path.write_text(PACK_TOML, encoding="utf-8")
    text = SAMPLES["en"] + "\nGot a news tip?\nREAD MORE\n"
    removed = _removed(text, rule_packs=("builtin", str(path)))
    assert ("my_site/tip-line", "Got a news tip?") in removed
    assert ("en/read-more-line", "READ MORE") in removed
    kept = _removed(text, rule_packs=("builtin", str(path)), disabled_rules=("en/read-more-line",))
    assert ("en/read-more-line", "READ MORE") not in kept
    assert _removed(text, rule_packs=("builtin", str(path)), disabled_rules=("my_site",)) == [
        ("en/read-more-line", "READ MORE")
    ]
    assert _removed(text, disabled_rules=("en/*",)) == []


def test_unknown_disabled_rule_is_a_config_error_with_a_suggestion() -> None:
    with pytest.raises(ConfigError, match=r"'en/read-mroe'.*did you mean 'en/read-more'"):
        RuleEngine(CleanerConfig(disabled_rules=("en/read-mroe",)))


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('pattern = "(unclosed"', "invalid pattern: missing \\)"),
        ('pattern = "(?P<x>a)"', "named groups and backreferences are not allowed"),
        ('pattern = "a*"', "matches the empty string"),
        ('pattern = "a"\nphrases = ["b"]', "exactly one of pattern or phrases"),
        ('pattern = "a"\nmax_chars = 0', "max_chars must be a whole number >= 1"),
        ('pattern = "a"\ncolour = "red"', "unknown key"),
    ],
)
@pytest.mark.parametrize("scope", ["line", "trailing", "inline"])
def test_invalid_rules_name_the_file_the_rule_and_the_problem(
    body: str, problem: str, scope: str
) -> None:
    # (each scope is checked in the compiled form it runs in: line rules at a line start)
    text = (
        f'[pack]\nname = "x"\n[[rules]]\nid = "bad"\ndescription = "d"\nscope = "{scope}"\n'
        f'examples = ["a"]\n{body}\n'
    )
    with pytest.raises(RulePackError, match=rf"^x\.toml: rule 'x/bad': .*{problem}"):
        parse_pack(text, source="x.toml")


def test_invalid_pack_files(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="not valid TOML"):
        parse_pack("[pack", source="broken.toml")
    with pytest.raises(RulePackError, match="rule pack not found"):
        load_pack(tmp_path / "missing.toml")
    with pytest.raises(RulePackError, match="no built-in rule pack 'xx'"):
        load_builtin_pack("xx")
    with pytest.raises(RulePackError, match="used twice"):
        parse_pack(
            '[pack]\nname = "x"\n'
            + '[[rules]]\nid = "a"\ndescription = "d"\nscope = "line"\npattern = "a"\n'
            'examples = ["a"]\n' * 2,
            source="dup.toml",
        )


def test_a_catastrophic_pattern_is_reported_not_hung() -> None:
    pack = pack_from_dict(
        {
            "pack": {"name": "bad"},
            "rules": [
                {
                    "id": "slow",
                    "description": "exponential backtracking",
                    "scope": "line",
                    "pattern": "(?:x|x)+y",
                    "examples": ["xy"],
                }
            ],
        }
    )
    engine = RuleEngine(
        CleanerConfig(rule_packs=("common",), rule_timeout_seconds=0.05), extra_packs=[pack]
    )
    text = "Hello world.\n" + "x" * 40 + "\n"
    with pytest.raises(RuleTimeoutError, match=r"'bad/slow'.*line 1 of document 'doc-7'"):
        engine.find(text, split_lines(text), None, doc_id="doc-7")


def test_only_the_builtin_rules_run_without_the_time_budget(tmp_path: Path) -> None:
    # the built-in packs' line-start and trailing rules are checked against backtracking
    # (test_rule_safety.py) and matched untimed; a pack from a file is timed, even a copy
    # of a built-in pack, and so is every set of rules it joins
    packs_dir = Path(cleaner.__file__).parent / "rules" / "packs"
    copy = tmp_path / "en.toml"
    copy.write_text((packs_dir / "en.toml").read_text(encoding="utf-8"), encoding="utf-8")
    engine = RuleEngine(CleanerConfig(rule_timeout_seconds=0.25))
    builtin = engine._program("en")
    assert builtin.start.timeout is None
    assert builtin.trailing.timeout is None
    assert engine._program("ru").fallbacks
    assert all(d.timeout is None for _, d in engine._program("ru").fallbacks)
    own = RuleEngine(CleanerConfig(rule_packs=(str(copy), "common"), rule_timeout_seconds=0.25))
    prog = own._program("en")
    assert prog.start.timeout == prog.trailing.timeout == 0.25
    assert own._program("ru").fallbacks
    assert all(d.timeout == 0.25 for _, d in own._program("ru").fallbacks)
    # (the common pack alone, language unknown: built-in only again)
    assert RuleEngine(CleanerConfig(rule_packs=("common",)))._program(None).start.timeout is None


def test_engine_is_reusable_and_deterministic() -> None:
    engine = RuleEngine(CleanerConfig())
    text = "Photo: Hau Dinh, AP\n" + SAMPLES["en"] + " Sign up for our newsletter today."
    lines = split_lines(text)
    first = engine.find(text, lines, "en")
    assert (
        first
        == engine.find(text, lines, "en")
        == RuleEngine(CleanerConfig()).find(text, lines, "en")
    )
    assert [h.rule_id for h in first] == ["en/photo-credit", "en/newsletter"]


def test_docs_list_every_builtin_rule(repo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.rules.cli import main

    assert main(["list", "--format", "markdown"]) == 0
    table = capsys.readouterr().out
    page = (repo_root / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page.endswith(table), "regenerate: cleaner rules list --format markdown"


def test_the_engine_finds_every_example_of_every_rule() -> None:
    """The dispatch (prefix table, length and position limits) never hides a rule's
    own examples from the engine."""
    engine = RuleEngine(CleanerConfig())
    missed = []
    for rule in ALL_RULES:
        for example in rule.examples:
            if not engine.find(example, split_lines(example), rule.language):
                missed.append((rule.id, example))
    assert missed == []


def test_each_rule_is_compiled_once_at_load_in_the_form_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # compiling is most of a cleaner's start-up: a line rule only ever matches at a line
    # start, so its anchored form is the one compiled (and validated) at load
    import regex

    compiled: list[str] = []
    real = regex.compile

    def counting(pattern: str, *args: object, **kwargs: object) -> object:
        compiled.append(pattern)
        return real(pattern, *args, **kwargs)

    monkeypatch.setattr(regex, "compile", counting)
    rules = [
        {"id": name, "description": "d", "scope": scope, "phrases": [phrase], "examples": [line]}
        for name, scope, phrase, line in (
            ("kicker", "line", "Top story", "Top story"),
            ("tip", "trailing", "Got a tip?", "Got a tip? Call us"),
        )
    ]
    pack = pack_from_dict({"pack": {"name": "once"}, "rules": rules})
    line_rule, trailing_rule = pack.rules
    assert len(compiled) == 2
    assert line_rule._start.match("• Top story") is not None  # anchored: after a bullet
    assert trailing_rule._compiled.match("Got a tip? Call us") is not None
    assert len(compiled) == 2  # both were the ones compiled at load
    assert trailing_rule._start.match("> Got a tip? Call us") is not None
    assert len(compiled) == 3  # a trailing rule also starts lines: compiled on first use
    text = "Top story\nThe vote passed on Tuesday. Got a tip? Call us at 555-0100."
    engine = RuleEngine(CleanerConfig(rule_packs=()), extra_packs=[pack])
    assert [text[h.start : h.end] for h in engine.find(text, split_lines(text), None)] == [
        "Top story",
        "Got a tip? Call us at 555-0100.",
    ]


_ONLY_LINES = [
    "Most Read",
    "Related stories",
    "Trending Now",
    "Five ways to save on energy this winter season",
    "Council votes to close the old harbour bridge for repairs",
    "Police name the driver who died in the crash on Monday night",
    "The council approved the new budget after a long debate on Tuesday.",
    "Prices rose in May, and the minister said that they would fall again.",
    "READ MORE: Five ways to save on energy",
    "Advertisement",
    "The vote passed on Tuesday. Follow us on Twitter for more updates.",
    "(Reporting by Jane Doe; Editing by John Roe)",
    "© 2024 Example Media Ltd. All rights reserved.",
    "Sign up for our morning newsletter",
    "Every online business exists in the 'space-time continuum.'Click To Tweet",
    "Users can click to tweet a quote, said the Click editor.",
]


_ENGINE = RuleEngine(CleanerConfig())


@SETTINGS
@given(
    picks=st.lists(st.integers(0, len(_ONLY_LINES) - 1), min_size=1, max_size=30),
    wanted=st.sets(st.integers(0, 29)),
)
def test_hits_of_some_lines_are_the_hits_of_the_whole_search_on_them(
    picks: list[int], wanted: set[int]
) -> None:
    """The second look asks only for the hits on the lines it cut: the same hits as a
    search of every line, kept to those lines (block headings above included)."""
    engine = _ENGINE
    text = "\n".join(_ONLY_LINES[k] for k in picks)
    lines = split_lines(text)
    everything = engine.find(text, lines, "en")
    assert engine.find(text, lines, "en", only=wanted) == [
        h for h in everything if h.line in wanted
    ]


def test_a_start_rule_sees_its_line_alone_as_rule_matches_does() -> None:
    # an anchor matches at each line's start and a look-behind sees nothing before the
    # line, whatever precedes it in the document: the answer depends on the line alone
    rules = [
        ("anchored", r"^Advertisement$", "Advertisement"),
        ("behind", r"(?<!\.\n)Sponsored", "Sponsored"),
    ]
    pack = pack_from_dict(
        {
            "pack": {"name": "site"},
            "rules": [
                {"id": i, "description": i, "scope": "line", "pattern": p, "examples": [e]}
                for i, p, e in rules
            ],
        }
    )
    engine = RuleEngine(CleanerConfig(rule_packs=()), extra_packs=[pack])
    text = "The vote passed.\nAdvertisement\n  Advertisement\nIt rained.\nSponsored\n"
    lines = split_lines(text)
    hits = engine.find(text, lines, None)
    assert [(h.line, h.rule_id) for h in hits] == [
        (1, "site/anchored"),
        (2, "site/anchored"),
        (4, "site/behind"),
    ]
    for line in lines:
        expected = [r.id for r in pack.rules if r.matches(line.text) is not None]
        assert [h.rule_id for h in hits if h.line == line.index] == expected


def test_a_block_item_asked_for_alone_still_goes_with_its_heading() -> None:
    text = "\n".join(_ONLY_LINES[k] for k in (6, 0, 3, 4, 5, 7))
    lines = split_lines(text)
    hits = _ENGINE.find(text, lines, "en", only=[4])
    assert [(h.line, h.scope, h.block_heading) for h in hits] == [(4, "block", 1)]


@SETTINGS
@given(
    st.text(
        alphabet=st.sampled_from("ReadmoFlwusPht:•-*([ «¿¡ ÜéΣßŞİ読む더보기Подписатьсяاقرأ"),
        max_size=10,
    )
)
def test_dispatch_keys_narrow_from_their_prefixes_like_a_full_check(key: str) -> None:
    """The rules a dispatch key leaves (found from the rules its prefixes leave) are the
    rules that can match text starting with the key, each checked on its own."""
    engine = RuleEngine(CleanerConfig())
    for language in (None, "en", "de", "ru", "ar"):
        prog = engine._program(language)
        for dispatch in (prog.start, prog.trailing, *(d for _, d in prog.fallbacks)):
            alone = tuple(
                i
                for i, rule in enumerate(dispatch.rules)
                if (rule._start if dispatch.anchored else rule._compiled).match(key, partial=True)
                is not None
            )
            assert dispatch.candidates(key)[0] == alone, (language, key)


# English lines a page in another language carries (the fallback packs' examples), lines
# of those languages that start like English rules do, and prose
_FALLBACK_LINES = [ex for rule in ALL_RULES if rule.fallback for ex in rule.examples] + [
    *("Pode ser que chova amanhã.", "Podcast: episódio 3", "Vídeo: veja o gol", "Video"),
    *("Vielen Dank für Ihr Interesse.", "Watch", "Listen to", "Now", "Read", "Share this"),
    *("Подпишитесь на канал", "Follow", "Updated", "Advertisement", "Lesen Sie auch:"),
    *("Der Rat hat am Dienstag den Haushalt beschlossen.", "Photo: Reuters", "Fonte: AP"),
]
_NARROWED = RuleEngine(CleanerConfig())
_UNNARROWED = RuleEngine(CleanerConfig())


@SETTINGS
@given(
    picks=st.lists(st.integers(0, len(_FALLBACK_LINES) - 1), min_size=1, max_size=12),
    language=st.sampled_from(("de", "pt", "ru", "ko", "en", None)),
)
def test_the_long_dispatch_key_leaves_every_rule_that_can_match(
    picks: list[int], language: str | None
) -> None:
    """The rules an 8-character line start leaves of those its first 3 characters leave
    (for the start rules, and for the fallback packs' English rules on a page in another
    language) are all that can match: the hits are those of trying every rule the
    3-character key leaves."""
    from cleaner import _accel
    from cleaner.rules import engine as rule_engine

    text = "\n".join(_FALLBACK_LINES[k] for k in picks)
    lines = split_lines(text)
    found = _NARROWED.find(text, lines, language)
    real, saved = rule_engine._Dispatch.narrow, _accel.native
    rule_engine._Dispatch.narrow = lambda self, idx, key: self._entry(idx)  # type: ignore[method-assign]
    _accel.native = None  # (the Python scan: the C core holds the real method)
    try:
        everything = _UNNARROWED.find(text, lines, language)
    finally:
        rule_engine._Dispatch.narrow = real  # type: ignore[method-assign]
        _accel.native = saved
    assert found == everything


_ANCHOR_ENGINE = RuleEngine(CleanerConfig())


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                *("Click", "click", "Click to Tweet", "Click To  Tweet", "Clic", "k", " to "),
                *("Tweet", "The vote passed on Tuesday. ", "\n", "CLICK TO TWEET"),
            ]
        ),
        max_size=8,
    )
)
def test_a_text_without_an_inline_anchor_has_no_inline_match(pieces: list[str]) -> None:
    """Inline rules search only a document holding the text their matches start with:
    the hits are those of searching every document."""
    import dataclasses

    text = "".join(pieces)
    engine = _ANCHOR_ENGINE
    prog = engine._program("en")
    assert prog.inline_anchors == ("Click",)
    lines = split_lines(text)
    found = engine.find(text, lines, "en")
    engine._programs["en"] = dataclasses.replace(prog, inline_anchors=None)
    try:
        assert engine.find(text, lines, "en") == found
    finally:
        engine._programs["en"] = prog


@pytest.mark.parametrize("flags", [regex.V0, regex.V1 | regex.FULLCASE])
def test_lead_and_tail_match_the_same_characters_with_or_without_ignore_case(flags: int) -> None:
    # they are matched case-sensitively inside ignore-case rules (faster): the same match
    # only as long as no character of theirs has another case
    for scoped in (LEAD, TAIL):
        assert scoped.startswith("(?-i:")
        assert scoped.endswith(")")
        plain = regex.compile(scoped[len("(?-i:") : -1], flags | regex.IGNORECASE)
        fast = regex.compile(scoped, flags | regex.IGNORECASE)
        for cp in range(0x30000):
            if 0xD800 <= cp < 0xE000:
                continue
            ch = chr(cp)
            assert (plain.fullmatch(ch) is None) == (fast.fullmatch(ch) is None), hex(cp)
