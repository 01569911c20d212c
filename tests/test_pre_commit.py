"""The pre-commit hook, run by the real pre-commit: a commit with a pitfall is refused, a clean one passes,
and notebooks are checked too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = "from sklearn.model_selection import train_test_split\n\nparts = train_test_split([1, 2, 3, 4])\n"
GOOD = "from sklearn.model_selection import train_test_split\n\nparts = train_test_split([1, 2, 3, 4], random_state=0)\n"


def _notebook(code: str) -> str:
    """A notebook with a markdown cell, then ``code`` as its one code cell (cell 2)."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Split"]},
             {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": code.splitlines(keepends=True)}]
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _snapshot(target: Path) -> str:
    """This checkout's current files (committed or not) as a git repository pre-commit can install from."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file() and not name.startswith(("tests/", "runtime_probe/", "examples/", "bench/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "runtime_probe").mkdir(exist_ok=True)
    (target / "runtime_probe" / "__init__.py").write_text("")
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "snapshot", cwd=target)
    return _git("rev-parse", "HEAD", cwd=target).stdout.strip()


@pytest.mark.slow
def test_hook_refuses_a_commit_with_a_pitfall(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is required for the pre-commit test")
    hook_repo = tmp_path / "detlint-hook"
    hook_repo.mkdir()
    rev = _snapshot(hook_repo)
    work = tmp_path / "work"
    work.mkdir()
    _git("init", "-q", cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo.as_posix()}\n  rev: {rev}\n  hooks:\n  - id: detlint\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = subprocess.run([*pre_commit, "install"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr

    (work / "train.py").write_text(BAD)
    _git("add", "train.py", ".pre-commit-config.yaml", cwd=work)
    refused = subprocess.run(["git", "commit", "-m", "bad"], cwd=work, env=env, capture_output=True, text=True,
                             timeout=600)
    assert refused.returncode != 0
    assert "train.py:3:9: DET101 [error]" in refused.stdout + refused.stderr
    assert _git("rev-list", "--all", cwd=work).stdout == ""  # nothing was committed

    (work / "train.py").write_text(GOOD)
    _git("add", "train.py", cwd=work)
    accepted = subprocess.run(["git", "commit", "-m", "good"], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    # notebooks are checked too, and the finding names the cell
    (work / "explore.ipynb").write_text(_notebook(BAD))
    _git("add", "explore.ipynb", cwd=work)
    refused = subprocess.run(["git", "commit", "-m", "bad notebook"], cwd=work, env=env, capture_output=True,
                             text=True, timeout=600)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "explore.ipynb:cell 2:3:9: DET101 [error]" in refused.stdout + refused.stderr
    assert len(_git("rev-list", "--all", cwd=work).stdout.split()) == 1  # only the good commit
    (work / "explore.ipynb").write_text(_notebook(GOOD))
    _git("add", "explore.ipynb", cwd=work)
    accepted = subprocess.run(["git", "commit", "-m", "good notebook"], cwd=work, env=env, capture_output=True,
                              text=True, timeout=600)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    tried = subprocess.run([*pre_commit, "try-repo", str(hook_repo), "detlint", "--files", "train.py"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert tried.returncode == 0, tried.stdout + tried.stderr
