from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

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


@pytest.fixture(scope="session", autouse=True)
def no_cache_written_into_the_checkout() -> Iterator[None]:
    """Tests lint checkout files with the cache off or in tmp_path: a run must not leave a cache here."""
    cache = ROOT / ".detlint_cache"
    existed = cache.exists()
    yield
    if not existed and cache.exists():
        pytest.fail(f"a test wrote the result cache into the checkout ({cache.name}/)", pytrace=False)
