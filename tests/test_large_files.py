"""Large inputs: bounded memory, one DET000 for a file too large to analyse, large files analysed in a
child process whose crash is one DET000 while the run goes on."""

from __future__ import annotations

import faulthandler
import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst
import pytest

from detlint import isolate
from detlint.api import run
from detlint.engine import check_parses
from detlint.source import SourceError
from detlint.config import Options
from detlint.limits import ISOLATE_ABOVE, MB, parse_size
from cliutil import BAD, detlint

TOO_LARGE = ("file too large to analyse (50.0 MB of source > 1.0 MB, the `max-file-size` limit); "
             "raise `max-file-size` to analyse it")


def _data_table(path: Path, megabytes: int, header: str = "") -> None:
    """A generated ``.py`` data table of about ``megabytes`` MB, as some projects commit."""
    rows = [f' ({i}, {i * 0.5}, "x{i}"),\n' for i in range(1000)]
    block = "".join(rows)
    with path.open("w") as stream:
        stream.write(header + "DATA = [\n")
        for _ in range(megabytes * MB // len(block)):
            stream.write(block)
        stream.write(block[: megabytes * MB % len(block)].rpartition("\n")[0] + "\n]\n")


def _findings(stdout: str) -> list[tuple[str, str, int, int, str]]:
    return [(f["path"], f["code"], f["line"], f["column"], f["message"]) for f in json.loads(stdout)]


@pytest.mark.slow
def test_50_mb_files_among_normal_files_bounded_memory(tmp_path: Path) -> None:
    _data_table(tmp_path / "a_table.py", 50, header="import numpy as np\nnp.random.seed(None)\n")  # a rule could match
    _data_table(tmp_path / "b_table.py", 50)  # no rule could match: not parsed, nothing to say
    (tmp_path / "c_small.py").write_text(BAD)
    measure = textwrap.dedent("""\
        import resource, subprocess, sys
        done = subprocess.run([sys.executable, "-m", "detlint", "check", "--no-cache", "--format", "json", "."],
                              capture_output=True, text=True, timeout=300)
        sys.stdout.write(done.stdout)
        sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
        sys.exit(done.returncode)
        """)
    # A fresh process measures only the detlint run (and its children), not earlier tests' processes.
    result = subprocess.run([sys.executable, "-c", measure], cwd=tmp_path, capture_output=True, text=True,
                            timeout=360, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 1, result.stderr
    assert _findings(result.stdout) == [
        ("a_table.py", "DET000", 1, 1, TOO_LARGE),
        ("c_small.py", "DET101", 5, 15, "`train_test_split` without `random_state` draws a different split or "
         "order on every run; pass `random_state=42` so training and evaluation data are reproducible"),
    ]
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib // 1024} MB"


def _table(rows: int) -> str:
    """A table of long strings: large, yet quick to parse."""
    return "TABLE = [\n" + "".join(f"    {'x' * 96!r},\n" for _ in range(rows)) + "]\n"


def _training_module(rows: int) -> str:
    """A module that trains a model without a TF seed, followed by a table that makes it large."""
    return ("import keras\n"
            "model = keras.Sequential([keras.layers.Dense(1)])\n"
            "model.fit([[0.0]], [0.0])\n" + _table(rows))


def test_large_file_is_analysed_in_a_child_with_exact_findings(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text(_training_module(3_000))
    assert ISOLATE_ABOVE < big.stat().st_size < MB
    result = detlint("check", "--no-cache", "--format", "json", "big.py", cwd=tmp_path)
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)] == [("DET103", 3, 1)]
    assert result.returncode == 1, result.stderr


def test_fix_on_a_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text(_training_module(3_000))
    result = detlint("check", "--fix", "--no-cache", "big.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert big.read_text() == _training_module(3_000).replace(
        "import keras\n", "import keras\nkeras.utils.set_random_seed(42)\n", 1)


def test_check_parses_a_large_text_in_a_child() -> None:
    check_parses(_table(3_000))
    with pytest.raises(SourceError) as raised:
        check_parses(_table(3_000) + "x = (\n")
    assert (raised.value.line, raised.value.column) == (3_003, 5)
    assert raised.value.message == "SyntaxError: '(' was never closed"


def test_max_file_size_setting(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.detlint]\nmax-file-size = "300KB"\n')
    (tmp_path / "big.py").write_text(_training_module(3_000))
    result = detlint("check", "--no-cache", "--format", "json", "big.py", cwd=tmp_path)
    size = len((tmp_path / "big.py").read_text())
    assert _findings(result.stdout) == [(
        "big.py", "DET000", 1, 1,
        f"file too large to analyse ({size / 1024:.0f} kB of source > 300 kB, the `max-file-size` limit); "
        "raise `max-file-size` to analyse it")]
    (tmp_path / "pyproject.toml").write_text('[tool.detlint]\nmax-file-size = "big"\n')
    bad = detlint("check", "--no-cache", "big.py", cwd=tmp_path)
    assert bad.returncode == 2 and "`max-file-size` must be a positive number of bytes" in bad.stderr


@pytest.mark.parametrize(("value", "size"), [(1000, 1000), ("2MB", 2 * MB), ("512 kb", 512 * 1024), ("1.5GB", 1536 * MB),
                                             (0, None), ("-1MB", None), ("2 TB", None), (True, None), (1.5, None)])
def test_parse_size(value: object, size: int | None) -> None:
    assert parse_size(value) == size


def test_project_module_larger_than_the_limit_is_read_in_a_child(tmp_path: Path) -> None:
    """A seeding helper in a large project module still counts (its summary comes from a child),
    whether that module is linted in the same run or only read because another file imports it."""
    (tmp_path / "helpers.py").write_text(
        "import tensorflow as tf\n\ndef set_seeds():\n    tf.random.set_seed(1)\n\n" + _table(3_000))
    (tmp_path / "train.py").write_text(
        "import keras\nfrom helpers import set_seeds\nset_seeds()\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit([[0.0]], [0.0])\n")
    for paths in (["."], ["train.py"]):
        result = detlint("check", "--no-cache", "--format", "json", *paths, cwd=tmp_path)
        assert json.loads(result.stdout) == [] and result.returncode == 0  # no DET103: the helper seeds TF


def _crash_on_large_input(original):  # type: ignore[no-untyped-def]
    def parse_module(text: str, *args: object, **kwargs: object) -> libcst.Module:
        if "model.fit" in text:  # as a native parser bug would: the whole process dies
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            faulthandler.disable()  # pytest's traceback dump of the dying child is noise here
            os.abort()
        return original(text, *args, **kwargs)
    return parse_module


def test_a_crash_while_analysing_one_file_is_one_det000_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a_big.py").write_text(_training_module(3_000))  # analysed in a child: the crash stays there
    (tmp_path / "b_small.py").write_text(BAD)  # analysed in this process: it must not contain `model.fit`
    monkeypatch.setattr(libcst, "parse_module", _crash_on_large_input(libcst.parse_module))
    result = run([str(tmp_path)], Options(), use_cache=False, jobs=1)
    assert [(Path(f.path).name, f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("a_big.py", "DET000", 1, 1, "the analysis of this file crashed (killed by SIGABRT); it was not analysed"),
        ("b_small.py", "DET101", 5, 15, "`train_test_split` without `random_state` draws a different split or "
         "order on every run; pass `random_state=42` so training and evaluation data are reproducible"),
    ]
    assert result.errors == []


def test_run_in_child_returns_raises_and_reports_crashes() -> None:
    assert isolate.run_in_child(sum, [1, 2, 3]) == 6
    with pytest.raises(ZeroDivisionError):
        isolate.run_in_child(divmod, 1, 0)
    with pytest.raises(isolate.ChildCrashed, match=r"^killed by SIGKILL$"):
        isolate.run_in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))  # getpid() runs in the child
    with pytest.raises(isolate.ChildCrashed, match=r"^exited with status 3$"):
        isolate.run_in_child(os._exit, 3)
