"""A native crash of a pool worker on one file costs that file only (one DET000), not the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import detlint.api as api
import detlint.pipeline as pipeline
from detlint.config import Options

SPLIT = "from sklearn.model_selection import train_test_split\n\nx = train_test_split([1, 2])\n"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool and the isolated retry use fork")
def test_crashing_worker_loses_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for index in range(20):
        (tmp_path / f"m{index:02d}.py").write_text(SPLIT + ("# CRASH_ME\n" if index == 7 else ""))
    real = pipeline.lint_source

    def crash_on_marker(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "CRASH_ME" in source.text:
            os.abort()  # what a segfault in a native parser looks like to the pool: the worker dies
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "lint_source", crash_on_marker)  # inherited by the forked workers
    result = api.run([str(tmp_path)], Options(), use_cache=False, jobs=2)
    by_file = {(Path(f.path).name, f.code, f.line, f.column) for f in result.findings}
    assert by_file == {(f"m{i:02d}.py", "DET101", 3, 5) for i in range(20) if i != 7} | {("m07.py", "DET000", 1, 1)}
    [crash] = [f for f in result.findings if f.code == "DET000"]
    assert "crashed" in crash.message and "SIGABRT" in crash.message
    assert result.errors == []
