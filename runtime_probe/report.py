"""The probe report and its two renderings: a rich text table and JSON."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from runtime_probe.findings import FindingRef
from runtime_probe.verdicts import Observation, Role, ScenarioResult, Verdict

SCHEMA_VERSION = 1
MAX_LOCATIONS_SHOWN = 4
MAX_DETAIL_CHARS = 110  # the text table shortens details; the JSON report keeps them whole

VERDICT_STYLES: dict[Verdict, str] = {
    Verdict.CONFIRMED: "bold red",
    Verdict.FIX_VERIFIED: "bold green",
    Verdict.NOT_REPRODUCED: "yellow",
    Verdict.SKIPPED: "cyan",
    Verdict.ERROR: "bold magenta",
}

PACKAGE_LABELS: tuple[tuple[str, str], ...] = (
    ("tensorflow", "TensorFlow"),
    ("keras", "Keras"),
    ("tf-keras", "tf-keras"),
    ("tensorflow-hub", "TF-Hub"),
    ("autokeras", "AutoKeras"),
    ("scikit-learn", "scikit-learn"),
)


@dataclass
class ProbeReport:
    """Everything one ``detlint probe`` run found."""

    mode: str  # "all" (environment check) or "paths" (findings of a lint run)
    environment: dict[str, Any]
    results: list[ScenarioResult]
    paths: tuple[str, ...] = ()
    unprobed: tuple[FindingRef, ...] = ()
    started_at: str = ""
    duration_s: float = 0.0
    tool_version: str = ""
    jobs: int = 1
    timeout_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when any scenario confirmed its pitfall, else 0."""
        return 1 if any(result.verdict is Verdict.CONFIRMED for result in self.results) else 0

    def summary(self) -> dict[str, int]:
        counts = Counter(result.verdict for result in self.results)
        return {verdict.value: counts.get(verdict, 0) for verdict in Verdict}

    def to_dict(self) -> dict[str, Any]:
        unprobed_counts = Counter(finding.code for finding in self.unprobed)
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "detlint-probe", "version": self.tool_version},
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 3),
            "mode": self.mode,
            "paths": list(self.paths),
            "settings": {"jobs": self.jobs, "timeout_s": self.timeout_s},
            "environment": self.environment,
            "scenarios": [result.to_dict() for result in self.results],
            "unprobed_findings": [finding.to_dict() for finding in self.unprobed],
            "unprobed_codes": dict(sorted(unprobed_counts.items())),
            "summary": self.summary(),
            "notes": list(self.notes),
            "exit_code": self.exit_code,
        }


# ---------------------------------------------------------------- JSON
def render_json(report: ProbeReport) -> str:
    """The report as JSON (see ``runtime_probe/schema.json``)."""
    return json.dumps(report.to_dict(), indent=2, allow_nan=False)


# ---------------------------------------------------------------- text
def format_value(value: Any) -> str:
    """Compact number formatting: 0, 0.915, 3.2e-07, 12."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "–"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) < 1e-3 or abs(value) >= 1e5:
            return f"{value:.2e}"
        return f"{value:.4g}"
    return str(value)


def verdict_text(verdict: Verdict) -> Text:
    return Text(verdict.value, style=VERDICT_STYLES[verdict])


def _environment_line(environment: dict[str, Any]) -> str:
    packages = environment.get("packages", {})
    parts = [f"Python {environment.get('python', '?')}"]
    for distribution, label in PACKAGE_LABELS:
        version = packages.get(distribution)
        parts.append(f"{label} {version}" if version else f"{label} –")
    device = environment.get("device", {})
    gpus = device.get("gpus") or []
    parts.append(f"CPU {device.get('cpu', '?')} ×{device.get('cpu_count', '?')}")
    parts.append(f"GPU {', '.join(gpus)}" if gpus else "no GPU")
    return " · ".join(parts)


def _locations(findings: tuple[FindingRef, ...]) -> str:
    if not findings:
        return "–"
    shown = [finding.location for finding in findings[:MAX_LOCATIONS_SHOWN]]
    more = len(findings) - len(shown)
    return "\n".join(shown) + (f"\n+{more} more" if more > 0 else "")


def _verdict_cell(result: ScenarioResult) -> Text:
    text = verdict_text(result.verdict)
    if result.verdict is Verdict.CONFIRMED and result.fix_verified:
        text.append("\nfix verified", style="green")
    return text


def _results_table(report: ProbeReport) -> Table:
    table = Table(title="Runtime probe", title_justify="left", show_lines=True, expand=False)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Rules", no_wrap=True)
    table.add_column("Scenario")
    table.add_column("Evidence", ratio=3)
    if report.mode == "paths":
        table.add_column("Findings", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    for result in report.results:
        evidence = Text(result.reason)
        if result.install:
            evidence.append(f"\ninstall: {result.install}", style="bold")
        row: list[Any] = [_verdict_cell(result), Text("\n".join(result.codes)), Text(result.title), evidence]
        if report.mode == "paths":
            row.append(Text(_locations(result.findings)))
        row.append(Text(f"{result.wall_s:.1f} s"))
        table.add_row(*row)
    return table


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _observation_verdict(observation: Observation) -> Text:
    text = verdict_text(observation.verdict)
    if observation.role is Role.INFO:
        text.stylize("dim")
    return text


def _role_label(observation: Observation) -> str:
    return {Role.PITFALL: "", Role.FIX: "fix: ", Role.INFO: "info: "}[observation.role]


def _observations_table(report: ProbeReport) -> Table | None:
    with_observations = [result for result in report.results if result.observations]
    if not with_observations:
        return None
    table = Table(title="Measurements", title_justify="left", expand=False)
    table.add_column("Scenario", no_wrap=True)
    table.add_column("Variant", ratio=3)
    table.add_column("Measured", ratio=2)
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    for index, result in enumerate(with_observations):
        if index:
            table.add_section()
        for position, observation in enumerate(result.observations):
            variant = Text(_role_label(observation) + observation.name)
            if observation.detail:
                variant.append(f"\n{_shorten(observation.detail, MAX_DETAIL_CHARS)}", style="dim")
            table.add_row(
                Text(result.scenario_id if position == 0 else ""),
                variant,
                Text(observation.metric),
                Text(format_value(observation.value)),
                _observation_verdict(observation),
            )
    return table


def render_text(report: ProbeReport, console: Console) -> None:
    """Print the report: environment, verdict table, measurements, summary."""
    console.print(Text("detlint probe", style="bold"), Text(f"— {_environment_line(report.environment)}"))
    set_env = {key: value for key, value in report.environment.get("determinism_env", {}).items() if value is not None}
    if set_env:
        console.print(Text("environment: " + ", ".join(f"{key}={value}" for key, value in set_env.items())))
    if not report.results:
        console.print("Nothing to probe: no finding has a runtime scenario.")
    else:
        console.print(_results_table(report))
        observations = _observations_table(report)
        if observations is not None:
            console.print(observations)
    if report.unprobed:
        counts = Counter(finding.code for finding in report.unprobed)
        listed = ", ".join(f"{code} ×{count}" for code, count in sorted(counts.items()))
        console.print(Text(f"No runtime scenario for: {listed}"))
    for note in report.notes:
        console.print(Text(f"note: {note}"))
    summary = ", ".join(f"{count} {verdict}" for verdict, count in report.summary().items() if count)
    console.print(f"{summary or 'no scenarios'} in {report.duration_s:.1f} s (exit code {report.exit_code})")
