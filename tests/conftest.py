from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    return ROOT


def pytest_configure(config: pytest.Config) -> None:
    # The CLI tests run `python -m detlint`; make sure the checkout is importable either way.
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
