from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parents[1]

# Hypothesis keeps its example database and constants cache in ./.hypothesis by default: tests never
# write into the checkout, so it gets a temporary folder of this run instead.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="detlint-tests-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, True)


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
    """Tests lint checkout files with the cache off or in tmp_path, and Hypothesis keeps its files in a
    temporary folder: a run must leave neither cache here."""
    caches = [ROOT / ".detlint_cache", ROOT / ".hypothesis"]
    existed = {cache: cache.exists() for cache in caches}
    yield
    for cache in caches:
        if not existed[cache] and cache.exists():
            pytest.fail(f"a test wrote a cache into the checkout ({cache.name}/)", pytrace=False)


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
