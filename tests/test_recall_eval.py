"""The hand-labelled evaluation projects of ``bench/recall/``: their labels are well-formed, the
scoring of ``bench/recall.py`` counts what it claims, and every project (and every multi-module
fixture) gives the same findings whether the whole folder or one file at a time is checked.

No precision or recall threshold is asserted here: ``bench/recall.py`` reports them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from detlint.api import run
from detlint.config import Options
from detlint.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PROJECTS = ROOT / "tests" / "fixtures" / "projects"


def _load_recall():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("detlint_bench_recall", ROOT / "bench" / "recall.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


recall = _load_recall()
EVAL_SETS = {"projects": recall.evaluation_projects(recall.PROJECTS),
             "heldout": recall.evaluation_projects(recall.HELDOUT)}
EVAL_PROJECTS = EVAL_SETS["projects"] + EVAL_SETS["heldout"]


@pytest.mark.parametrize("name", sorted(EVAL_SETS))
def test_there_are_evaluation_projects_for_every_rule_family(name: str) -> None:
    projects = EVAL_SETS[name]
    codes = {label.code for project in projects for label in recall.load_labels(project)}
    assert len(projects) >= 12
    assert {code[:4] for code in codes} == {"DET1", "DET2", "DET3"}


@pytest.mark.parametrize("project", EVAL_PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_labels_name_known_rules_and_existing_positions(project: Path) -> None:
    labels = recall.load_labels(project)
    header = recall.tomllib.loads((project / recall.LABELS_FILE).read_text(encoding="utf-8"))
    assert isinstance(header.get("description"), str) and header["description"].strip()
    assert all(isinstance(note, str) and note for note in header.get("lookalikes", []))
    enabled = {code for code, rule in all_rules().items() if rule.meta.default_enabled} | set(recall.EXTEND_SELECT)
    assert len(set(labels)) == len(labels), "duplicate labels"
    for label in labels:
        where = f"{project.name}/{label.path}:{label.line}"
        assert label.code in enabled, f"{where}: {label.code} is not a rule the evaluation runs"
        assert label.why.strip(), f"{where}: say why"
        path = project / label.path
        assert path.is_file() and path.suffix == ".py", f"{where}: no such Python file"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 1 <= label.line <= len(lines), f"{where}: line out of range"
        text = lines[label.line - 1]
        assert text.strip() and not text.lstrip().startswith("#"), f"{where}: blank or comment line"
        if label.column is not None:
            assert 1 <= label.column <= len(text) and not text[label.column - 1].isspace(), \
                f"{where}:{label.column}: column does not start an expression"


def test_a_malformed_label_is_refused(tmp_path: Path) -> None:
    (tmp_path / recall.LABELS_FILE).write_text('[[finding]]\ncode = "DET101"\npath = "a.py"\nline = 3\n')
    with pytest.raises(ValueError, match="lacks why"):
        recall.load_labels(tmp_path)


def test_scoring_counts_hits_misses_and_false_alarms() -> None:
    Finding, Label = recall.Finding, recall.Label
    labels = [Label("DET101", "a.py", 3, 5, "split"), Label("DET101", "a.py", 9, None, "any column"),
              Label("DET304", "b.py", 2, 1, "save"), Label("DET304", "b.py", 2, 1, "twice on a line")]
    reported = [Finding("DET101", "a.py", 3, 5), Finding("DET101", "a.py", 9, 17),  # two hits
                Finding("DET101", "a.py", 3, 6),  # right line, wrong column: a false alarm
                Finding("DET304", "b.py", 2, 1),  # matches one of the two labels only
                Finding("DET207", "c.py", 1, 1)]
    result = recall.score("demo", labels, reported)
    assert sorted(f.key() for _, f in result.true_positives) == ["a.py:3:5 DET101", "a.py:9:17 DET101",
                                                                 "b.py:2:1 DET304"]
    assert sorted(f.key() for _, f in result.false_positives) == ["a.py:3:6 DET101", "c.py:1:1 DET207"]
    assert [f.key() for _, f in result.misses] == ["b.py:2:1 DET304"]
    rows = result.per_rule()
    assert rows["DET101"] == {"labels": 2, "tp": 2, "fp": 1, "fn": 0, "precision": 2 / 3, "recall": 1.0}
    assert rows["DET304"] == {"labels": 2, "tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5}
    assert rows["DET207"] == {"labels": 0, "tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": None}
    assert rows["total"] == {"labels": 4, "tp": 3, "fp": 2, "fn": 1, "precision": 0.6, "recall": 0.75}
    report = recall.render({"project": result})
    assert "  demo/b.py:2:1 DET304" in report and "  demo/c.py:1:1 DET207" in report


def test_the_report_runs_the_command_line_on_a_copy_of_each_project(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    projects = tmp_path / "projects"
    demo = projects / "demo"
    (demo / "my scripts").mkdir(parents=True)  # a folder name with a space, as course material has
    (demo / "split.py").write_text("from sklearn.model_selection import train_test_split\n"
                                   "a, b = train_test_split(rows)\n")
    (demo / "my scripts" / "draw.py").write_text("import numpy as np\nrng = np.random.default_rng()\n")
    (demo / recall.LABELS_FILE).write_text(
        '[[finding]]\ncode = "DET101"\npath = "split.py"\nline = 2\ncolumn = 8\nwhy = "no random_state"\n\n'
        '[[finding]]\ncode = "DET109"\npath = "split.py"\nline = 1\nwhy = "a label nothing reports"\n')
    monkeypatch.setattr(recall, "PROJECTS", projects)
    assert recall.main(["--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for mode in recall.MODES:
        assert report[mode]["per_rule"]["total"] == {"labels": 2, "tp": 1, "fp": 1, "fn": 1, "precision": 0.5,
                                                     "recall": 0.5}
        assert report[mode]["misses"] == [{"project": "demo", "code": "DET109", "path": "split.py", "line": 1,
                                           "column": None}]
        assert report[mode]["false_alarms"] == [{"project": "demo", "code": "DET102", "path": "my scripts/draw.py",
                                                 "line": 2, "column": 7}]
        assert report[mode]["errors"] == []
    assert report["only_whole_project"] == report["only_single_files"] == []
    assert not (demo / ".git").exists()  # the checkout is never written: the run works on a copy


def test_the_held_out_set_is_scored_on_request(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    for name, folder in (("first", "projects"), ("second", "heldout")):
        (tmp_path / folder / name).mkdir(parents=True)
        (tmp_path / folder / name / "split.py").write_text(
            "from sklearn.model_selection import train_test_split\na, b = train_test_split(rows)\n")
        (tmp_path / folder / name / recall.LABELS_FILE).write_text("")
    monkeypatch.setattr(recall, "PROJECTS", tmp_path / "projects")
    monkeypatch.setattr(recall, "HELDOUT", tmp_path / "heldout")
    assert recall.main(["--json", "--set", "heldout"]) == 0
    assert [alarm["project"] for alarm in json.loads(capsys.readouterr().out)["project"]["false_alarms"]] == ["second"]
    assert recall.main(["--json"]) == 0
    assert [alarm["project"] for alarm in json.loads(capsys.readouterr().out)["project"]["false_alarms"]] == ["first"]


def _findings(targets: list[Path], root: Path) -> list[tuple[str, str, int, int]]:
    result = run([str(t) for t in targets], Options(extend_select=recall.EXTEND_SELECT), use_cache=False, jobs=1)
    assert not result.errors, result.errors
    return sorted((f.code, Path(os.path.abspath(f.path)).relative_to(root).as_posix(), f.line, f.column)
                  for f in result.findings)


@pytest.mark.parametrize("project", EVAL_PROJECTS + sorted(p for p in FIXTURE_PROJECTS.iterdir() if p.is_dir()),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_whole_project_and_single_files_agree(project: Path, tmp_path: Path) -> None:
    """Pre-commit passes one file at a time: what each file gets must not depend on that."""
    copy = recall.copy_as_repository(project, tmp_path).resolve()
    whole = _findings([copy], copy)
    one_by_one = sorted(item for path in recall.python_files(copy) for item in _findings([path], copy))
    assert one_by_one == whole
