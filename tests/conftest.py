from __future__ import annotations

import hashlib
import subprocess
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


def _checkout_state() -> dict[str, str] | None:
    """Digest of every file of the checkout git knows or would add (ignored build outputs left out)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                                timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout (an sdist, say): nothing to compare
    state = {}
    for name in listed.decode("utf-8", "surrogateescape").split("\0"):
        path = ROOT / name
        if name and path.is_file() and not path.is_symlink():
            state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.fixture(scope="session", autouse=True)
def checkout_left_as_it_was() -> Iterator[None]:
    """No test writes into the checkout: fixes, baselines and caches go to tmp_path. Every file of the
    checkout has the same bytes after the session, and no file appears or disappears."""
    before = _checkout_state()
    yield
    after = _checkout_state()
    if before is None or after is None:
        return
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        pytest.fail(f"tests changed files of the checkout: {', '.join(changed[:10])}", pytrace=False)
