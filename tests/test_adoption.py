"""Adopting detlint on an existing codebase: --add-noqa, --write-baseline and --baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cliutil import detlint

from detlint.noqa import add_noqa

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "bad"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    project = tmp_path / "legacy"
    shutil.copytree(EXAMPLES, project)
    return project


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_add_noqa_silences_everything_and_is_idempotent(legacy: Path) -> None:
    before = detlint("check", "--no-cache", "--format", "json", ".", cwd=legacy)
    assert before.returncode == 1
    findings = json.loads(before.stdout)
    assert len(findings) >= 10
    added = detlint("check", "--no-cache", "--add-noqa", ".", cwd=legacy)
    assert added.returncode == 0, added.stderr
    lines_with_findings = {(f["path"], f["line"]) for f in findings}
    assert f"Added {len(lines_with_findings)} noqa comments" in added.stderr
    after = detlint("check", "--no-cache", ".", cwd=legacy)
    assert after.returncode == 0, after.stdout
    snapshot = _snapshot(legacy)
    again = detlint("check", "--no-cache", "--add-noqa", ".", cwd=legacy)
    assert again.returncode == 0 and "Added 0 noqa comments to 0 files" in again.stderr
    assert _snapshot(legacy) == snapshot
    # every added comment names exactly the codes reported on its line
    for name, line in lines_with_findings:
        text = (legacy / name).read_text().splitlines()[line - 1]
        codes = sorted({f["code"] for f in findings if (f["path"], f["line"]) == (name, line)})
        assert text.endswith(f"# noqa: {', '.join(codes)}"), text


def test_baseline_reports_only_new_findings(legacy: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    wrote = detlint("check", "--no-cache", "--write-baseline", str(baseline), ".", cwd=legacy)
    assert wrote.returncode == 0, wrote.stderr
    recorded = json.loads(baseline.read_text())["findings"]
    assert len(recorded) >= 10 and len({e["fingerprint"] for e in recorded}) == len(recorded)
    clean = detlint("check", "--no-cache", "--baseline", str(baseline), ".", cwd=legacy)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # unrelated edits move every finding down two lines: still known
    target = sorted(legacy.rglob("*.py"))[0]
    target.write_text("# a new header\n# another line\n" + target.read_text())
    moved = detlint("check", "--no-cache", "--baseline", str(baseline), ".", cwd=legacy)
    assert moved.returncode == 0, moved.stdout + moved.stderr
    # one new pitfall: exactly that one is reported
    (legacy / "new_split.py").write_text(
        "from sklearn.model_selection import train_test_split\n\ntrain, test = train_test_split([1, 2, 3, 4])\n")
    new = detlint("check", "--no-cache", "--baseline", str(baseline), "--format", "json", ".", cwd=legacy)
    assert new.returncode == 1
    assert [(f["path"], f["code"], f["line"], f["column"])
            for f in json.loads(new.stdout)] == [("new_split.py", "DET101", 3, 15)]


def test_baseline_lists_entries_that_no_longer_occur(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from sklearn.model_selection import train_test_split\n\n"
                                   "x = train_test_split([1, 2])\ny = train_test_split([3, 4])\n")
    baseline = tmp_path / "b.json"
    assert detlint("check", "--no-cache", "--write-baseline", str(baseline), "a.py", cwd=tmp_path).returncode == 0
    (tmp_path / "a.py").write_text("from sklearn.model_selection import train_test_split\n\n"
                                   "x = train_test_split([1, 2])\n")
    run = detlint("check", "--no-cache", "--baseline", str(baseline), "a.py", cwd=tmp_path)
    assert run.returncode == 0
    assert "1 baseline entry no longer occur" in run.stderr
    assert "a.py:4: DET101" in run.stderr


def test_same_statement_twice_is_counted_by_occurrence(tmp_path: Path) -> None:
    text = "from sklearn.model_selection import train_test_split\n\nx = train_test_split([1, 2])\n"
    (tmp_path / "a.py").write_text(text)
    baseline = tmp_path / "b.json"
    assert detlint("check", "--no-cache", "--write-baseline", str(baseline), "a.py", cwd=tmp_path).returncode == 0
    (tmp_path / "a.py").write_text(text + "x = train_test_split([1, 2])\n")
    run = detlint("check", "--no-cache", "--baseline", str(baseline), "--format", "concise", "a.py", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith("a.py:4:5: DET101")


@pytest.mark.parametrize("content", ["{not json", json.dumps({"findings": []}), json.dumps(
    {"detlint-baseline": 1, "findings": [{"path": "a.py"}]})])
def test_bad_baseline_is_exit_2_naming_the_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.json").write_text(content)
    run = detlint("check", "--no-cache", "--baseline", "b.json", "a.py", cwd=tmp_path)
    assert run.returncode == 2
    assert "baseline b.json" in run.stderr


def test_add_noqa_in_a_notebook_cell(tmp_path: Path) -> None:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["import pandas as pd\n", "from sklearn.model_selection import train_test_split"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["df = pd.read_csv('d.csv')\n", "train, test = train_test_split(df)"]}]
    notebook = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4,
                "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    assert detlint("check", "--no-cache", "nb.ipynb", cwd=tmp_path).returncode == 1
    added = detlint("check", "--no-cache", "--add-noqa", "nb.ipynb", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    written = json.loads(path.read_text())
    assert written["cells"][1]["source"] == ["df = pd.read_csv('d.csv')\n",
                                              "train, test = train_test_split(df)  # noqa: DET101"]
    assert written["cells"][0] == cells[0]
    assert detlint("check", "--no-cache", "nb.ipynb", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("x = f()\n", 1, "x = f()  # noqa: DET101\n"),
    ("x = f()  # noqa: DET102\n", 1, "x = f()  # noqa: DET102, DET101\n"),
    ("x = f()  # keep me\n", 1, "x = f()  # keep me  # noqa: DET101\n"),
    ("x = f()  # noqa\n", 1, "x = f()  # noqa\n"),
    ("x = f()  # noqa: DET101\n", 1, "x = f()  # noqa: DET101\n"),
    ("x = f()\r\ny = 2\r\n", 1, "x = f()  # noqa: DET101\r\ny = 2\r\n"),
    ("s = '''a\nb''' + f()\n", 1, None),  # the line ends inside a string
    ("x = f(1, \\\n  2)\n", 1, None),  # a comment after a backslash would break the code
])
def test_add_noqa_line(text: str, line: int, expected: str | None) -> None:
    assert add_noqa(text, line, ["DET101"]) == expected
