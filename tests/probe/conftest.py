"""Shared fixtures of the runtime probe tests.

The expensive part, one run of every scenario with the real frameworks, is
done once per session (``probe_all``) and shared by the scenario, schema
and CLI tests.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from probe_support import SCHEMA_PATH, CliRun, run_probe_cli


@pytest.fixture(scope="session")
def probe_all(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    """``--all --format json``: every scenario once, with the real packages."""
    return run_probe_cli(["--all", "--format", "json"], tmp_path_factory.mktemp("probe-all"))


@pytest.fixture(scope="session")
def all_report(probe_all: CliRun) -> dict[str, Any]:
    assert probe_all.stdout, probe_all.stderr[-2000:]
    return probe_all.json()


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@pytest.fixture
def probe_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Make the probe's temporary folders (``tempfile.mkdtemp``) land in ``tmp_path``."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path
