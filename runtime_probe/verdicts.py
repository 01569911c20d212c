"""The verdict model: scenario results and the measured observations behind them."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runtime_probe.findings import FindingRef

INSTALL_COMMAND = "pip install 'detlint[probe]'"


class Verdict(str, enum.Enum):
    """What a scenario (or one observation of it) found on this machine."""

    CONFIRMED = "CONFIRMED"  # the pitfall was observed: a measured difference or an exact error
    FIX_VERIFIED = "FIX_VERIFIED"  # the fixed variant was deterministic / faithful
    NOT_REPRODUCED = "NOT_REPRODUCED"  # the pitfall did not show here (reason says why)
    SKIPPED = "SKIPPED"  # a package the scenario needs is not installed
    ERROR = "ERROR"  # the probe itself failed (timeout, crash, unexpected exception)


class Role(str, enum.Enum):
    """What an observation is evidence for."""

    PITFALL = "pitfall"  # the code as flagged; CONFIRMED when the problem shows
    FIX = "fix"  # the suggested fix; FIX_VERIFIED when it works, CONFIRMED when the problem persists
    INFO = "info"  # context that does not decide the scenario's verdict


Value = float | int | str | bool | None


@dataclass(frozen=True)
class Observation:
    """One measured fact: e.g. ``max |Δ| final weights`` = 0.91 with no seed."""

    name: str
    metric: str
    value: Value
    verdict: Verdict
    role: Role = Role.PITFALL
    detail: str = ""
    #: For an exception: type and first message line, outer and at the root of the chain.
    exception: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "metric": self.metric,
            "value": self.value,
            "verdict": self.verdict.value,
            "role": self.role.value,
            "detail": self.detail,
            "exception": self.exception,
        }


def exception_summary(error: dict[str, Any]) -> dict[str, str]:
    """The four fields of a child's exception description that a report keeps."""
    return {key: str(error.get(key, "")) for key in ("type", "message", "root_type", "root_message")}


def exception_detail(error: dict[str, Any]) -> str:
    """``root cause TypeError: Could not locate class 'Scale'`` or the outer message."""
    if (error.get("root_type"), error.get("root_message")) != (error.get("type"), error.get("message")):
        return f"root cause {error.get('root_type')}: {error.get('root_message')}"
    return f"{error.get('type')}: {error.get('message')}"


def exception_observation(name: str, error: dict[str, Any], role: Role = Role.PITFALL,
                          verdict: Verdict = Verdict.CONFIRMED) -> Observation:
    """An observation whose measured value is the exact exception type a step raised."""
    return Observation(name, "exception", str(error.get("type")), verdict, role,
                       detail=exception_detail(error), exception=exception_summary(error))


@dataclass(frozen=True)
class Outcome:
    """What a scenario's run function returns: a verdict, why, and the evidence."""

    verdict: Verdict
    reason: str
    observations: tuple[Observation, ...] = ()


@dataclass(frozen=True)
class ProcessTiming:
    """Where one child process spent its time."""

    label: str
    wall_s: float
    startup_s: float
    phases: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "wall_s": round(self.wall_s, 3),
            "startup_s": round(self.startup_s, 3),
            "phases": {name: round(seconds, 3) for name, seconds in self.phases.items()},
        }


@dataclass
class ScenarioResult:
    """A scenario's verdict with the findings it speaks for and its timing."""

    scenario_id: str
    title: str
    codes: tuple[str, ...]
    verdict: Verdict
    reason: str
    observations: tuple[Observation, ...] = ()
    findings: tuple[FindingRef, ...] = ()
    install: str | None = None
    wall_s: float = 0.0
    processes: tuple[ProcessTiming, ...] = ()

    @property
    def fix_verified(self) -> bool | None:
        """True/False when the scenario tested a fix, None when it did not."""
        fixes = [item for item in self.observations if item.role is Role.FIX]
        if not fixes:
            return None
        return all(item.verdict is Verdict.FIX_VERIFIED for item in fixes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.scenario_id,
            "title": self.title,
            "codes": list(self.codes),
            "verdict": self.verdict.value,
            "reason": self.reason,
            "fix_verified": self.fix_verified,
            "install": self.install,
            "findings": [finding.to_dict() for finding in self.findings],
            "observations": [item.to_dict() for item in self.observations],
            "timing": {
                "wall_s": round(self.wall_s, 3),
                "processes": [process.to_dict() for process in self.processes],
            },
        }


def overall_verdict(observations: Sequence[Observation]) -> Verdict:
    """Default main verdict from observations.

    CONFIRMED when a pitfall (or a fix that did not help) was observed;
    otherwise NOT_REPRODUCED when pitfall variants ran without showing it;
    FIX_VERIFIED when only fixes were measured and all held; ERROR when
    nothing but errors came back. INFO observations never decide.
    """
    deciding = [item for item in observations if item.role is not Role.INFO]
    verdicts = {item.verdict for item in deciding}
    if Verdict.CONFIRMED in verdicts:
        return Verdict.CONFIRMED
    if any(item.role is Role.PITFALL and item.verdict is Verdict.NOT_REPRODUCED for item in deciding):
        return Verdict.NOT_REPRODUCED
    if deciding and verdicts <= {Verdict.FIX_VERIFIED}:
        return Verdict.FIX_VERIFIED
    if verdicts and verdicts <= {Verdict.ERROR}:
        return Verdict.ERROR
    if Verdict.FIX_VERIFIED in verdicts:
        return Verdict.FIX_VERIFIED
    return Verdict.NOT_REPRODUCED


def differs(value: float, *, tolerance: float = 0.0) -> Verdict:
    """Pitfall verdict for a measured difference between two runs."""
    return Verdict.CONFIRMED if value > tolerance else Verdict.NOT_REPRODUCED


def identical(value: float, *, tolerance: float = 0.0) -> Verdict:
    """Fix verdict for a measured difference that should be zero."""
    return Verdict.FIX_VERIFIED if value <= tolerance else Verdict.CONFIRMED
