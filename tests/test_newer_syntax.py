"""Syntax newer than the running interpreter's (PEP 695 generics, PEP 701 f-strings on Python 3.11)
is parsed by LibCST: the pitfalls in such files are found at their exact positions and fixed; a file
neither parser accepts, or one nested too deeply, stays one DET000."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cliutil import detlint

PEP_695 = """\
from sklearn.model_selection import train_test_split

type Rows = list[int]


def split[T](rows: list[T]) -> tuple[list[T], list[T]]:
    return train_test_split(rows, test_size=0.2)
"""
PEP_701 = """\
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("data.csv")
label = f"{", ".join(df.columns)}"
print(f"{f"{label}"}"); train, test = train_test_split(df, test_size=0.2)
"""


def _findings(folder: Path, *args: str) -> list[tuple[str, str, int, int]]:
    result = detlint("check", "--no-cache", "--format", "json", *args, cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)]


def test_pep_695_and_pep_701_files_are_analysed(tmp_path: Path) -> None:
    (tmp_path / "generic.py").write_text(PEP_695)
    (tmp_path / "fstrings.py").write_text(PEP_701)
    assert _findings(tmp_path, "generic.py", "fstrings.py") == [
        ("fstrings.py", "DET101", 6, 39),
        ("generic.py", "DET101", 7, 12),
    ]


def test_fixes_in_newer_syntax(tmp_path: Path) -> None:
    (tmp_path / "generic.py").write_text(PEP_695)
    (tmp_path / "fstrings.py").write_text(PEP_701)
    result = detlint("check", "--no-cache", "--fix", "generic.py", "fstrings.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "generic.py").read_text() == PEP_695.replace("test_size=0.2)", "test_size=0.2, random_state=42)")
    assert (tmp_path / "fstrings.py").read_text() == PEP_701.replace("test_size=0.2)", "test_size=0.2, random_state=42)")


def test_code_neither_parser_accepts_is_one_parse_error(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("x = 1 +\n" + PEP_695)
    assert _findings(tmp_path, "broken.py") == [("broken.py", "DET000", 1, 8)]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the interpreter reads PEP 701 f-strings itself")
def test_nesting_hidden_from_the_older_tokenizer_is_not_handed_to_libcst(tmp_path: Path) -> None:
    """Before 3.12 the brackets inside this f-string's replacement field read as string text, so the
    interpreter's nesting guard never sees them; LibCST's native parser would recurse through them
    (and runs out of memory or stack on a few thousand)."""
    depth = 300
    (tmp_path / "hidden.py").write_text(
        f'from sklearn.model_selection import train_test_split\nx = f"{{"a" + {"(" * depth}1{")" * depth}}}"\n'
        "parts = train_test_split([1, 2])\n")
    assert _findings(tmp_path, "hidden.py") == [("hidden.py", "DET000", 2, 9)]


def test_too_deep_nesting_after_newer_syntax_stays_one_parse_error(tmp_path: Path) -> None:
    depth = 5000
    code = PEP_695 + "x = " + "(" * depth + "1" + ")" * depth + "\n"
    (tmp_path / "deep.py").write_text(code)
    assert _findings(tmp_path, "deep.py") == [("deep.py", "DET000", 8, 205)]  # the interpreter's nesting guard


MIXED_LITERALS = "import keras\n\nx = 'a' b'b'\nmodel = keras.Sequential([])\nmodel.fit([1], [1])\n"


def test_code_only_libcst_validation_refuses_is_one_parse_error(tmp_path: Path) -> None:
    """LibCST's grammar reads a str literal joined to a bytes one; its node validation refuses it, as
    the interpreter does. It used to escape that check and crash the run."""
    (tmp_path / "mixed.py").write_text(MIXED_LITERALS)
    assert _findings(tmp_path, "mixed.py") == [("mixed.py", "DET000", 3, 13)]


def test_a_helper_only_libcst_validation_refuses_crashes_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "helpers.py").write_text("x = 'a' b'b'\n\n\ndef setup():\n    pass\n")
    (tmp_path / "pkg" / "main.py").write_text(
        "import keras\nfrom pkg.helpers import setup\n\nsetup()\nmodel = keras.Sequential([])\nmodel.fit([1], [1])\n")
    assert _findings(tmp_path, "pkg") == [("pkg/helpers.py", "DET000", 1, 13), ("pkg/main.py", "DET103", 6, 1)]
