"""Worker processes of one run hand each other module summaries: a project module that files in several
workers need is parsed once in the whole run, and the findings are those of a serial run."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
import threading
import time
from pathlib import Path

import libcst
import pytest

from detlint.analysis import exchange as exchange_module
from detlint.analysis import project as project_module
from detlint.analysis.exchange import SummaryExchange, SummaryKey, make_run_folder, remove_abandoned_folders
from detlint.analysis.project import ModuleSummary
from detlint.api import run
from detlint.config import Options

SAVER = """\
import keras


def train_and_save(path):
    model = keras.Sequential([keras.layers.Dense({units})])
    model.save(path)
"""
LOADER = "import keras\n\nmodel = keras.models.load_model('model_{index}.keras')\nprint(model.predict([[1.0]]))\n"
SAVERS = 6
SCRIPTS = 24


def _project(root: Path) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\n")
    (root / "models").mkdir()
    (root / "models" / "__init__.py").write_text("")
    for index in range(SAVERS):
        (root / "models" / f"saver_{index}.py").write_text(SAVER.format(units=index + 1))
    (root / "scripts").mkdir()
    for index in range(SCRIPTS):
        (root / "scripts" / f"predict_{index:02d}.py").write_text(LOADER.format(index=index))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _parses_per_text(root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> tuple[dict[str, int], list]:
    """How often each file's text was parsed by LibCST in all processes of a run of ``scripts/``."""
    log = root.parent / f"parses-{jobs}.log"
    real_parse = libcst.parse_module

    def logged_parse(source: str, *args: object, **kwargs: object) -> libcst.Module:
        with open(log, "a", encoding="utf-8") as handle:  # one short append per parse: atomic across processes
            handle.write(_digest(source) + "\n")
        return real_parse(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(libcst, "parse_module", logged_parse)  # workers are forked: they inherit it
    monkeypatch.chdir(root)
    result = run(["scripts"], Options(), use_cache=False, jobs=jobs)
    assert not result.errors
    counts: dict[str, int] = {}
    hashes = log.read_text().split() if log.exists() else []
    for path in sorted(root.rglob("*.py")):
        counts[str(path.relative_to(root))] = hashes.count(_digest(path.read_text()))
    findings = [(f.path, f.code, f.line, f.column) for f in result.findings]
    return counts, findings


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="counts parses in forked workers")
def test_a_module_that_every_worker_needs_is_parsed_once_in_the_run(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "parallel").mkdir()
    _project(tmp_path / "parallel")
    counts, findings = _parses_per_text(tmp_path / "parallel", monkeypatch, jobs=2)
    # Every script loads a model that a module of models/ may have saved: each worker summarizes all of
    # them (DET302 asks what the saved model needs); none is linted, so each is parsed once in the run.
    assert {name: count for name, count in counts.items() if name.startswith("models/saver")} == {
        f"models/saver_{index}.py": 1 for index in range(SAVERS)}
    assert all(count == 1 for name, count in counts.items() if name.startswith("scripts/"))
    (tmp_path / "serial").mkdir()
    _project(tmp_path / "serial")
    _, serial_findings = _parses_per_text(tmp_path / "serial", monkeypatch, jobs=1)
    assert findings == serial_findings


def _summary(name: str) -> ModuleSummary:
    return ModuleSummary(name=name, path=f"{name}.py", functions={"f": (frozenset({"numpy"}), ("g",))})


def test_a_published_summary_is_found_for_its_module_and_text_only(tmp_path: Path) -> None:
    shared = SummaryExchange(tmp_path)
    assert shared.lookup(shared.key("pkg.a", "x = 1\n")) == (False, None)
    shared.publish(shared.key("pkg.a", "x = 1\n"), _summary("pkg.a"))
    assert shared.lookup(shared.key("pkg.a", "x = 1\n")) == (True, _summary("pkg.a"))
    assert shared.lookup(shared.key("pkg.a", "x = 2\n")) == (False, None)  # the module changed: not that summary
    assert shared.lookup(shared.key("pkg.b", "x = 1\n")) == (False, None)
    # a module that cannot be summarized is published as such
    shared.publish(shared.key("pkg.c", "x = (\n"), None)
    assert shared.lookup(shared.key("pkg.c", "x = (\n")) == (True, None)
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".pickle", ".pickle"]


def test_a_damaged_summary_is_not_found(tmp_path: Path) -> None:
    shared = SummaryExchange(tmp_path)
    shared.publish(shared.key("pkg.a", "x = 1\n"), _summary("pkg.a"))
    [written] = tmp_path.iterdir()
    written.write_bytes(written.read_bytes()[:-5])
    assert shared.lookup(shared.key("pkg.a", "x = 1\n")) == (False, None)


