"""A run raises the garbage collector's first threshold while it checks files, and restores it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import detlint.api
from detlint import collector
from detlint.api import run
from detlint.config import Options


@pytest.fixture
def thresholds():  # type: ignore[no-untyped-def]
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_a_run_raises_the_threshold_and_restores_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    thresholds: None) -> None:
    gc.set_threshold(700, 11, 12)
    seen: list[tuple[int, ...]] = []
    (tmp_path / "a.py").write_text("from sklearn.model_selection import train_test_split\n"
                                   "parts = train_test_split([1])\n")
    monkeypatch.chdir(tmp_path)
    real_check = detlint.api.check_file

    def recording_check(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())  # while the file is checked
        return real_check(*args, **kwargs)

    monkeypatch.setattr("detlint.api.check_file", recording_check)
    result = run(["a.py"], Options(), use_cache=False, jobs=1)
    assert [(f.code, f.line, f.column) for f in result.findings] == [("DET101", 2, 9)]
    assert seen == [(collector.YOUNG_THRESHOLD, 11, 12)]
    assert gc.get_threshold() == (700, 11, 12)


def test_a_higher_or_disabled_threshold_is_kept(thresholds: None) -> None:
    gc.set_threshold(50_000, 10, 10)
    with collector.fewer_collections():
        assert gc.get_threshold() == (50_000, 10, 10)
    gc.set_threshold(0, 10, 10)
    with collector.fewer_collections():
        assert gc.get_threshold() == (0, 10, 10)
    assert gc.get_threshold() == (0, 10, 10)


def test_the_threshold_is_restored_when_the_run_fails(thresholds: None) -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError):
        with collector.fewer_collections():
            raise RuntimeError("stopped")
    assert gc.get_threshold() == (700, 10, 10)
