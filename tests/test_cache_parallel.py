"""The result cache (hits, invalidation by content, configuration, version and dependencies; corrupt
entries) and parallel checking (same output as serial)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import detlint
import detlint.cache
from detlint.api import run
from detlint.cache import CACHE_DIR
from detlint.config import Options

BAD = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, options: Options = Options(), **kwargs: object):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(root)
    result = run(["."], options, **kwargs)  # type: ignore[arg-type]
    return [(f.path, f.code, f.line, f.column) for f in result.findings]


def _entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).rglob("*.json"))


def test_hit_miss_and_invalidation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.py").write_text(BAD)
    assert _run(tmp_path, monkeypatch) == [("a.py", "DET101", 2, 9)]
    [entry] = _entries(tmp_path)
    # A hit returns what the entry says (proved by editing the entry's message).
    data = json.loads(entry.read_text())
    data["findings"][0]["message"] = "from the cache"
    entry.write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    assert run(["."], Options()).findings[0].message == "from the cache"
    # Content change: a miss, a new entry.
    (tmp_path / "a.py").write_text(BAD.replace("[1, 2]", "[1, 2, 3]"))
    assert run(["."], Options()).findings[0].message != "from the cache"
    assert len(_entries(tmp_path)) == 2
    # Configuration change: a miss.
    assert _run(tmp_path, monkeypatch, Options(ignore=("DET101",))) == []
    assert len(_entries(tmp_path)) == 3
    # Version change: a miss.
    monkeypatch.setattr(detlint.cache, "__version__", "999")
    assert _run(tmp_path, monkeypatch) == [("a.py", "DET101", 2, 9)]
    assert len(_entries(tmp_path)) == 4


def test_corrupt_entry_is_a_miss_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.py").write_text(BAD)
    _run(tmp_path, monkeypatch)
    [entry] = _entries(tmp_path)
    entry.write_bytes(b"\x00{not json")
    assert _run(tmp_path, monkeypatch) == [("a.py", "DET101", 2, 9)]
    assert json.loads(entry.read_text())["findings"][0]["code"] == "DET101"


def test_dependency_change_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "utils.py").write_text("import keras\n\n\ndef seed():\n    keras.utils.set_random_seed(1)\n")
    (tmp_path / "train.py").write_text(
        "import keras\nfrom utils import seed\n\nseed()\nm = keras.Sequential([])\nm.fit([1], [1])\n")
    assert _run(tmp_path, monkeypatch) == []
    (tmp_path / "utils.py").write_text("import keras\n\n\ndef seed():\n    print('no seed any more')\n")
    monkeypatch.chdir(tmp_path)
    assert [(f.path, f.code) for f in run(["train.py"], Options()).findings] == [("train.py", "DET103")]


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text(BAD)
    _run(tmp_path, monkeypatch, use_cache=False)
    assert not (tmp_path / CACHE_DIR).exists()


def test_parallel_output_identical_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(40):
        folder = tmp_path / f"pkg{index % 4}"
        folder.mkdir(exist_ok=True)
        text = BAD if index % 3 else "def f(:\n"
        (folder / f"m{index}.py").write_text(text * (1 + index % 2))
    serial = _run(tmp_path, monkeypatch, use_cache=False, jobs=1)
    parallel = _run(tmp_path, monkeypatch, use_cache=False, jobs=2)
    assert parallel == serial
    assert len(serial) == 40 + sum(1 for i in range(40) if i % 3 and i % 2)
