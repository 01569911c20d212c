"""The hash-order scenario alone, with the real interpreter: DET207's salted ``hash()`` buckets."""

from __future__ import annotations

from pathlib import Path

import pytest
from probe_support import leftover_probe_dirs, observation, run_probe_cli, scenario

pytestmark = pytest.mark.probe


def test_salted_hash_buckets_differ_and_crc32_buckets_do_not(tmp_path: Path) -> None:
    run = run_probe_cli(["--all", "--only", "DET207", "--format", "json"], tmp_path, timeout=120)
    assert run.returncode == 1, run.stderr[-2000:]
    item = scenario(run.json(), "hash-order")
    assert item["verdict"] == "CONFIRMED"
    assert "DET207" in item["codes"]
    salted = observation(item, "hash(word) % 10, PYTHONHASHSEED=1 vs 2")
    assert salted["verdict"] == "CONFIRMED"
    assert salted["value"] > 0
    assert salted["detail"].startswith("DET207; bucket of 'cat': ")
    stable = observation(item, "zlib.crc32(word.encode()) % 10, same 2 processes")
    assert (stable["value"], stable["verdict"]) == (0, "FIX_VERIFIED")
    assert leftover_probe_dirs(tmp_path) == []
