"""Choose scenarios for findings and run them, in parallel as process slots allow."""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from runtime_probe.availability import describe_missing, missing_modules
from runtime_probe.findings import FindingRef
from runtime_probe.harness import (
    ChildFailed,
    ModuleMissing,
    ProbeAborted,
    ProbeTimeout,
    ProcessSlots,
    Workspace,
    abort_all_workspaces,
)
from runtime_probe.scenarios import SCENARIOS, scenario_for_code
from runtime_probe.scenarios.base import Scenario, ScenarioContext
from runtime_probe.verdicts import INSTALL_COMMAND, ProcessTiming, ScenarioResult, Verdict

DEFAULT_TIMEOUT_S = 300.0
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Child processes at once: one per core, at most four (each uses several threads)."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_JOBS))


@dataclass(frozen=True)
class PlannedScenario:
    scenario: Scenario
    findings: tuple[FindingRef, ...]


@dataclass(frozen=True)
class ProbePlan:
    """Scenarios to run, each with the findings it speaks for, and findings no scenario covers."""

    scenarios: tuple[PlannedScenario, ...]
    unprobed: tuple[FindingRef, ...] = ()


def _selected(scenario: Scenario, only: frozenset[str] | None) -> bool:
    return only is None or bool(only.intersection(scenario.codes))


def plan_all(only: frozenset[str] | None = None) -> ProbePlan:
    """Every scenario (an environment check), optionally limited to some rule codes."""
    return ProbePlan(tuple(PlannedScenario(s, ()) for s in SCENARIOS if _selected(s, only)))


def plan_for_findings(findings: Iterable[FindingRef], only: frozenset[str] | None = None) -> ProbePlan:
    """One scenario per rule that has one; several codes may share a scenario."""
    grouped: dict[str, list[FindingRef]] = {}
    unprobed: list[FindingRef] = []
    for finding in findings:
        if only is not None and finding.code not in only:
            continue
        scenario = scenario_for_code(finding.code)
        if scenario is None:
            unprobed.append(finding)
        else:
            grouped.setdefault(scenario.scenario_id, []).append(finding)
    planned = tuple(
        PlannedScenario(scenario, tuple(grouped[scenario.scenario_id]))
        for scenario in SCENARIOS
        if scenario.scenario_id in grouped
    )
    return ProbePlan(planned, tuple(unprobed))


class ProgressListener(Protocol):
    def scenario_started(self, scenario: Scenario) -> None: ...

    def scenario_finished(self, result: ScenarioResult) -> None: ...


def _result(planned: PlannedScenario, verdict: Verdict, reason: str, *, started: float,
            workspace: Workspace | None = None, outcome_observations: Sequence = (),
            install: str | None = None) -> ScenarioResult:
    runs = workspace.runs if workspace is not None else []
    wall_s = time.monotonic() - started
    if workspace is not None and workspace.runs:
        wall_s = workspace.busy_s()  # time its processes ran, not time spent waiting for a slot
    return ScenarioResult(
        scenario_id=planned.scenario.scenario_id,
        title=planned.scenario.title,
        codes=planned.scenario.codes,
        verdict=verdict,
        reason=reason,
        observations=tuple(outcome_observations),
        findings=planned.findings,
        install=install,
        wall_s=wall_s,
        processes=tuple(ProcessTiming(run.label, run.wall_s, run.startup_s, dict(run.phases)) for run in runs),
    )


def run_scenario(planned: PlannedScenario, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 slots: ProcessSlots | None = None) -> ScenarioResult:
    """Run one scenario; every failure becomes a verdict, never an exception (except abort)."""
    scenario = planned.scenario
    started = time.monotonic()
    missing = missing_modules(scenario.requires)
    if missing:
        return _result(planned, Verdict.SKIPPED, f"not installed: {describe_missing(missing)}",
                       started=started, install=INSTALL_COMMAND)
    with Workspace(scenario.scenario_id, timeout_s, slots) as workspace:
        try:
            outcome = scenario.run(ScenarioContext(workspace, planned.findings))
        except ModuleMissing as exc:
            return _result(planned, Verdict.SKIPPED, f"not installed: {describe_missing([exc.module])}",
                           started=started, workspace=workspace, install=INSTALL_COMMAND)
        except ProbeTimeout as exc:
            return _result(planned, Verdict.ERROR, f"timed out: {exc}", started=started, workspace=workspace)
        except ChildFailed as exc:
            return _result(planned, Verdict.ERROR, str(exc), started=started, workspace=workspace)
        except ProbeAborted:
            raise
        except Exception as exc:  # a probe bug: report it as a verdict, not a traceback
            return _result(planned, Verdict.ERROR, f"probe failed: {type(exc).__name__}: {exc}",
                           started=started, workspace=workspace)
        return _result(planned, outcome.verdict, outcome.reason, started=started, workspace=workspace,
                       outcome_observations=outcome.observations)


def run_plan(plan: ProbePlan, *, timeout_s: float = DEFAULT_TIMEOUT_S, jobs: int | None = None,
             listener: ProgressListener | None = None) -> list[ScenarioResult]:
    """Run all planned scenarios; results come back in plan order.

    Every scenario gets a thread; at most ``jobs`` child processes run at any
    time. Long scenarios start first. On KeyboardInterrupt all children are
    killed and all temporary directories removed before it propagates.
    """
    slots = ProcessSlots(jobs or default_jobs())
    order = sorted(plan.scenarios, key=lambda item: -item.scenario.expected_s)
    results: dict[str, ScenarioResult] = {}
    lock = threading.Lock()

    def work(planned: PlannedScenario) -> None:
        if listener is not None:
            listener.scenario_started(planned.scenario)
        try:
            result = run_scenario(planned, timeout_s=timeout_s, slots=slots)
        except ProbeAborted:
            raise
        except Exception as exc:  # e.g. no room for a temporary folder: a verdict, not a crash
            result = _result(planned, Verdict.ERROR, f"probe failed: {type(exc).__name__}: {exc}",
                             started=time.monotonic())
        with lock:
            results[planned.scenario.scenario_id] = result
        if listener is not None:
            listener.scenario_finished(result)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(order)), thread_name_prefix="probe")
    try:
        futures = []
        for planned in order:
            futures.append(executor.submit(work, planned))
            time.sleep(0.05)  # keeps slot requests in start order
        pending = set(futures)
        while pending:
            _, pending = concurrent.futures.wait(pending, timeout=0.2)
        for future in futures:
            error = future.exception()
            if error is not None and not isinstance(error, ProbeAborted):
                raise error
    except BaseException:
        abort_all_workspaces()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [results[item.scenario.scenario_id] for item in plan.scenarios if item.scenario.scenario_id in results]
