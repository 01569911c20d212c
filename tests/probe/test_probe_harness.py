"""The subprocess harness: time limits, process groups, temporary folders, missing packages."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from runtime_probe import selftest
from runtime_probe.child import HIDE_ENV_VAR
from runtime_probe.harness import ChildSpec, ProbeAborted, ProbeTimeout, ProcessSlots, Workspace
from runtime_probe.runner import PlannedScenario, run_scenario
from runtime_probe.scenarios import split
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import INSTALL_COMMAND, Outcome, Verdict

pytestmark = pytest.mark.probe


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # a zombie is dead for our purpose
        return "State:\tZ" not in status.read_text()
    return True


def _wait_dead(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_child_result_and_phases(probe_tmp: Path) -> None:
    with Workspace("selftest", timeout_s=60) as workspace:
        run = workspace.run("A", selftest.child_import, {"module": "json"})
    assert run.ok and run.value()["module"] == "json"
    assert "import" in run.phases
    assert run.wall_s > 0
    assert not workspace.path.exists()


def test_timeout_kills_process_group_and_removes_folder(probe_tmp: Path) -> None:
    started = time.monotonic()
    with pytest.raises(ProbeTimeout, match="time limit of 3 s"):
        with Workspace("selftest", timeout_s=3) as workspace:
            workspace.run("A", selftest.child_sleep, {"seconds": 120})
    assert time.monotonic() - started < 30
    assert not workspace.path.exists()
    assert list(probe_tmp.glob("detlint-probe-*")) == []


def test_timeout_kills_grandchildren(probe_tmp: Path) -> None:
    pids: dict[str, int] = {}
    with Workspace("selftest", timeout_s=3) as workspace:
        handle = workspace.start("A", selftest.child_sleep, {"seconds": 120, "spawn_grandchild": True})
        pid_file = workspace.path / "shared" / "grandchild.pid"
        deadline = time.monotonic() + 20
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        pids["grandchild"] = int(pid_file.read_text())
        pids["child"] = handle.process.pid
        with pytest.raises(ProbeTimeout):
            workspace.wait(handle)
    assert _wait_dead(pids["child"])
    assert _wait_dead(pids["grandchild"])


def test_timeout_becomes_error_verdict(probe_tmp: Path) -> None:

    def sleepy(context: ScenarioContext) -> Outcome:
        context.workspace.run("A", selftest.child_sleep, {"seconds": 120})
        return Outcome(Verdict.CONFIRMED, "unreachable")

    scenario = Scenario("sleepy", "sleeps", ("DET999",), (), sleepy)
    result = run_scenario(PlannedScenario(scenario, ()), timeout_s=2)
    assert result.verdict is Verdict.ERROR
    assert result.reason.startswith("timed out: time limit of 2 s reached")
    assert list(probe_tmp.glob("detlint-probe-*")) == []


def test_abort_stops_children_and_removes_folder(probe_tmp: Path) -> None:
    from runtime_probe.harness import abort_all_workspaces

    outcome: dict[str, BaseException] = {}

    def sleepy(context: ScenarioContext) -> Outcome:
        context.workspace.run("A", selftest.child_sleep, {"seconds": 120})
        return Outcome(Verdict.CONFIRMED, "unreachable")

    def work() -> None:
        try:
            run_scenario(PlannedScenario(Scenario("sleepy", "sleeps", ("DET999",), (), sleepy), ()), timeout_s=60)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    deadline = time.monotonic() + 20
    while not list(probe_tmp.glob("detlint-probe-*/shared/child.pid")) and time.monotonic() < deadline:
        time.sleep(0.05)
    child_pid = int(next(probe_tmp.glob("detlint-probe-*/shared/child.pid")).read_text())
    abort_all_workspaces()
    thread.join(timeout=20)
    assert isinstance(outcome.get("error"), ProbeAborted)
    assert _wait_dead(child_pid)
    assert list(probe_tmp.glob("detlint-probe-*")) == []


def test_failure_reports_type_and_root_cause(probe_tmp: Path) -> None:
    with Workspace("selftest", timeout_s=60) as workspace:
        run = workspace.run("A", selftest.child_fail, {"outer": "outer", "root": "deep"})
    assert not run.ok
    assert run.error["type"] == "RuntimeError"
    assert run.error["root_type"] == "KeyError"
    assert run.error["root_message"] == "'deep'"
    assert run.error["chain"] == ["RuntimeError", "KeyError"]


def test_hidden_package_is_missing_in_child(probe_tmp: Path) -> None:
    with Workspace("selftest", timeout_s=60, env={HIDE_ENV_VAR: "sklearn"}) as workspace:
        hidden = workspace.run("A", selftest.child_import, {"module": "sklearn.model_selection"})
        visible = workspace.run("B", selftest.child_import, {"module": "json"})
    assert hidden.missing_module == "sklearn"  # the top-level package is what is missing
    assert visible.ok


def test_package_missing_in_child_becomes_skipped(monkeypatch: pytest.MonkeyPatch, probe_tmp: Path) -> None:
    """The parent finds nothing missing (no requirement declared); the child cannot import sklearn."""
    monkeypatch.setenv(HIDE_ENV_VAR, "sklearn")
    undeclared = Scenario("split-undeclared", "split", ("DET101",), (), split.run)
    result = run_scenario(PlannedScenario(undeclared, ()), timeout_s=120)
    assert result.verdict is Verdict.SKIPPED
    assert result.reason == "not installed: scikit-learn"
    assert result.install == INSTALL_COMMAND


def test_package_missing_in_parent_check_is_skipped_without_starting_children(
        monkeypatch: pytest.MonkeyPatch, probe_tmp: Path) -> None:
    monkeypatch.setenv(HIDE_ENV_VAR, "autokeras,tensorboard")
    from runtime_probe.scenarios import automl

    result = run_scenario(PlannedScenario(automl.SCENARIO, ()), timeout_s=5)
    assert result.verdict is Verdict.SKIPPED
    assert result.reason == "not installed: autokeras, tensorboard"
    assert result.processes == ()


def test_slots_limit_parallel_children(probe_tmp: Path) -> None:
    slots = ProcessSlots(1)
    with Workspace("selftest", timeout_s=60, slots=slots) as workspace:
        started = time.monotonic()
        first, second = workspace.run_together(
            ChildSpec("A", selftest.child_sleep, {"seconds": 1.0}),
            ChildSpec("B", selftest.child_sleep, {"seconds": 1.0}),
        )
        elapsed = time.monotonic() - started
    assert first.ok and second.ok
    assert elapsed >= 2.0  # one slot: the second child started after the first ended
