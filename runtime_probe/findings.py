"""Linter findings as the probe sees them, and which scenario speaks for which."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class FindingLike(Protocol):
    """What the probe needs from a linter finding (``detlint.finding.Finding`` fits)."""

    code: str
    path: str
    line: int
    column: int
    message: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class FindingRef:
    """A finding reduced to what a verdict cites and what a scenario replays."""

    code: str
    path: str
    line: int
    column: int = 1
    message: str = ""
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_finding(cls, finding: FindingLike) -> FindingRef:
        """Copy the attributes the probe uses from any finding-like object."""
        data = getattr(finding, "data", None)
        return cls(
            code=str(finding.code),
            path=str(finding.path),
            line=int(finding.line),
            column=int(getattr(finding, "column", 1) or 1),
            message=str(getattr(finding, "message", "") or ""),
            data=dict(data) if isinstance(data, Mapping) else {},
        )

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "path": self.path, "line": self.line, "column": self.column}


def as_finding_refs(findings: Iterable[FindingLike | FindingRef]) -> list[FindingRef]:
    """Convert linter findings (or refs) to refs, sorted by code and location."""
    refs = [item if isinstance(item, FindingRef) else FindingRef.from_finding(item) for item in findings]
    return sorted(refs, key=lambda ref: (ref.code, ref.path, ref.line, ref.column))


def parse_code_filter(text: str) -> frozenset[str]:
    """``"DET101, det302"`` → ``{"DET101", "DET302"}``; raises ValueError on a malformed code."""
    codes = {part.strip().upper() for part in text.split(",") if part.strip()}
    bad = sorted(code for code in codes if not (code.startswith("DET") and code[3:].isdigit() and len(code) == 6))
    if bad:
        raise ValueError(f"not a rule code: {', '.join(bad)} (expected e.g. DET101)")
    if not codes:
        raise ValueError("no rule code given")
    return frozenset(codes)
