"""What a scenario is: rule codes, required packages, and a parent-side run function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from runtime_probe.findings import FindingRef
from runtime_probe.harness import Workspace
from runtime_probe.verdicts import Outcome


@dataclass(frozen=True)
class ScenarioContext:
    """Given to a scenario's run function by the runner."""

    workspace: Workspace
    findings: tuple[FindingRef, ...]


@dataclass(frozen=True)
class Scenario:
    """One pitfall experiment.

    ``run`` executes in the parent: it starts child processes through the
    workspace (the framework code lives in module-level child functions of
    the scenario module) and turns their results into an :class:`Outcome`.
    ``expected_s`` is a rough cost used to start long scenarios first.
    """

    scenario_id: str
    title: str
    codes: tuple[str, ...]
    requires: tuple[str, ...]
    run: Callable[[ScenarioContext], Outcome]
    expected_s: float = 10.0
