"""--fix writes only what it linted: a file edited (or fixed by another run) while detlint was checking it is
left alone with an error; read-only files are refused; owner, group and hard links are kept."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cliutil import detlint
from detlint.api import FixMode, run
from detlint.config import Options
from detlint import fixes
from detlint.fixes import FixNotWritten, digest, write_fix

CODE = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"
FIXED = CODE.replace("([1, 2])", "([1, 2], random_state=42)")
EDITED = CODE + "print('saved by an editor while detlint ran')\n"
# A safe fix (DET101) and an unsafe one (DET304): runs with and without --unsafe-fixes write different files.
MIXED = """\
import keras
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(1)
m = keras.Sequential([])
m.save("model.h5")
parts = train_test_split([1, 2])
"""
SAFE_FIXED = MIXED.replace("([1, 2])", "([1, 2], random_state=42)")
BOTH_FIXED = SAFE_FIXED.replace("model.h5", "model.keras")
CHANGED = "fixes not written: the file changed while it was being checked (run detlint again)"


def _triples(result) -> list[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
    return [(f.path, f.code, f.line, f.column) for f in result.findings]


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_edited_between_lint_and_write_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          jobs: int) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(CODE)

    def editor_saves(path: Path) -> None:
        if path.name == "b.py":
            path.write_text(EDITED)

    monkeypatch.chdir(tmp_path)
    result = run(["."], Options(), fix=FixMode(apply=True, before_write=editor_saves), use_cache=False, jobs=jobs)
    assert (tmp_path / "b.py").read_text() == EDITED
    assert (tmp_path / "a.py").read_text() == FIXED and (tmp_path / "c.py").read_text() == FIXED
    assert result.errors == [f"b.py: {CHANGED}"]
    assert result.fixed == 2
    # b.py was not fixed: its finding stands (as linted); a.py and c.py are clean now.
    assert _triples(result) == [("b.py", "DET101", 2, 9)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py", "c.py"]


def test_notebook_edited_between_lint_and_write_keeps_the_edit_and_its_cell_positions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Split"]},
             {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": CODE.splitlines(True)}]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "split.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    edited = path.read_text().replace("# Split", "# Split, saved while detlint ran")

    monkeypatch.chdir(tmp_path)
    result = run(["split.ipynb"], Options(), fix=FixMode(apply=True, before_write=lambda p: p.write_text(edited)),
                 use_cache=False)
    assert path.read_text() == edited
    assert result.errors == [f"split.ipynb: {CHANGED}"] and result.fixed == 0
    assert [(f.code, f.cell, f.line, f.column) for f in result.findings] == [("DET101", 2, 2, 9)]


def test_write_fix_refuses_content_other_than_the_linted(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(EDITED)
    with pytest.raises(FixNotWritten, match="changed while it was being checked"):
        write_fix(target, digest(CODE.encode()), FIXED.encode())
    assert target.read_text() == EDITED
    write_fix(target, digest(EDITED.encode()), FIXED.encode())
    assert target.read_text() == FIXED


def test_hard_linked_file_changed_since_lint_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(EDITED)
    os.link(target, tmp_path / "b.py")
    with pytest.raises(FixNotWritten, match="changed while it was being checked"):
        write_fix(target, digest(CODE.encode()), FIXED.encode())
    assert target.read_text() == EDITED and (tmp_path / "b.py").read_text() == EDITED


def test_another_fix_run_between_lint_and_write_is_not_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second, real `detlint check --fix --unsafe-fixes` runs right before this run writes: its fixes
    stay, and this run says it left the file alone instead of reporting success."""
    (tmp_path / "m.py").write_text(MIXED)
    other_runs = []

    def other_run_fixes(path: Path) -> None:
        other_runs.append(detlint("check", "--fix", "--unsafe-fixes", "--no-cache", path.name, cwd=tmp_path))

    monkeypatch.chdir(tmp_path)
    result = run(["m.py"], Options(), fix=FixMode(apply=True, before_write=other_run_fixes), use_cache=False)
    [other] = other_runs
    assert other.returncode == 0, other.stdout + other.stderr
    assert (tmp_path / "m.py").read_text() == BOTH_FIXED
    assert result.errors == [f"m.py: {CHANGED}"] and result.fixed == 0
    assert _triples(result) == [("m.py", "DET304", 6, 1), ("m.py", "DET101", 7, 9)]


