"""A run parses each file with LibCST at most once: a module summarized for another module before it
is linted itself keeps that parse for its own linting (findings unchanged)."""

from __future__ import annotations

import collections
import os
from pathlib import Path

import libcst
import pytest

from detlint.analysis import project
from detlint.api import run
from detlint.config import Options

# main.py is linted first and asks for helpers.py's summary (does `setup` seed?) before helpers.py
# is linted; helpers.py is reported itself (a draw from the unseeded global generator).
FILES = {
    "pyproject.toml": "[project]\nname = 'proj'\n",
    "pkg/__init__.py": "",
    "pkg/a_main.py": "import keras\nfrom pkg.helpers import setup\n\nsetup()\nm = keras.Sequential([])\nm.fit([1], [1])\n",
    "pkg/helpers.py": ("import random\n\nimport keras\n\n\ndef setup():\n    keras.utils.set_random_seed(1)\n\n\n"
                       "first = random.random()\n"),
}


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> tuple[list[tuple[str, str, int, int]], list[str]]:
    parsed: collections.Counter[str] = collections.Counter()
    real_parse = libcst.parse_module

    def counting_parse(source: str, *args: object, **kwargs: object) -> libcst.Module:
        parsed[source] += 1
        return real_parse(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", counting_parse)
    monkeypatch.chdir(root)
    result = run(list(paths), Options(), use_cache=False, jobs=1)
    assert not result.errors
    texts = {(root / name).read_text(): name for name in FILES if name.endswith(".py")}
    twice = sorted(texts[text] for text, count in parsed.items() if count > 1)
    return [(Path(f.path).name, f.code, f.line, f.column) for f in result.findings], twice


def _write(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_a_module_summarized_before_it_is_linted_is_parsed_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    findings, parsed_twice = _run(tmp_path, monkeypatch, "pkg")
    assert findings == [("helpers.py", "DET105", 10, 9)]
    assert parsed_twice == []


def test_only_files_of_the_run_keep_their_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path)
    kept: list[str] = []
    real_keep = project.ProjectLoader._keep_parsed
    monkeypatch.setattr(project.ProjectLoader, "_keep_parsed",
                        lambda self, text, module: (kept.append(text), real_keep(self, text, module)))
    findings, _ = _run(tmp_path, monkeypatch, os.path.join("pkg", "a_main.py"))
    assert findings == []  # the helper seeds
    assert kept == []  # helpers.py is summarized, not linted: its parse is not kept


def test_kept_parses_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project, "MAX_KEPT_CHARS", 10)
    loader = project.ProjectLoader(tmp_path, lambda path: False)
    module = libcst.parse_module("x = 1\n")
    loader._keep_parsed("a = 1\n", module)
    loader._keep_parsed("b = 22\n", module)  # 13 characters kept: the oldest goes
    loader._keep_parsed("c" * 11, module)  # larger than the bound: never kept
    assert loader.take_parsed("a = 1\n") is None
    assert loader.take_parsed("b = 22\n") is module
    assert loader.take_parsed("b = 22\n") is None  # handed out once
