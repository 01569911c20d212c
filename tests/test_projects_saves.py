"""Saves and dumps made through a project's own helper functions: found at the helper's call site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import libcst as cst

from cliutil import detlint
from detlint.analysis.facts import FileFacts
from detlint.analysis.project import ProjectIndex, summarize
from lintutil import findings_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

CODES = {"DET301", "DET304"}

EXPECTED = {
    "helper_save": [("DET304", "train.py", 17, 1)],
    "helper_save_lookalikes": [],
    "helper_save_imported": [("DET304", "train.py", 9, 1)],
    "helper_save_scaler": [("DET301", "train.py", 12, 1)],
}


def _cli_findings(target: Path, cwd: Path) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--exit-zero", "--select", "DET301,DET304", "--format", "json",
                     str(target), cwd=cwd)
    assert result.returncode == 0, result.stderr
    return sorted((f["code"], Path(f["path"]).name, f["line"], f["column"]) for f in json.loads(result.stdout))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_project_and_each_file_give_the_same_findings(name: str, tmp_path: Path) -> None:
    project = PROJECTS / name
    assert _cli_findings(project, tmp_path) == EXPECTED[name]
    per_file = sorted(item for path in sorted(project.glob("*.py")) for item in _cli_findings(path, tmp_path))
    assert per_file == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_do_not_depend_on_the_prefilter(name: str) -> None:
    # findings_of also lints without the pre-filter and asserts both agree.
    files = sorted((PROJECTS / name).glob("*.py"))
    project = ProjectIndex({
        path.stem: summarize(FileFacts(cst.parse_module(path.read_text()), path.name, path.stem)) for path in files
    })
    found = sorted(
        (code, path.name, line, column)
        for path in files
        for code, line, column in findings_of(path.read_text(), select=CODES, path=path.name,
                                              project=project, module_name=path.stem)
    )
    assert found == EXPECTED[name]


def test_helper_save_of_an_unknown_value_is_not_a_model_save() -> None:
    code = """
        from tensorflow import keras

        def store(thing, path):
            thing.save(path)

        store(make_thing(), "out/thing.h5")
    """
    assert findings_of(code, select={"DET304"}) == []
