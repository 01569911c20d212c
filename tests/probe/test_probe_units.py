"""Verdict logic, finding conversion, scenario selection, split replays, import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from probe_support import REPO_ROOT

from runtime_probe.findings import FindingRef, as_finding_refs, parse_code_filter
from runtime_probe.runner import PlannedScenario, plan_all, plan_for_findings, run_scenario
from runtime_probe.scenarios import SCENARIOS, probed_codes, scenario_for_code
from runtime_probe.scenarios.split import SCENARIO as SPLIT
from runtime_probe.scenarios.split import replay_config
from runtime_probe.verdicts import Observation, Role, Verdict, overall_verdict

pytestmark = pytest.mark.probe


@dataclass
class LinterFinding:
    """Shaped like the linter's findings: the probe only reads attributes."""

    code: str
    path: str
    line: int
    column: int
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def test_every_scenario_maps_codes_and_codes_are_unique() -> None:
    codes = [code for scenario in SCENARIOS for code in scenario.codes]
    assert len(codes) == len(set(codes))
    assert probed_codes() == sorted(codes)
    assert scenario_for_code("det111").scenario_id == "training-seeds"
    assert scenario_for_code("DET107").scenario_id == "automl-search"
    assert scenario_for_code("DET105") is None


def test_findings_group_by_scenario_and_unprobed_are_kept() -> None:
    findings = as_finding_refs([
        LinterFinding("DET111", "b.py", 3, 1), LinterFinding("DET103", "a.py", 9, 1),
        LinterFinding("DET105", "a.py", 2, 1), LinterFinding("DET106", "c.py", 1, 1),
    ])
    plan = plan_for_findings(findings)
    grouped = {item.scenario.scenario_id: [f.location for f in item.findings] for item in plan.scenarios}
    assert grouped == {"training-seeds": ["a.py:9", "b.py:3"], "automl-search": ["c.py:1"]}
    assert [finding.code for finding in plan.unprobed] == ["DET105"]
    only = plan_for_findings(findings, frozenset({"DET106"}))
    assert [item.scenario.scenario_id for item in only.scenarios] == ["automl-search"]
    assert only.unprobed == ()
    assert [item.scenario.scenario_id for item in plan_all(frozenset({"DET302"})).scenarios] == ["custom-objects"]


def test_finding_ref_from_any_object() -> None:
    ref = FindingRef.from_finding(LinterFinding("DET101", "x.py", 4, 7, "msg", {"callee": "c"}))
    assert (ref.location, ref.column, ref.data["callee"]) == ("x.py:4", 7, "c")
    assert ref.to_dict() == {"code": "DET101", "path": "x.py", "line": 4, "column": 7}


@pytest.mark.parametrize(("text", "codes"), [("DET101", {"DET101"}), (" det101, DET302 ,", {"DET101", "DET302"})])
def test_code_filter(text: str, codes: set[str]) -> None:
    assert parse_code_filter(text) == codes


@pytest.mark.parametrize("text", ["", ",", "DET1", "XYZ101", "DET10a"])
def test_code_filter_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_code_filter(text)


def test_overall_verdict() -> None:
    pitfall = Observation("p", "m", 1, Verdict.CONFIRMED)
    not_seen = Observation("p", "m", 0, Verdict.NOT_REPRODUCED)
    fix = Observation("f", "m", 0, Verdict.FIX_VERIFIED, Role.FIX)
    failed_fix = Observation("f", "m", 1, Verdict.CONFIRMED, Role.FIX)
    info = Observation("i", "m", "RuntimeError", Verdict.CONFIRMED, Role.INFO)
    assert overall_verdict([pitfall, fix]) is Verdict.CONFIRMED
    assert overall_verdict([not_seen, fix]) is Verdict.NOT_REPRODUCED
    assert overall_verdict([not_seen, failed_fix]) is Verdict.CONFIRMED
    assert overall_verdict([fix, info]) is Verdict.FIX_VERIFIED
    assert overall_verdict([info]) is Verdict.NOT_REPRODUCED
    assert overall_verdict([Observation("e", "m", None, Verdict.ERROR)]) is Verdict.ERROR


def test_replay_config_maps_linter_data() -> None:
    config = replay_config("sklearn.model_selection.train_test_split",
                           {"test_size": 0.25, "stratify": "y", "shuffle": True, "random_state": None}, True)
    assert config == {
        "api": "train_test_split",
        "kwargs": {"test_size": 0.25, "stratify": True, "shuffle": True},
        "numpy_global_seed": True,
        "display": "train_test_split(test_size=0.25, stratify=y, shuffle=True)",
    }
    assert replay_config("sklearn.model_selection.KFold", {"n_splits": "k"}, False)["kwargs"] == {}
    assert replay_config("tensorflow.data.Dataset.list_files", {}, False)["api"] == "tf.data.list_files"
    assert replay_config("tensorflow.data.Dataset.range().shuffle", {}, False)["api"] == "tf.data.shuffle"
    assert replay_config("pandas.read_csv().sample", {"frac": 0.5}, False)["api"] == "pandas.sample"
    assert replay_config("keras.utils.image_dataset_from_directory", {}, False)["api"] == \
        "keras.image_dataset_from_directory"
    assert replay_config("keras.preprocessing.image.ImageDataGenerator().flow_from_directory", {}, False)["api"] == \
        "keras.flow"
    assert replay_config("mylib.custom_split", {}, False) is None


