"""--fix and --diff: exact output, idempotence, formatting kept, atomic writes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from detlint import fixes
from detlint.api import FixMode, run
from detlint.config import Options
from cliutil import detlint

BEFORE = """\
\"\"\"Train a model.\"\"\"
import autokeras as ak
import pandas as pd
from sklearn.model_selection import train_test_split

SEED = 7
df = pd.read_csv("data.csv")
train, test = train_test_split(
    df,
    test_size=0.2,  # keep 20% for testing
)
clf = ak.StructuredDataClassifier(max_trials=1)
clf.fit(train, epochs=1)
"""
AFTER = """\
\"\"\"Train a model.\"\"\"
import autokeras as ak
import pandas as pd
from sklearn.model_selection import train_test_split

SEED = 7
import keras
keras.utils.set_random_seed(SEED)
df = pd.read_csv("data.csv")
train, test = train_test_split(
    df,
    test_size=0.2, random_state=SEED,  # keep 20% for testing
)
clf = ak.StructuredDataClassifier(max_trials=1, seed=SEED, overwrite=True)
clf.fit(train, epochs=1)
"""


def test_fix_writes_expected_text_and_is_idempotent(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text(BEFORE)
    safe_only = detlint("check", "--fix", "train.py", cwd=tmp_path)
    assert target.read_text() == AFTER.replace(", overwrite=True", "")
    assert safe_only.returncode == 1 and "DET107" in safe_only.stdout  # its fix is unsafe
    first = detlint("check", "--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert target.read_text() == AFTER
    assert first.returncode == 0, first.stdout + first.stderr
    second = detlint("check", "--fix", "--unsafe-fixes", "train.py", cwd=tmp_path)
    assert target.read_text() == AFTER and second.returncode == 0


def test_diff_applied_with_patch_equals_fix(tmp_path: Path) -> None:
    if shutil.which("patch") is None:
        pytest.fail("`patch` is required for this test")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "train.py").write_text(BEFORE)
    diff = detlint("check", "--diff", "--unsafe-fixes", "a/train.py", cwd=tmp_path)
    assert diff.returncode == 1
    assert (tmp_path / "a" / "train.py").read_text() == BEFORE  # --diff writes nothing
    subprocess.run(["patch", "-p1", "-s"], input=diff.stdout, text=True, cwd=tmp_path, check=True)
    assert (tmp_path / "a" / "train.py").read_text() == AFTER


def test_unsafe_fix_needs_flag(tmp_path: Path) -> None:
    code = 'import keras\nimport keras\nkeras.utils.set_random_seed(1)\nm = keras.Sequential([])\nm.save("model.h5")\n'
    target = tmp_path / "m.py"
    target.write_text(code)
    detlint("check", "--fix", "m.py", cwd=tmp_path)
    assert target.read_text() == code
    detlint("check", "--fix", "--unsafe-fixes", "m.py", cwd=tmp_path)
    assert target.read_text() == code.replace("model.h5", "model.keras")


def test_crlf_bom_and_permissions_kept(tmp_path: Path) -> None:
    target = tmp_path / "s.py"
    code = "from sklearn.model_selection import train_test_split\r\nparts = train_test_split([1, 2])\r\n"
    target.write_bytes(b"\xef\xbb\xbf" + code.encode())
    os.chmod(target, 0o750)
    detlint("check", "--fix", "s.py", cwd=tmp_path)
    expected = code.replace("([1, 2])", "([1, 2], random_state=42)")
    assert target.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o750


def test_failed_write_leaves_original_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "s.py"
    code = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"
    target.write_text(code)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixes.os, "replace", failing_replace)
    monkeypatch.chdir(tmp_path)
    result = run(["s.py"], Options(), fix=FixMode(apply=True))
    assert target.read_text() == code
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.py"]
    assert any("fixes not written" in e for e in result.errors)
    assert [(f.code, f.line, f.column) for f in result.findings] == [("DET101", 2, 9)]


def test_stdin_fix_prints_fixed_buffer(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"
    result = detlint("check", "--fix", "-", "--stdin-filename", "x.py", cwd=tmp_path, stdin=code)
    assert result.stdout == code.replace("([1, 2])", "([1, 2], random_state=42)")
