"""``--diff`` is a patch: ``patch -p1`` and ``git apply`` of it give exactly the bytes ``--fix`` writes,
for every kind of file the linter accepts (encodings, BOMs, line endings, no final newline, notebooks,
unusual names), one file at a time and all of them in one multi-file patch."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detlint.patch import NO_NEWLINE, unified_diff

ROOT = Path(__file__).resolve().parents[1]
IMPORT = b"from sklearn.model_selection import train_test_split\n"
CALL = b"train_test_split([1,2])"

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Donn\u00e9es"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["from sklearn.model_selection import train_test_split\n", "a, b = train_test_split([1, 2])"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}

KINDS: dict[str, bytes] = {
    "plain.py": IMPORT + CALL + b"\n",
    "no_eol.py": IMPORT + CALL,
    "no_eol_unchanged_end.py": IMPORT + CALL + b"\nx = 1",
    "crlf.py": (IMPORT + CALL + b"\n").replace(b"\n", b"\r\n"),
    "crlf_no_eol.py": IMPORT.replace(b"\n", b"\r\n") + CALL,
    "mac.py": IMPORT.replace(b"\n", b"\r") + CALL + b"\rx = 1\r",
    "mixed.py": b"import os\r\n" + IMPORT + b"\rx = 1\r\ny = 2; " + CALL + b"\n\r\n" + CALL,
    "bom.py": b"\xef\xbb\xbf" + IMPORT + CALL + b"\n",
    "bom_crlf.py": b"\xef\xbb\xbf" + (IMPORT + b"x = 1\n" + CALL + b"\n").replace(b"\n", b"\r\n"),
    "latin1.py": b"# -*- coding: latin-1 -*-\n" + IMPORT + "s = '\u00e9'; ".encode("latin-1") + CALL + b"\n",
    "wide.py": IMPORT + "s = '\u00e9\u00e9\u6f22\U0001f600'; ".encode() + CALL + b"\n",
    "form_feed.py": IMPORT + b"\x0c" + CALL + b"\nx = 1;\x0c " + CALL + b"\n",
    "tabs.py": IMPORT + b"if 1:\n\t" + CALL + b"\n",
    "name with space.py": IMPORT + CALL + b"\n",
    "notebook.ipynb": json.dumps(NOTEBOOK, indent=1, ensure_ascii=False).encode() + b"\n",
    "notebook_no_eol.ipynb": json.dumps(NOTEBOOK, indent=1).encode(),
}
if sys.platform != "win32":
    KINDS[os.fsdecode(b"caf\xe9-latin1-name.py")] = IMPORT + CALL + b"\n"  # byte 0xE9 in the name: not UTF-8
    KINDS['quote"and\\backslash.py'] = IMPORT + CALL + b"\n"


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _detlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "detlint", "check", "--no-cache", "--select", "DET101", *args],
                          cwd=cwd, capture_output=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def _tree(folder: Path) -> dict[bytes, bytes]:
    return {os.fsencode(p.name): p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _fixed_and_patched(tmp_path: Path, files: dict[str, bytes], tool: list[str]) -> tuple[dict, dict, bytes]:
    fixed, patched = tmp_path / "fixed", tmp_path / "patched"
    for folder in (fixed, patched):
        folder.mkdir()
        _write(folder, files)
    diff = _detlint(patched, "--diff", ".")
    assert diff.returncode == 1 and diff.stderr == b"", diff.stderr.decode(errors="replace")
    assert _tree(patched) == _tree(fixed)  # --diff writes nothing
    fix = _detlint(fixed, "--fix", ".")
    assert fix.returncode == 0 and fix.stderr == b"", (fix.stdout, fix.stderr)
    applied = subprocess.run(tool, input=diff.stdout, cwd=patched, capture_output=True, timeout=60)
    assert applied.returncode == 0, (applied.stdout + applied.stderr).decode(errors="replace")
    return _tree(fixed), _tree(patched), diff.stdout


TOOLS = {"patch": ["patch", "-p1", "--batch", "--silent"], "git": ["git", "apply", "-p1", "--unsafe-paths"]}


@pytest.mark.parametrize("tool", sorted(TOOLS))
@pytest.mark.parametrize("name", sorted(KINDS), ids=ascii)
def test_diff_applies_to_what_fix_writes(tmp_path: Path, name: str, tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"`{tool}` is required for this test")
    fixed, patched, _ = _fixed_and_patched(tmp_path, {name: KINDS[name]}, TOOLS[tool])
    assert fixed[os.fsencode(name)] != KINDS[name]  # there was something to fix
    assert patched == fixed


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_one_multi_file_patch_for_every_kind(tmp_path: Path, tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"`{tool}` is required for this test")
    fixed, patched, diff = _fixed_and_patched(tmp_path, KINDS, TOOLS[tool])
    assert patched == fixed
    assert len(fixed) == len(KINDS) and all(fixed[os.fsencode(n)] != d for n, d in KINDS.items())
    # every file has its own header lines: nothing glued to the line before
    assert len(re.findall(rb'^--- "?a/', diff, re.MULTILINE)) == len(KINDS)


@pytest.mark.parametrize("tool", sorted(TOOLS))
@pytest.mark.parametrize("spelling", ["./sub/m.py", "sub/../sub/m.py", "absolute"])
def test_names_in_the_patch_are_relative_to_where_detlint_ran(tmp_path: Path, tool: str, spelling: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"`{tool}` is required for this test")
    data = IMPORT + CALL + b"\n"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.py").write_bytes(data)
    path = str(tmp_path / "sub" / "m.py") if spelling == "absolute" else spelling
    diff = _detlint(tmp_path, "--diff", path)
    assert diff.stdout.startswith(b"--- a/sub/m.py\n+++ b/sub/m.py\n"), diff.stdout
    applied = subprocess.run(TOOLS[tool], input=diff.stdout, cwd=tmp_path, capture_output=True, timeout=60)
    assert applied.returncode == 0, (applied.stdout + applied.stderr).decode(errors="replace")
    assert (tmp_path / "sub" / "m.py").read_bytes() == data.replace(b"([1,2])", b"([1,2], random_state=42)")


def test_no_final_newline_is_marked() -> None:
    diff = unified_diff(b"a\nb", b"a\nc", "x.py")
    assert diff == "--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n" + NO_NEWLINE + "+c\n" + NO_NEWLINE


def test_lines_split_at_newline_only_and_bytes_kept() -> None:
    diff = unified_diff(b"a\rb\r\xe9\r", b"a\rB\r\xe9\r", "x.py")
    assert diff.encode("utf-8", "surrogateescape") == (
        b"--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\rb\r\xe9\r\n" + NO_NEWLINE.encode()
        + b"+a\rB\r\xe9\r\n" + NO_NEWLINE.encode())
