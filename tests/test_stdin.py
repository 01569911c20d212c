"""Standard input as editors use it: ``-`` or ``--stdin-filename NAME`` reads the buffer; with ``--fix``
stdout carries exactly the fixed buffer in the input's own format (notebook JSON for ``.ipynb``), the
findings go to stderr, and nothing is ever written to disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cliutil import BAD, detlint
from test_notebook import NOTEBOOK

ROOT = Path(__file__).resolve().parents[1]
FIXED_BAD = BAD.replace("test_size=0.2)", "test_size=0.2, random_state=42)")


def _run(*args: str, cwd: Path, data: bytes) -> subprocess.CompletedProcess[bytes]:
    """The CLI with bytes in and out: an editor compares the buffer byte for byte."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "detlint", "check", *args], cwd=cwd, input=data,
                          capture_output=True, timeout=120, env=env)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fix_of_a_notebook_prints_the_fixed_notebook(tmp_path: Path) -> None:
    original = (json.dumps(NOTEBOOK, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    expected = original.replace(b"train_test_split(df, test_size=0.2)\\n",
                                b"train_test_split(df, test_size=0.2, random_state=42)\\n")
    assert expected != original
    result = _run("-", "--stdin-filename", "train.ipynb", "--fix", cwd=tmp_path, data=original)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert json.loads(result.stdout)["cells"][1]["metadata"] == {"tags": ["setup"]}
    assert list(tmp_path.iterdir()) == []


def test_fix_of_a_notebook_keeps_its_bom_and_json_layout(tmp_path: Path) -> None:
    original = b"\xef\xbb\xbf" + json.dumps(NOTEBOOK, indent=2, ensure_ascii=True).encode("ascii") + b"\n"
    expected = original.replace(b"train_test_split(df, test_size=0.2)\\n",
                                b"train_test_split(df, test_size=0.2, random_state=42)\\n")
    result = _run("-", "--stdin-filename", "train.ipynb", "--fix", cwd=tmp_path, data=original)
    assert result.stdout == expected and expected != original


def test_notebook_that_cannot_be_written_back_is_printed_unchanged(tmp_path: Path) -> None:
    """A JSON layout detlint cannot reproduce: the buffer comes back as it was, with an error (exit 2)."""
    original = json.dumps(NOTEBOOK, indent=1).replace("\n", "\n\t", 3).encode()
    result = _run("-", "--stdin-filename", "train.ipynb", "--fix", cwd=tmp_path, data=original)
    assert result.returncode == 2
    assert result.stdout == original
    assert b"fixes not written" in result.stderr


def test_fix_of_python_keeps_its_encoding_and_line_endings(tmp_path: Path) -> None:
    code = ("# -*- coding: latin-1 -*-\n" + BAD.replace("data.csv", "données.csv")).replace("\n", "\r\n")
    result = _run("--stdin-filename", "train.py", "--fix", cwd=tmp_path, data=code.encode("latin-1"))
    assert result.returncode == 0, result.stderr
    fixed = code.replace("test_size=0.2)", "test_size=0.2, random_state=42)")
    assert result.stdout == fixed.encode("latin-1")


def test_fix_without_changes_prints_the_input_unchanged(tmp_path: Path) -> None:
    data = b"x = 1\r\ny = '\xff'\n"  # not valid utf-8: DET000, and the buffer is echoed byte for byte
    result = _run("-", "--fix", "--format", "json", cwd=tmp_path, data=data)
    assert result.stdout == data
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(result.stderr)] == [("DET000", 2, 6)]
    assert result.returncode == 1


def test_findings_left_after_fix_go_to_stderr(tmp_path: Path) -> None:
    code = ("import numpy as np\nfrom sklearn.model_selection import train_test_split\n\n"
            "rng = np.random.default_rng()\nparts = train_test_split([1, 2])\n")
    result = _run("-", "--stdin-filename", "train.py", "--fix", "--format", "json", cwd=tmp_path, data=code.encode())
    assert result.returncode == 1
    assert result.stdout == code.replace("([1, 2])", "([1, 2], random_state=42)").encode()
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(result.stderr)] == [("DET102", 4, 7)]


def test_stdin_filename_alone_reads_stdin_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(BAD)
    (tmp_path / "other.py").write_text(BAD)
    before = _files(tmp_path)
    checked = detlint("check", "--stdin-filename", "train.py", "--format", "json", cwd=tmp_path,
                      stdin="from sklearn.model_selection import train_test_split\nx = train_test_split([1])\n")
    assert checked.returncode == 1, checked.stderr
    assert [(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(checked.stdout)] == [
        ("train.py", "DET101", 2, 5)]
    fixed = detlint("check", "--stdin-filename", "train.py", "--fix", cwd=tmp_path, stdin=BAD)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == FIXED_BAD
    assert _files(tmp_path) == before  # neither the named file nor the others were rewritten, no cache


def test_stdin_filename_with_other_paths_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(BAD)
    result = detlint("check", "--stdin-filename", "x.py", "train.py", "--fix", cwd=tmp_path, stdin=BAD)
    assert result.returncode == 2
    assert "--stdin-filename" in result.stderr and result.stdout == ""
    assert (tmp_path / "train.py").read_text() == BAD


def test_configuration_of_a_new_file_comes_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.detlint]\nselect = ["DET0"]\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[tool.detlint]\nselect = ["DET101"]\n')
    for name in ("sub/new.py", "sub/new_folder/new.py"):
        result = detlint("check", "-", "--stdin-filename", name, "--format", "concise", cwd=tmp_path, stdin=BAD)
        assert result.returncode == 1, (name, result.stderr)
        assert [line.split(" ", 2)[:2] for line in result.stdout.splitlines()] == [[f"{name}:5:15:", "DET101"]]
