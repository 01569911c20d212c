"""Stopping a parallel `check --fix` (an editor's stop button, `Popen.terminate()`, `docker stop`): the worker
processes die with the parent, and no file changes once the parent is gone; every file holds either its
original bytes or its exact fixed content."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")

CODE = "from sklearn.model_selection import train_test_split\nparts = train_test_split([1, 2])\n"
FIXED = CODE.replace("([1, 2])", "([1, 2], random_state=42)")
# Ordinary code that takes the linter a while, so the run is still going when it is stopped.
FILLER = "".join(f"\n\ndef scale_{i}(values):\n    return [v * {i} for v in values if v > {i}]\n" for i in range(250))
FILES = 60


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, ...


def _alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie has finished


def _children(parent: int) -> set[int]:
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None and int(fields[1]) == parent:
                pids.add(int(entry))
    return pids


def _wait_until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _contents(paths: list[Path]) -> dict[str, str]:
    return {path.name: path.read_text() for path in paths}


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "whole_group"), [
    (signal.SIGTERM, False),  # Popen.terminate(), docker stop
    (signal.SIGKILL, False),  # Popen.kill(), docker stop after its grace period
    (signal.SIGTERM, True),  # an editor stopping the process group
    (signal.SIGINT, True),  # Ctrl-C in a terminal
], ids=["SIGTERM", "SIGKILL", "SIGTERM-group", "SIGINT-group"])
def test_workers_die_with_the_parent_and_nothing_is_written_after(tmp_path: Path, signum: int,
                                                                 whole_group: bool) -> None:
    paths = [tmp_path / f"m{i:02d}.py" for i in range(FILES)]
    for index, path in enumerate(paths):
        path.write_text(CODE + (FILLER if index % 3 == 0 else ""))
    originals = _contents(paths)
    run_temp = tmp_path.parent / f"{tmp_path.name}.tmp"  # the run's own temporary directory
    run_temp.mkdir()
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(run_temp)}
    errors = tmp_path.parent / f"{tmp_path.name}.stderr"  # a file, not a pipe: live workers would hold a pipe open
    with errors.open("wb") as stream:
        parent = subprocess.Popen([sys.executable, "-m", "detlint", "check", "--fix", "--no-cache", "-j", "2", "."],
                                  cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=stream,
                                  start_new_session=True)
    try:
        workers: set[int] = set()

        def started() -> bool:
            workers.update(_children(parent.pid))
            return len(workers) >= 2 and any(path.read_text() != originals[path.name] for path in paths)

        assert _wait_until(started, 90), "the run never got going"
        if whole_group:
            os.killpg(parent.pid, signum)
        else:
            parent.send_signal(signum)
        parent.wait(timeout=15)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    try:
        assert _wait_until(lambda: not any(_alive(pid) for pid in workers), 5), (
            f"workers still running {sorted(pid for pid in workers if _alive(pid))} after {signum!r}")
    finally:
        for pid in workers:  # never leave a runaway behind, whatever the outcome
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    stopped = _contents(paths)
    time.sleep(1.0)
    assert _contents(paths) == stopped  # nothing wrote after the run stopped
    unchanged = [name for name, text in stopped.items() if text == originals[name]]
    fixed = [name for name, text in stopped.items() if text == originals[name].replace(CODE, FIXED)]
    assert sorted(unchanged + fixed) == sorted(stopped), "a file holds neither its original nor its fix"
    assert unchanged, "the run finished before it was stopped: nothing was tested"
    stderr = errors.read_text()
    if signum != signal.SIGKILL:  # held back while a file is written (SIGKILL cannot be: a temp file may stay)
        assert [p.name for p in tmp_path.iterdir() if "detlint-tmp" in p.name] == []
        assert parent.returncode == 2 and stderr.endswith("detlint: interrupted\n"), (parent.returncode, stderr)
        assert list(run_temp.iterdir()) == []  # the workers' summary exchange went with the run
    else:
        assert parent.returncode == -signal.SIGKILL
        # A killed run cannot clean up after itself: the next run removes what it left.
        assert [path.name.startswith("detlint-summaries-") for path in run_temp.iterdir()] == [True]
        subprocess.run([sys.executable, "-m", "detlint", "check", "--exit-zero", "--no-cache", "-j", "2", "."],
                       cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, check=True, timeout=300)
        assert list(run_temp.iterdir()) == []


def test_stop_signal_during_a_write_takes_effect_after_it() -> None:
    from detlint.processes import Terminated, signals_deferred, stop_on_signals

    before = signal.getsignal(signal.SIGTERM)
    steps = []
    with pytest.raises(Terminated) as stopped:
        with stop_on_signals():
            with signals_deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # time for the handler to run, were it not held back
                steps.append("write finished")
            steps.append("next file")
    assert steps == ["write finished"] and stopped.value.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before


def test_worker_without_prctl_exits_when_its_parent_dies(tmp_path: Path) -> None:
    """The fallback where PR_SET_PDEATHSIG does not exist (macOS, BSD): the worker polls its parent."""
    script = (
        "import os, threading, time\n"
        "from detlint.processes import _watch_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    quiet = os.open(os.devnull, os.O_WRONLY)\n"
        "    os.dup2(quiet, 1), os.dup2(quiet, 2)  # let the caller see the end of its output\n"
        "    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    worker = int(done.stdout)
    try:
        assert _wait_until(lambda: not _alive(worker), 5), "the orphaned worker kept running"
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)
