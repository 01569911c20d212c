"""``detlint probe`` / ``python -m runtime_probe``: options, exit codes, findings from the linter."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from probe_support import REPO_ROOT, leftover_probe_dirs, run_probe_cli, scenario

from runtime_probe.child import HIDE_ENV_VAR
from runtime_probe.cli import main

pytestmark = pytest.mark.probe


@pytest.mark.parametrize("argv", [
    ["--bogus"],
    ["--all", "--format", "xml"],
    ["--all", "--timeout", "-1"],
    ["--all", "--timeout", "soon"],
    ["--all", "--only", "XYZ1"],
    ["--all", "--jobs", "0"],
    [],  # neither PATHs nor --all
    ["--all", "somewhere.py"],
])
def test_usage_errors_exit_2_with_message_and_no_traceback(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "error:" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.py")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--only" in capsys.readouterr().out


def test_confirmed_exits_1_text_table(tmp_path: Path) -> None:
    run = run_probe_cli(["--all", "--only", "DET204", "--no-color"], tmp_path)
    assert run.returncode == 1, run.stderr
    assert "hash-order" in run.stdout and "CONFIRMED" in run.stdout
    assert "\x1b[" not in run.stdout  # --no-color and a pipe: no escape codes
    assert leftover_probe_dirs(tmp_path) == []


def test_skipped_exits_0_with_install_command(tmp_path: Path) -> None:
    run = run_probe_cli(["--all", "--only", "DET106,DET107", "--format", "json"], tmp_path,
                        env={HIDE_ENV_VAR: "autokeras"})
    assert run.returncode == 0, run.stderr
    report = run.json()
    item = scenario(report, "automl-search")
    assert item["verdict"] == "SKIPPED"
    assert item["install"] == "pip install 'detlint[probe]'"
    assert report["summary"]["SKIPPED"] == 1


def test_only_filters_scenarios(tmp_path: Path) -> None:
    run = run_probe_cli(["--all", "--only", "det203", "--format", "json"], tmp_path)
    assert [item["id"] for item in run.json()["scenarios"]] == ["hash-order"]


def test_paths_are_linted_and_findings_grouped(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "prepare.py").write_text(
        "import numpy as np\n"
        "from sklearn.model_selection import KFold, train_test_split\n"
        "\n"
        "features = np.arange(40).reshape(20, 2)\n"
        "train, test = train_test_split(features, test_size=0.3)\n"
        "folds = KFold(n_splits=4, shuffle=True)\n"
        "noise = np.random.rand(3)\n"
    )
    run = run_probe_cli([str(project), "--format", "json"], tmp_path / "tmp")
    assert run.returncode == 1, run.stderr
    report = run.json()
    assert report["mode"] == "paths"
    item = scenario(report, "unseeded-split")
    assert item["verdict"] == "CONFIRMED"
    assert [(finding["code"], finding["line"]) for finding in item["findings"]] == [("DET101", 5), ("DET101", 6)]
    names = [obs["name"] for obs in item["observations"]]
    assert any(name.startswith("train_test_split(test_size=0.3), no seed") for name in names)
    assert any(name.startswith("KFold(n_splits=4, shuffle=True), no seed") for name in names)
    assert [item["id"] for item in report["scenarios"]] == ["unseeded-split"]
    assert "DET105" in report["unprobed_codes"]


def test_ctrl_c_stops_children_and_removes_temporary_folders(tmp_path: Path) -> None:
    environment = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "runtime_probe", "--all", "--only", "DET103", "--format", "json"],
        cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("detlint-probe-*/.probe/tasks/*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob("detlint-probe-*")), "the scenario never started"
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert leftover_probe_dirs(tmp_path) == []
    if Path("/proc").is_dir():
        still_running = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    command = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if str(tmp_path).encode() in command:
                    still_running.append(entry.name)
        assert still_running == []
