"""Shared test fixtures (kept small: a fixture used by one test file belongs in that file)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of the checkout (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's read-only data folder ``../shared`` beside the checkout; skips when absent."""
    path = (REPO_ROOT.parent / "shared").resolve()
    if not path.is_dir():
        pytest.skip(f"shared data folder not found at {path}")
    return path
