"""Live progress of running scenarios (on stderr, so stdout keeps the report clean)."""

from __future__ import annotations

import threading
import time

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from runtime_probe.report import verdict_text
from runtime_probe.scenarios.base import Scenario
from runtime_probe.verdicts import ScenarioResult


class LiveProgress:
    """A spinner line per scenario while it runs; shown only on a terminal.

    On a non-terminal stream it prints one plain line per finished scenario
    (when ``log_lines``), which keeps CI logs readable.
    """

    def __init__(self, console: Console, scenarios: list[Scenario], *, log_lines: bool = True) -> None:
        self._console = console
        self._lock = threading.Lock()
        self._interactive = console.is_terminal
        self._log_lines = log_lines
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}
        self._started: dict[str, float] = {}
        for scenario in scenarios:
            label = f"{scenario.scenario_id} ({', '.join(scenario.codes)}) — queued"
            self._tasks[scenario.scenario_id] = self._progress.add_task(label, total=1, start=False)

    def __enter__(self) -> LiveProgress:
        if self._interactive:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._interactive:
            self._progress.stop()

    def scenario_started(self, scenario: Scenario) -> None:
        with self._lock:
            self._started[scenario.scenario_id] = time.monotonic()
            task = self._tasks[scenario.scenario_id]
            self._progress.start_task(task)
            self._progress.update(task, description=f"{scenario.scenario_id} ({', '.join(scenario.codes)}) — running")

    def scenario_finished(self, result: ScenarioResult) -> None:
        with self._lock:
            task = self._tasks[result.scenario_id]
            description = f"{result.scenario_id} — {result.verdict.value}"
            self._progress.update(task, description=description, completed=1)
            self._progress.stop_task(task)
            if not self._interactive and self._log_lines:
                line = Text(f"probe: {result.scenario_id} ")
                line.append_text(verdict_text(result.verdict))
                line.append(f" ({result.wall_s:.1f} s)")
                self._console.print(line)
