"""Notebooks end to end through the CLI: positions per cell, suppressions, fixes written back into
the right cell with everything else byte for byte, broken notebooks as one DET000."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from cliutil import DATA, detlint

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Training"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {"tags": ["setup"]}, "outputs": [],
         "source": ["%matplotlib inline\n", "import pandas as pd\n", "from sklearn.model_selection import train_test_split"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": ["données\n"]}],
         "source": ["!ls data\n", "df = pd.read_csv('data.csv')\n", "train, test = train_test_split(df, test_size=0.2)\n",
                    "a, b = train_test_split(df)  # noqa: DET101"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _write(folder: Path) -> Path:
    path = folder / "train.ipynb"
    path.write_text(json.dumps(NOTEBOOK, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_positions_in_every_format(tmp_path: Path) -> None:
    _write(tmp_path)
    concise = detlint("check", "train.ipynb", "--format", "concise", "--no-cache", cwd=tmp_path)
    assert concise.stdout.splitlines() == [
        "train.ipynb:cell 3:3:15: DET101 `train_test_split` without `random_state` draws a different split or order "
        "on every run; pass `random_state=42` so training and evaluation data are reproducible"]
    [finding] = json.loads(detlint("check", "train.ipynb", "--format", "json", cwd=tmp_path).stdout)
    assert (finding["cell"], finding["line"], finding["column"], finding["notebook_line"]) == (3, 3, 15, 7)
    sarif = json.loads(detlint("check", "train.ipynb", "--format", "sarif", cwd=tmp_path).stdout)
    jsonschema.validate(sarif, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
    [result] = sarif["runs"][0]["results"]
    # in the .ipynb file's own text: the line of the JSON string that holds the cell's line
    raw = (tmp_path / "train.ipynb").read_text(encoding="utf-8")
    call = raw.index("train_test_split(df, test_size=0.2)")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == raw[:call].count("\n") + 1
    assert result["locations"][0]["physicalLocation"]["region"]["startColumn"] == call - raw.rfind("\n", 0, call)
    assert result["properties"] == {"cell": 3, "cellLine": 3}
    text = detlint("check", "train.ipynb", cwd=tmp_path).stdout
    assert "train.ipynb:cell 3:3:15: DET101 [error]" in text


def test_fix_changes_only_that_cell(tmp_path: Path) -> None:
    path = _write(tmp_path)
    original = path.read_text(encoding="utf-8")
    result = detlint("check", "train.ipynb", "--fix", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = path.read_text(encoding="utf-8")
    expected = original.replace("train_test_split(df, test_size=0.2)\\n", "train_test_split(df, test_size=0.2, random_state=42)\\n")
    assert fixed == expected and fixed != original
    assert detlint("check", "train.ipynb", "--fix", cwd=tmp_path).returncode == 0
    assert path.read_text(encoding="utf-8") == expected


def test_broken_notebooks_are_one_parse_error_each(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text("{not json")
    (tmp_path / "b.ipynb").write_text('{"metadata": {}}')
    (tmp_path / "c.py").write_text("from sklearn.model_selection import train_test_split\nx = train_test_split([1])\n")
    result = detlint("check", ".", "--format", "json", cwd=tmp_path)
    found = [(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)]
    assert found == [("a.ipynb", "DET000", 1, 2), ("b.ipynb", "DET000", 1, 1), ("c.py", "DET101", 2, 5)]
    assert result.returncode == 1
