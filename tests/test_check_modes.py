"""--fix-only, --exit-non-zero-on-fix, --unfixable and --watch."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from cliutil import BAD, detlint

SRC = str(Path(__file__).resolve().parents[1] / "src")
SEEDED = BAD.replace("test_size=0.2)", "test_size=0.2, random_state=42)")
UNSEEDED_FOREST = "from sklearn.ensemble import RandomForestClassifier\n\nmodel = RandomForestClassifier()\n"


def test_fix_only_fixes_and_reports_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD + "import numpy as np\nx = np.random.rand(3)\n")
    result = detlint("check", "--no-cache", "--fix-only", "--format", "concise", "a.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
    assert "random_state=42" in (tmp_path / "a.py").read_text()
    # DET105 (no fix) remains, and a plain check still reports it
    assert detlint("check", "--no-cache", "--format", "concise", "a.py", cwd=tmp_path).returncode == 1


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD)
    result = detlint("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "a.py", cwd=tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "a.py").read_text() == SEEDED
    again = detlint("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "a.py", cwd=tmp_path)
    assert again.returncode == 0


def test_unfixable_codes_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD + UNSEEDED_FOREST.replace("from sklearn", "\nfrom sklearn"))
    result = detlint("check", "--no-cache", "--fix", "--unfixable", "DET101", "--format", "concise", "a.py",
                     cwd=tmp_path)
    text = (tmp_path / "a.py").read_text()
    assert "test_size=0.2)" in text  # DET101 not fixed
    assert "RandomForestClassifier(random_state=42)" in text  # DET109 fixed
    assert result.returncode == 1 and "DET101" in result.stdout


def test_unfixable_unknown_code_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BAD)
    result = detlint("check", "--no-cache", "--fix", "--unfixable", "XYZ9", "a.py", cwd=tmp_path)
    assert result.returncode == 2 and "--unfixable" in result.stderr and "XYZ9" in result.stderr


def _read_until(stream, needle: str, deadline: float) -> str:  # type: ignore[no-untyped-def]
    """Read the process's output until ``needle`` appears; never block past ``deadline``."""
    seen = ""
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{needle!r} not seen; got {seen!r}")
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 4096).decode()
            if not chunk:
                raise AssertionError(f"output ended before {needle!r}; got {seen!r}")
            seen += chunk
    return seen


def test_watch_checks_again_after_a_change(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(SEEDED)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "detlint", "check", "--no-cache", "--watch", "--format",
                                "concise", "."], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=env)
    try:
        assert process.stdout is not None
        _read_until(process.stdout, "watching for changes", time.monotonic() + 60)
        (tmp_path / "a.py").write_text(BAD)
        seen = _read_until(process.stdout, "watching for changes", time.monotonic() + 60)
        assert "a.py:5:15: DET101" in seen
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=20) == 0
        finally:
            process.kill()
