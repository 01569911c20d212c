"""The JSON report against ``runtime_probe/schema.json``, and the text rendering."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from rich.console import Console

from runtime_probe.findings import FindingRef
from runtime_probe.report import ProbeReport, format_value, render_json, render_text
from runtime_probe.verdicts import Observation, Role, ScenarioResult, Verdict

pytestmark = pytest.mark.probe


def _small_report() -> ProbeReport:
    finding = FindingRef("DET101", "train.py", 12, 5)
    confirmed = ScenarioResult(
        scenario_id="unseeded-split", title="Split/shuffle without a seed", codes=("DET101",),
        verdict=Verdict.CONFIRMED, reason="40 of 120 [differ]",
        observations=(
            Observation("no seed", "samples", 40, Verdict.CONFIRMED),
            Observation("random_state=42", "samples", 0, Verdict.FIX_VERIFIED, Role.FIX),
        ),
        findings=(finding,), wall_s=2.5,
    )
    skipped = ScenarioResult(
        scenario_id="automl-search", title="AutoKeras", codes=("DET106", "DET107"), verdict=Verdict.SKIPPED,
        reason="not installed: autokeras", install="pip install 'detlint[probe]'",
    )
    environment = {
        "python": "3.11.7", "python_implementation": "CPython", "executable": "python", "platform": "Linux",
        "packages": {"tensorflow": None, "keras": None, "tf-keras": None, "tensorflow-hub": None,
                     "autokeras": None, "scikit-learn": "1.9.1"},
        "device": {"cpu": "test cpu", "cpu_count": 2, "gpus": [], "gpu_source": "nvidia-smi not found"},
        "determinism_env": {"TF_DETERMINISTIC_OPS": None, "PYTHONHASHSEED": "0",
                            "TF_USE_LEGACY_KERAS": None, "CUDA_VISIBLE_DEVICES": None},
    }
    return ProbeReport(mode="paths", environment=environment, results=[confirmed, skipped], paths=("train.py",),
                       unprobed=(FindingRef("DET105", "train.py", 3),), started_at="2026-01-01T00:00:00+00:00",
                       duration_s=3.0, tool_version="0.1.0", jobs=2, timeout_s=300)


def test_all_report_matches_schema(all_report: dict[str, Any], report_schema: dict[str, Any]) -> None:
    jsonschema.validate(all_report, report_schema)


def test_environment_fingerprint_in_report(all_report: dict[str, Any]) -> None:
    environment = all_report["environment"]
    for package in ("tensorflow", "keras", "autokeras", "scikit-learn", "tensorflow-hub", "tf-keras"):
        assert environment["packages"][package], package
    assert environment["python"].startswith("3.")
    assert environment["device"]["cpu"]
    assert set(environment["determinism_env"]) == {
        "TF_DETERMINISTIC_OPS", "PYTHONHASHSEED", "TF_USE_LEGACY_KERAS", "CUDA_VISIBLE_DEVICES"}


def test_small_report_matches_schema_and_schema_rejects_bad_verdicts(report_schema: dict[str, Any]) -> None:
    import json

    document = json.loads(render_json(_small_report()))
    jsonschema.validate(document, report_schema)
    assert document["exit_code"] == 1
    assert document["unprobed_codes"] == {"DET105": 1}
    broken = copy.deepcopy(document)
    broken["scenarios"][0]["verdict"] = "MAYBE"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, report_schema)


def test_text_rendering_shows_verdicts_findings_and_install_command() -> None:
    console = Console(record=True, width=160, color_system=None)
    render_text(_small_report(), console)
    text = console.export_text()
    assert "CONFIRMED" in text and "SKIPPED" in text
    assert "train.py:12" in text
    assert "pip install 'detlint[probe]'" in text
    assert "40 of 120 [differ]" in text  # brackets are printed, not taken as markup
    assert "No runtime scenario for: DET105 ×1" in text
    assert "PYTHONHASHSEED=0" in text
    assert "exit code 1" in text


@pytest.mark.parametrize(("value", "shown"), [(0.0, "0"), (0.91544, "0.9154"), (3.2e-7, "3.20e-07"), (12, "12"),
                                              (True, "true"), (None, "–"), ("TypeError", "TypeError")])
def test_format_value(value: Any, shown: str) -> None:
    assert format_value(value) == shown
