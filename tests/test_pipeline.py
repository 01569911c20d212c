"""One file end to end (``detlint.pipeline``): the outcome is a value; nothing is written until the
parent process writes it; notebooks come back placed in their cells; arguments stay as they were."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from detlint.analysis.project import ProjectIndex
from detlint.config import Options, load_config
from detlint.discovery import SourceFile
from detlint.pipeline import FileOutcome, FixMode, Project, Settings, check_data, check_file, write_pending

SPLIT = "from sklearn.model_selection import train_test_split\n\nx = train_test_split([1, 2])\n"
FIXED = "from sklearn.model_selection import train_test_split\n\nx = train_test_split([1, 2], random_state=42)\n"


def _settings(folder: Path, fix: FixMode = FixMode()) -> Settings:
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    return Settings(load_config(Options(), folder), Project(folder, ProjectIndex()), fix)


def _where(outcome: FileOutcome) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in outcome.findings]


def test_a_fixed_file_comes_back_unwritten_until_the_parent_writes_it(tmp_path: Path) -> None:
    fix = FixMode(apply=True)
    settings = _settings(tmp_path, fix)
    path = tmp_path / "train.py"
    path.write_text(SPLIT)
    outcome = check_file(SourceFile(path, "train.py"), settings)
    assert path.read_text() == SPLIT  # checking writes nothing
    assert (outcome.fixed, outcome.findings, outcome.errors) == (1, (), ())
    assert outcome.write is not None and outcome.write.data == FIXED.encode()
    assert [(f.code, f.line, f.column) for f in outcome.write.findings_if_unwritten] == [("DET101", 3, 5)]
    written = write_pending(outcome, fix)
    assert path.read_text() == FIXED
    assert (written.write, written.fixed, written.errors) == (None, 1, ())
    assert outcome.write is not None  # the outcome written from is unchanged


def test_a_file_edited_meanwhile_keeps_its_text_and_its_findings(tmp_path: Path) -> None:
    fix = FixMode(apply=True)
    path = tmp_path / "train.py"
    path.write_text(SPLIT)
    outcome = check_file(SourceFile(path, "train.py"), _settings(tmp_path, fix))
    path.write_text(SPLIT + "# edited\n")
    written = write_pending(outcome, fix)
    assert path.read_text() == SPLIT + "# edited\n"
    assert (_where(written), written.fixed, written.write) == ([("DET101", 3, 5)], 0, None)
    assert written.errors == ("train.py: fixes not written: the file changed while it was being checked "
                              "(run detlint again)",)


def test_standard_input_gets_its_fixed_bytes_back(tmp_path: Path) -> None:
    outcome = check_data(SPLIT.encode(), "train.py", None, _settings(tmp_path, FixMode(apply=True)))
    assert (outcome.fixed_data, outcome.write, outcome.fixed, outcome.findings) == (FIXED.encode(), None, 1, ())


def test_diff_shows_the_fix_and_reports_what_was_found(tmp_path: Path) -> None:
    outcome = check_data(SPLIT.encode(), "train.py", tmp_path / "train.py", _settings(tmp_path, FixMode(diff=True)))
    assert (_where(outcome), outcome.fixed, outcome.write, outcome.fixed_data) == ([("DET101", 3, 5)], 1, None, None)
    assert outcome.diff is not None
    assert "-x = train_test_split([1, 2])\n+x = train_test_split([1, 2], random_state=42)\n" in outcome.diff


def test_notebook_findings_are_placed_in_their_cells(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["from sklearn.model_selection import train_test_split"]},
            {"cell_type": "markdown", "metadata": {}, "source": ["# Split"]},
            {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
             "source": ["data = [1, 2]\n", "a, b = train_test_split(data)"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    data = json.dumps(notebook, indent=1).encode()
    outcome = check_data(data, "split.ipynb", tmp_path / "split.ipynb", _settings(tmp_path))
    [finding] = outcome.findings
    assert (finding.code, finding.cell, finding.line, finding.column, finding.notebook_line) == ("DET101", 3, 2, 8, 4)


def test_checking_twice_gives_the_same_value(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = check_data(SPLIT.encode(), "train.py", tmp_path / "train.py", settings)
    second = check_data(SPLIT.encode(), "train.py", tmp_path / "train.py", settings)
    assert first == second and _where(first) == [("DET101", 3, 5)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.fixed = 2  # type: ignore[misc]
