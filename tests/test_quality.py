"""Code quality as tests: lint, formatting, strict types and the docs build.

Each check runs the tool installed next to the running Python (the project's venv), so the
README's one test command covers them all. The tools come with the ``dev`` extra; without
them the checks are skipped locally, but never on CI (``CI`` set), where a missing tool fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN_DIR / name
    if not path.exists():
        message = f"{name} is not installed next to {sys.executable}: pip install -e '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(path)


def _run(args: list[str]) -> None:
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`{' '.join(args)}` exited with {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}",
            pytrace=False,
        )


def test_ruff_check() -> None:
    _run([_tool("ruff"), "check", "--no-cache", "."])


def test_ruff_format() -> None:
    _run([_tool("ruff"), "format", "--check", "--no-cache", "."])


def test_mypy_strict() -> None:
    # Settings (strict, files = cleaner) come from pyproject.toml.
    _run([_tool("mypy")])


def test_docs_build_strict(tmp_path: Path) -> None:
    # Not --quiet: it hides the warnings, and then --strict lets them pass.
    _run([_tool("mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "site")])
