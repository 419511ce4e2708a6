"""The single-file command, the explain view, the generated config flags and the wiring."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner
from cleaner.cli import EXIT_OK, EXIT_USAGE, build_parser, config_from_args, main


@pytest.fixture
def seed(repo_root: Path) -> Path:
    return repo_root / "examples" / "seed_article.txt"


def test_file_shortcut_prints_the_cleaned_text(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = cleaner.clean(seed.read_text(encoding="utf-8"))
    assert expected.removals  # the founding example has repeats
    assert main([str(seed)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == expected.text + "\n"
    assert err == ""  # one text file: no batch summary
    assert main(["clean", str(seed)]) == EXIT_OK
    assert capsys.readouterr().out == out


def test_explain_flag_prints_the_table_to_stderr_after_the_text(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cleaner.clean(seed.read_text(encoding="utf-8"))
    assert main([str(seed), "--explain"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == result.text + "\n"  # stdout stays the clean text, pipeable
    assert err == result.explain() + "\n"


def test_console_script_and_stdin_text(seed: Path) -> None:
    text = seed.read_bytes()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "cleaner"), "-"],
        input=text,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == EXIT_OK, proc.stderr.decode()
    assert proc.stdout.decode() == cleaner.clean(text.decode()).text + "\n"


def test_text_output_file(seed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "clean.txt"
    assert main([str(seed), "-o", str(out)]) == EXIT_OK
    assert out.read_text(encoding="utf-8") == cleaner.clean(seed.read_text("utf-8")).text + "\n"
    assert capsys.readouterr().out == ""


def test_explain_command_plain_markers(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cleaner.clean(seed.read_text(encoding="utf-8"))
    assert main(["explain", str(seed), "--color", "never"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    for number, removal in enumerate(result.removals, 1):
        assert f"[-{number} {removal.text} -]" in out  # the span, marked where it stood
        assert f"[{number}] line {removal.line + 1}, {removal.reason.value}" in out
    assert f"{len(result.removals)} removal(s)" in out


def test_explain_command_colours_and_jsonl_record(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    text = seed.read_text(encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": 1, "body": "Nothing here."}) + "\n" + json.dumps({"body": text}) + "\n",
        encoding="utf-8",
    )
    assert (
        main(["explain", str(src), "--line", "2", "--text-key", "body", "--color", "always"]) == 0
    )
    out = capsys.readouterr().out
    assert "\x1b[9;" in out  # struck through, coloured
    assert "removal(s)" in out
    assert main(["explain", str(src), "--text-key", "body", "--color", "never"]) == 0
    assert capsys.readouterr().out.endswith("Nothing here.\n\nNo removals.\n")
    assert main(["explain", str(tmp_path / "nope.txt")]) == EXIT_USAGE


def test_every_config_field_has_a_flag() -> None:
    parser = build_parser()
    clean = parser._subparsers._group_actions[0].choices["clean"]  # type: ignore[union-attr]
    dests = {a.dest for a in clean._actions}
    for f in dataclasses.fields(cleaner.CleanerConfig):
        assert f"cfg_{f.name}" in dests, f"no flag for {f.name}"
    help_text = clean.format_help()
    for flag in ("--min-score", "--no-rules", "--disable-rule", "--rule-pack", "--language"):
        assert flag in help_text


def test_flags_build_the_config() -> None:
    parser = build_parser()
    args = parser.parse_args(
        [
            "clean",
            "x.jsonl",
            "--min-score",
            "93",
            "--keep",
            "longest",
            "--no-rules",
            "--rule-pack",
            "my.toml",
            "--language",
            "auto",
            "--lsh-num-perm",
            "64",
        ]
    )
    config = config_from_args(args)
    assert config == cleaner.CleanerConfig(
        min_score=93,
        keep="longest",
        rules=False,
        rule_packs=("builtin", "my.toml"),
        language=None,
        lsh_num_perm=64,
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["clean", "x.jsonl", "--keep", "middle"])


def test_no_arguments_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert "usage: cleaner" in capsys.readouterr().err


def test_rules_subcommand_is_wired(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["rules", "--help"])
    assert exc.value.code == 0
    assert "usage: cleaner rules" in capsys.readouterr().out
    assert main(["rules", "list"]) == EXIT_OK
    assert "en/read-more" in capsys.readouterr().out


def test_explain_flag_on_records_heads_each_table(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    text = seed.read_text(encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": text}) + "\n" + json.dumps({"text": "Short."}) + "\n",
        encoding="utf-8",
    )
    assert main(["clean", str(src), "--explain", "-q"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert [json.loads(line)["text"] for line in out.splitlines()] == [
        cleaner.clean(text).text,
        "Short.",
    ]
    assert err == (
        f"== {src}:1 id a\n{cleaner.clean(text).explain()}\n"
        f"== {src}:2\n{cleaner.clean('Short.').explain()}\n"
    )