def test_one_worker_claims_a_module_and_the_other_waits_for_its_summary(tmp_path: Path) -> None:
    first, second = SummaryExchange(tmp_path), SummaryExchange(tmp_path)
    assert first.claim(first.key("pkg.a", "x = 1\n"))
    assert not second.claim(second.key("pkg.a", "x = 1\n"))
    publisher = threading.Timer(0.2, first.publish, (first.key("pkg.a", "x = 1\n"), _summary("pkg.a")))
    started = time.monotonic()
    publisher.start()
    assert second.wait(second.key("pkg.a", "x = 1\n")) == (True, _summary("pkg.a"))
    assert time.monotonic() - started >= 0.15
    assert second.claim(second.key("pkg.b", "x = 1\n"))  # claims are per module and text


def test_a_withdrawn_or_stale_claim_is_not_waited_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = SummaryExchange(tmp_path), SummaryExchange(tmp_path)
    assert first.claim(first.key("pkg.a", "x = 1\n"))
    threading.Timer(0.1, first.withdraw, (first.key("pkg.a", "x = 1\n"),)).start()
    assert second.wait(second.key("pkg.a", "x = 1\n")) == (False, None)
    assert first.claim(first.key("pkg.b", "x = 1\n"))  # its claimer died: given up on after the timeout
    monkeypatch.setattr(exchange_module, "CLAIM_TIMEOUT_SECONDS", 0.1)
    started = time.monotonic()
    assert second.wait(second.key("pkg.b", "x = 1\n")) == (False, None)
    assert time.monotonic() - started < 5


class _PublishedMeanwhile(SummaryExchange):
    """Another worker publishes the module, and withdraws its claim, between this worker's lookup and
    its claim: the claim then succeeds, though the summary is there."""

    def __init__(self, folder: Path, other: SummaryExchange, summary: ModuleSummary) -> None:
        super().__init__(folder)
        self.other, self.summary = other, summary

    def claim(self, key: SummaryKey) -> bool:
        assert self.other.claim(key)
        self.other.publish(key, self.summary)
        return super().claim(key)


def test_a_summary_published_between_lookup_and_claim_is_not_made_again(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pkg").mkdir()
    module_path = tmp_path / "pkg" / "a.py"
    module_path.write_text("x = 1\n")
    made: list[str] = []
    monkeypatch.setattr(project_module, "_summarize_here", lambda text, *args: made.append(text))
    exchange = _PublishedMeanwhile(tmp_path / "exchange", SummaryExchange(tmp_path / "exchange"), _summary("pkg.a"))
    exchange.folder.mkdir()
    found = project_module._summary_of(module_path, "pkg.a", 1 << 20, lambda path: path.read_text(), None, exchange)
    assert (found, made) == (_summary("pkg.a"), [])
    assert sorted(path.suffix for path in exchange.folder.iterdir()) == [".pickle"]  # no claim left behind


def test_the_run_removes_its_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    original = tempfile.mkdtemp

    def recording_mkdtemp(*args: object, **kwargs: object) -> str:
        folder = original(*args, **kwargs)  # type: ignore[arg-type]
        made.append(folder)
        return folder

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    run(["scripts"], Options(), use_cache=False, jobs=2)
    assert len(made) == 1 and "detlint" in os.path.basename(made[0])
    assert not os.path.exists(made[0])


def _finished_process_id() -> int:
    process = multiprocessing.get_context("fork" if os.name == "posix" else "spawn").Process(target=int)
    process.start()
    process.join()
    assert process.pid is not None
    return process.pid


@pytest.mark.skipif(os.name != "posix", reason="processes are probed on POSIX only")
def test_a_new_run_removes_only_the_folders_of_runs_that_are_gone(tmp_path: Path) -> None:
    gone = tmp_path / f"detlint-summaries-{_finished_process_id()}-k1ll3d"
    running = tmp_path / f"detlint-summaries-{os.getppid()}-st1ll"
    unrelated = [tmp_path / "detlint-summaries-notapid", tmp_path / "other-123-x"]
    for folder in [gone, running, *unrelated]:
        folder.mkdir()
        (folder / "0123.pickle").write_bytes(b"x")
    a_file = tmp_path / f"detlint-summaries-{_finished_process_id()}-file"
    a_file.write_text("not a folder")

    made = make_run_folder(tmp_path)

    assert made.parent == tmp_path and made.name.startswith(f"detlint-summaries-{os.getpid()}-")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        path.name for path in [made, running, *unrelated, a_file])
    assert remove_abandoned_folders(tmp_path) == []  # this run's own folder stays while it runs