def test_file_locked_by_another_program_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fcntl = pytest.importorskip("fcntl")
    target = tmp_path / "a.py"
    target.write_text(CODE)
    monkeypatch.setattr(fixes, "LOCK_TIMEOUT_SECONDS", 0.2)
    with target.open("rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # as a second detlint run holds it while it writes
        with pytest.raises(FixNotWritten, match="another program keeps the file locked"):
            write_fix(target, digest(CODE.encode()), FIXED.encode())
    assert target.read_text() == CODE
    write_fix(target, digest(CODE.encode()), FIXED.encode())
    assert target.read_text() == FIXED


@pytest.mark.slow
def test_two_concurrent_fix_runs_with_different_fixes_both_survive_or_say_so(tmp_path: Path) -> None:
    """Two real runs race over 40 files: one fixes DET101 (safe), the other with --unsafe-fixes also DET304.
    Whatever the interleaving, a file holds the fixes of every run that reported it fixed; a run whose
    linted content was replaced under it reports that file and exits 2. (Where the runs do not overlap
    this passes trivially; the deterministic case is the test above.)"""
    names = [f"m{i:02d}.py" for i in range(40)]
    for name in names:
        (tmp_path / name).write_text(MIXED)
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "detlint", "check", "--fix", "--no-cache", "-j", "1", *names]
    runs = [subprocess.Popen([*command, *extra], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for extra in ([], ["--unsafe-fixes"])]
    (safe_out, safe_err), (unsafe_out, unsafe_err) = [process.communicate(timeout=120) for process in runs]
    safe_refused = {line.split(":")[2].strip() for line in safe_err.splitlines() if CHANGED in line}
    unsafe_refused = {line.split(":")[2].strip() for line in unsafe_err.splitlines() if CHANGED in line}
    for name in names:
        content = (tmp_path / name).read_text()
        # The unsafe run's result is kept unless it was refused; then only the safe fix is there.
        assert content == (SAFE_FIXED if name in unsafe_refused else BOTH_FIXED), (name, unsafe_err, safe_err)
        assert name not in safe_refused or content == BOTH_FIXED
    assert runs[1].returncode == (2 if unsafe_refused else 0), unsafe_err
    # The safe run leaves DET304 behind (1) unless it only ever saw files the other run had fixed (0).
    assert runs[0].returncode in ((2,) if safe_refused else (0, 1)), safe_err


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ro.py").write_text(CODE)
    (tmp_path / "rw.py").write_text(CODE)
    (tmp_path / "ro.py").chmod(0o444)
    result = detlint("check", "--fix", "--no-cache", "ro.py", "rw.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "detlint: error: ro.py: fixes not written: the file is read-only\n" in result.stderr
    assert (tmp_path / "ro.py").read_text() == CODE and stat.S_IMODE((tmp_path / "ro.py").stat().st_mode) == 0o444
    assert (tmp_path / "rw.py").read_text() == FIXED
    assert "ro.py:2:9: DET101" in result.stdout and "rw.py" not in result.stdout


def test_hard_links_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(CODE)
    os.link(target, tmp_path / "b.py")
    target.chmod(0o640)
    inode = target.stat().st_ino
    result = detlint("check", "--fix", "--no-cache", "a.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_text() == FIXED and (tmp_path / "b.py").read_text() == FIXED
    assert target.stat().st_ino == inode == (tmp_path / "b.py").stat().st_ino and target.stat().st_nlink == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def _other_owner_and_group() -> tuple[int, int]:
    if os.geteuid() == 0:
        return 65534, 65534  # nobody / nogroup: only root may hand a file to another user
    others = [group for group in os.getgroups() if group != os.getegid()]
    if not others:
        pytest.skip("needs root or membership in a second group to give a file another group")
    return os.geteuid(), others[0]


def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    owner, group = _other_owner_and_group()
    target = tmp_path / "a.py"
    target.write_text(CODE)
    os.chown(target, owner, group)
    target.chmod(0o664)
    result = detlint("check", "--fix", "--no-cache", "a.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_text() == FIXED
    assert (target.stat().st_uid, target.stat().st_gid) == (owner, group)
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
