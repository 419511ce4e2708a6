"""``cleaner rules list|show|check``: called directly, through the main CLI and as a module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.rules.cli import main

GOOD = """
[pack]
name = "my_site"
language = "en"

[[rules]]
id = "tip-line"
description = "The site's tip footer"
scope = "line"
phrases = ["Got a news tip?"]
examples = ["Got a news tip?"]
counter_examples = ["He said he got a news tip from a neighbour."]
"""


def test_list_prints_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    ids = [line.split()[0] for line in out]
    assert "en/read-more" in ids
    assert "common/copyright" in ids
    assert "ko/read-more" in ids


def test_list_for_a_language_and_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--language", "de", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["language"] for row in rows} == {None, "de"}
    first = rows[0]
    assert {"id", "scope", "pattern", "examples", "counter_examples"} <= set(first)


def test_list_markdown_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--format", "markdown", "--rule-pack", "common"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "| id | scope | limits | what it removes |"
    assert any(line.startswith("| `common/copyright` | prefix |") for line in out)


def test_show_one_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "en/newsletter"]) == 0
    out = capsys.readouterr().out
    assert "id: en/newsletter" in out
    assert "scope: trailing" in out
    assert "  + Sign up for our daily newsletter" in out
    assert "counter-examples:" in out
    assert "contains: newsletter, inbox" in out  # (given by hand)
    assert main(["show", "pt/newsletter"]) == 0
    out = capsys.readouterr().out
    assert "contains (read off the pattern): newsletter, " in out


def test_show_unknown_rule_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "en/read-mor"]) == 1
    assert "did you mean en/read-more" in capsys.readouterr().err


def test_check_a_good_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "my_site.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "1 rules, 2 examples, all pass" in capsys.readouterr().out


def test_check_failing_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "my_site.toml"
    path.write_text(GOOD.replace('examples = ["Got', 'examples = ["Send tips", "Got'), "utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "example does not match: 'Send tips'" in out


def test_check_an_invalid_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace('phrases = ["Got a news tip?"]', 'pattern = "(x"'), "utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml: rule 'my_site/tip-line': invalid pattern" in err


def test_builtin_pack_files_check_clean(capsys: pytest.CaptureFixture[str]) -> None:
    packs = sorted((Path(__file__).parent.parent / "cleaner" / "rules" / "packs").glob("*.toml"))
    assert len(packs) >= 18
    assert main(["check", *map(str, packs)]) == 0
    assert capsys.readouterr().out.count("all pass") == len(packs)


def test_no_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_wired_into_the_main_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.cli import main as cleaner_main

    assert cleaner_main(["rules", "show", "common/copyright"]) == 0
    assert "id: common/copyright" in capsys.readouterr().out


def test_runs_as_a_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner.rules.cli", "list", "--language", "ja"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ja/read-more" in proc.stdout
    assert "en/read-more" not in proc.stdout
