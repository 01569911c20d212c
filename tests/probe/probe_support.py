"""Helpers of the runtime probe tests: run the CLI, find scenarios and observations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT / "runtime_probe" / "schema.json"
ALL_SCENARIOS_TIMEOUT_S = 900


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    tmpdir: Path

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)


def run_probe_cli(args: list[str], tmpdir: Path, env: dict[str, str] | None = None,
                  timeout: float = ALL_SCENARIOS_TIMEOUT_S) -> CliRun:
    """``python -m runtime_probe ARGS`` with its temporary folders under ``tmpdir``."""
    tmpdir.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    completed = subprocess.run(
        [sys.executable, "-m", "runtime_probe", *args],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False,
    )
    return CliRun(completed.returncode, completed.stdout, completed.stderr, tmpdir)


def leftover_probe_dirs(tmpdir: Path) -> list[Path]:
    return sorted(tmpdir.glob("detlint-probe-*"))


def scenario(report: dict[str, Any], scenario_id: str) -> dict[str, Any]:
    for item in report["scenarios"]:
        if item["id"] == scenario_id:
            return item
    raise AssertionError(f"no scenario {scenario_id!r} in report")


def observation(item: dict[str, Any], name_start: str, metric: str | None = None) -> dict[str, Any]:
    matches = [obs for obs in item["observations"]
               if obs["name"].startswith(name_start) and (metric is None or obs["metric"].startswith(metric))]
    assert len(matches) == 1, f"{name_start!r}/{metric!r}: {[obs['name'] for obs in item['observations']]}"
    return matches[0]