def test_split_replays_each_flagged_configuration(probe_tmp: Path) -> None:
    findings = (
        FindingRef("DET101", "a.py", 3, 1, data={
            "callee": "sklearn.model_selection.StratifiedKFold", "kwargs": {"n_splits": 4, "shuffle": True},
            "numpy_global_seed": True}),
        FindingRef("DET101", "a.py", 5, 1, data={
            "callee": "sklearn.utils.resample", "kwargs": {"n_samples": 50}, "numpy_global_seed": False}),
        FindingRef("DET101", "b.py", 8, 1, data={
            "callee": "tensorflow.data.Dataset.range().shuffle", "kwargs": {}, "numpy_global_seed": False}),
        FindingRef("DET101", "c.py", 2, 1, data={
            "callee": "mylib.custom_split", "kwargs": {}, "numpy_global_seed": False}),
    )
    result = run_scenario(PlannedScenario(SPLIT, findings), timeout_s=300)
    assert result.verdict is Verdict.CONFIRMED, result.reason
    values = {(obs.name, obs.metric): obs for obs in result.observations}

    def value(start: str) -> Any:
        matches = [obs for (name, _), obs in values.items() if name.startswith(start)]
        assert len(matches) == 1, start
        return matches[0]

    assert value("StratifiedKFold(n_splits=4, shuffle=True), no seed").value > 0
    assert value("StratifiedKFold(n_splits=4, shuffle=True), random_state=42").value == 0
    assert value("StratifiedKFold(n_splits=4, shuffle=True) after np.random.seed(42), 2").value == 0
    assert value("StratifiedKFold(n_splits=4, shuffle=True) after np.random.seed(42) + one extra draw").value > 0
    assert value("resample(n_samples=50), no seed").value > 0
    assert value("resample(n_samples=50), random_state=42").value == 0
    assert value("Dataset.shuffle(), no seed").value > 0
    assert value("Dataset.shuffle(), seed=42").value == 0
    unreplayed = value("mylib.custom_split")
    assert unreplayed.role is Role.INFO and unreplayed.value is False
    assert [finding.location for finding in result.findings] == ["a.py:3", "a.py:5", "b.py:8", "c.py:2"]
    assert list(probe_tmp.glob("detlint-probe-*")) == []


def test_split_replays_keras_and_pandas_apis(probe_tmp: Path) -> None:
    """pandas ``sample``, ``split_dataset``, ``*_dataset_from_directory`` and ``ImageDataGenerator`` flows,
    with the real packages: unseeded orders differ between processes, seeded ones are identical."""
    calls = {
        "pandas.read_csv().sample": ({"frac": 0.5}, "DataFrame.sample(frac=0.5)"),
        "keras.utils.split_dataset": ({"left_size": 0.8, "shuffle": True}, "split_dataset(left_size=0.8, shuffle=True)"),
        "keras.utils.image_dataset_from_directory": ({"batch_size": 8}, "image_dataset_from_directory(batch_size=8)"),
        "keras.utils.text_dataset_from_directory": ({}, "text_dataset_from_directory()"),
        "keras.preprocessing.image.ImageDataGenerator().flow": ({"batch_size": 4}, "flow(batch_size=4)"),
    }
    findings = tuple(FindingRef("DET101", "d.py", line, 1, data={"callee": callee, "kwargs": kwargs,
                                                                   "numpy_global_seed": False})
                     for line, (callee, (kwargs, _)) in enumerate(calls.items(), start=1))
    result = run_scenario(PlannedScenario(SPLIT, findings), timeout_s=300)
    assert result.verdict is Verdict.CONFIRMED, result.reason
    by_name = {obs.name: obs for obs in result.observations}
    for _, label in calls.values():
        seed = "random_state" if label.startswith("DataFrame") else "seed"
        assert by_name[f"{label}, no seed, 2 processes"].value > 0, label
        assert by_name[f"{label}, {seed}=42, 2 processes"].value == 0, label
    assert list(probe_tmp.glob("detlint-probe-*")) == []


def test_importing_the_probe_imports_no_framework() -> None:
    code = (
        "import sys, json\n"
        "import runtime_probe.cli, runtime_probe.runner, runtime_probe.scenarios\n"
        "from runtime_probe.environment import fingerprint\n"
        "fingerprint()\n"
        "heavy = ['tensorflow', 'keras', 'tf_keras', 'autokeras', 'sklearn', 'numpy', 'tensorflow_hub', 'joblib']\n"
        "print(json.dumps([name for name in heavy if name in sys.modules]))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                               check=True, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    assert json.loads(completed.stdout) == []


def test_run_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime_probe.child import HIDE_ENV_VAR
    from runtime_probe.cli import run_notes

    monkeypatch.delenv(HIDE_ENV_VAR, raising=False)
    assert run_notes(0.0, 0.1) == []
    assert run_notes(None, None) == []
    busy = run_notes(1000.0, 0.0)
    assert len(busy) == 1 and busy[0].startswith("the machine was busy (load average 1000.0")
    monkeypatch.setenv(HIDE_ENV_VAR, "autokeras")
    assert run_notes(None, None) == [f"packages hidden by {HIDE_ENV_VAR} for testing: autokeras"]
