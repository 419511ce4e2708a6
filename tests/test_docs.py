"""The docs cannot drift from the code.

* Every ```` ```pycon ```` block in README.md and docs/*.md is run as a doctest (the blocks of
  one page share their names, in page order), and every ```` ```python ```` block is executed:
  write examples as ``>>>`` sessions with their output, or as code with ``assert``.
  They run from the repository root, so ``examples/seed_article.txt`` resolves.
* The doctests in the docstrings of every ``cleaner`` module run too. They are collected here
  (rather than with ``--doctest-modules``) so that a module whose optional dependency is not
  installed (an integration, say) is skipped by name instead of breaking collection.
* docs/configuration.md lists every field of CleanerConfig with its default, and nothing else.
* The version is the same in pyproject.toml, ``cleaner.__version__``, the installed metadata
  and CHANGELOG.md; README's test command is the one .ci/run runs; README's first command works.
"""

from __future__ import annotations

import ast
import dataclasses
import doctest
import importlib
import importlib.metadata
import os
import pkgutil
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner
from cleaner import CleanerConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs"
DOC_PAGES = sorted([REPO_ROOT / "README.md", *DOCS.glob("*.md")])
OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

_FENCE_RE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)


def _blocks(page: Path, lang: str) -> list[tuple[int, str]]:
    """The fenced blocks of ``lang`` in ``page``, with the line number they start on."""
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 2, m.group("body"))
        for m in _FENCE_RE.finditer(text)
        if m.group("lang") == lang
    ]


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


# --------------------------------------------------------------------------- examples in pages
@pytest.mark.parametrize("page", DOC_PAGES, ids=_rel)
def test_page_examples(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    pycon = _blocks(page, "pycon")
    python = _blocks(page, "python")
    if not pycon and not python:
        pytest.skip("no Python examples on this page")
    globs: dict[str, object] = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report: list[str] = []
    for lineno, body in pycon:
        test = parser.get_doctest(body, globs, f"{_rel(page)}:{lineno}", str(page), lineno - 1)
        runner.run(test, out=report.append, clear_globs=False)
        globs = test.globs  # DocTest works on a copy: carry the names to the next block
    for lineno, body in python:
        code = compile("\n" * (lineno - 1) + body, str(page), "exec")
        exec(code, globs)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} of {attempted} examples failed:\n" + "".join(report)


# --------------------------------------------------------------------------- module doctests
def _module_names() -> list[str]:
    names = ["cleaner"]
    for info in pkgutil.walk_packages(cleaner.__path__, "cleaner."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _module_names())
def test_module_doctests(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and not exc.name.startswith("cleaner"):
            pytest.skip(f"{name} needs {exc.name}, which is not installed")
        raise
    result = doctest.testmod(module, optionflags=OPTIONFLAGS, report=False, verbose=False)
    if result.attempted == 0:
        pytest.skip(f"{name} has no doctests")
    if result.failed:
        # Run again, printing the failures into the assertion message.
        report: list[str] = []
        runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
        for test in doctest.DocTestFinder().find(module):
            runner.run(test, out=report.append)
        pytest.fail(f"{result.failed} doctest(s) failed in {name}:\n" + "".join(report))


# --------------------------------------------------------------------------- configuration table
def _config_rows() -> dict[str, list[str]]:
    """The rows of the options tables in docs/configuration.md: option -> cells."""
    rows: dict[str, list[str]] = {}
    for line in (DOCS / "configuration.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 4:
            continue
        m = re.fullmatch(r"`(\w+)`", cells[0])
        if m:
            assert m.group(1) not in rows, f"{m.group(1)} is listed twice"
            rows[m.group(1)] = cells
    return rows


def test_configuration_page_lists_every_option_with_its_default() -> None:
    rows = _config_rows()
    fields = {f.name: f for f in dataclasses.fields(CleanerConfig)}
    defaults = CleanerConfig()
    missing = sorted(set(fields) - set(rows))
    stale = sorted(set(rows) - set(fields))
    assert not missing, f"options missing from docs/configuration.md: {missing}"
    assert not stale, f"docs/configuration.md lists options CleanerConfig does not have: {stale}"
    header = "| option | type | unit | default | what it does |"
    assert header in (DOCS / "configuration.md").read_text(encoding="utf-8")
    for name, cells in rows.items():
        m = re.fullmatch(r"`(.+)`", cells[3])
        assert m, f"{name}: default cell {cells[3]!r} should be a Python literal in backticks"
        documented = ast.literal_eval(m.group(1))
        actual = getattr(defaults, name)
        assert (type(documented), documented) == (type(actual), actual), (
            f"{name}: docs say the default is {documented!r}, CleanerConfig has {actual!r}"
        )


# --------------------------------------------------------------------------- version, README, CI
def test_versions_agree() -> None:
    with (REPO_ROOT / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert cleaner.__version__ == version
    assert importlib.metadata.version("cleaner") == version, "reinstall: pip install -e ."
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M), (
        f"CHANGELOG.md has no section for {version}"
    )


def _readme_commands() -> list[str]:
    return [body.strip() for _, body in _blocks(REPO_ROOT / "README.md", "sh")]


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    m = re.search(r"^TEST_COMMAND=(.+)$", script, re.M)
    assert m, ".ci/run should define TEST_COMMAND='...' on one line"
    (command,) = shlex.split(m.group(1))
    commands = _readme_commands()
    assert len(commands) >= 2, "README.md should open with two ```sh commands"
    assert commands[1] == command, "README's test command and .ci/run's TEST_COMMAND differ"


def test_readme_first_command_runs() -> None:
    """README's first command, run with this venv's executables (the install part skipped)."""
    first = _readme_commands()[0]
    run = first.split(" && ")[-1]
    args = shlex.split(run)
    assert args[0].startswith(".venv/bin/"), f"unexpected first command: {first}"
    args[0] = str(Path(sys.executable).parent / args[0].removeprefix(".venv/bin/"))
    for arg in args[1:]:
        if arg.startswith("examples/"):
            assert (REPO_ROOT / arg).is_file(), f"{arg} is missing"
    proc = subprocess.run(
        args,
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, f"`{run}` failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Turkey" in proc.stdout, f"`{run}` printed no cleaned text:\n{proc.stdout}"
