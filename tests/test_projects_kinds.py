"""Value kinds across the modules of a project: a Keras model built in one module is trained or saved in
another (which may import only NumPy and the project), whichever file is checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import libcst as cst

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, module_name_for, summarize
from lintutil import findings_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

CODES = ("DET103", "DET104", "DET111", "DET304")

EXPECTED = {
    # a factory of another module, directly and through a function returning its result
    "kinds_model_factory": [("DET103", "train.py", 12, 1), ("DET104", "finetune.py", 7, 1),
                            ("DET304", "train.py", 13, 1)],
    # a keras.Model subclass of another module, and a subclass of it in a third module or in this one
    "kinds_model_subclass": [("DET103", "evaluate.py", 12, 1), ("DET111", "train.py", 6, 1)],
    # a module-level model of another module
    "kinds_module_value": [("DET103", "run.py", 6, 1), ("DET304", "run.py", 7, 1)],
    # a seed helper and a model builder brought by `from common import *`
    "kinds_star_import": [("DET103", "sweep.py", 6, 5)],
    # `from model.model import CNN` next to a script in a folder whose name is no identifier
    "kinds_spaced_folder": [("DET103", "train.py", 7, 1), ("DET304", "train.py", 8, 1)],
    # xgboost, lightgbm, a scikit-learn pipeline, a plain project class: never Keras training or saving
    "kinds_lookalikes": [],
}


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", ",".join(CODES), "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


def _files(project: Path) -> list[Path]:
    return sorted(project.rglob("*.py"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_and_each_file_give_the_same_findings(name: str, tmp_path: Path) -> None:
    project = PROJECTS / name
    assert _cli_findings(project, tmp_path) == EXPECTED[name]
    per_file = sorted(item for path in _files(project) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    project_root = PROJECTS / name
    files = _files(project_root)
    names = {path: module_name_for(path, project_root) or path.stem for path in files}
    project = ProjectIndex({
        names[path]: summarize(FileFacts(cst.parse_module(path.read_text()), path.name, names[path]))
        for path in files
    })
    found = sorted(
        (code, path.name, line, column)
        for path in files
        for code, line, column in findings_of(path.read_text(), select=set(CODES), path=path.name,
                                              project=project, module_name=names[path])
    )
    assert found == EXPECTED[name]
