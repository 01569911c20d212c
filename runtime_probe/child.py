"""Entry point and helpers for code that runs inside a probe child process.

The parent starts ``python -c BOOTSTRAP <package-parent> <task.json>``; the
bootstrap imports :func:`main`, which runs one scenario function and writes
its JSON result next to the task file. Nothing here imports an ML framework:
scenario functions import what they need themselves, so a missing package
shows up as a ``ModuleNotFoundError`` inside the child and never in the parent.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import json
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Comma-separated top-level module names that the child must treat as not
#: installed (used to test the SKIPPED path without uninstalling anything).
HIDE_ENV_VAR = "DETLINT_PROBE_HIDE"

BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from runtime_probe.child import main; raise SystemExit(main(sys.argv[2]))"
)

MAX_MESSAGE_CHARS = 400


def hidden_modules(environ: dict[str, str] | None = None) -> frozenset[str]:
    """Top-level module names hidden through :data:`HIDE_ENV_VAR`."""
    value = (environ if environ is not None else os.environ).get(HIDE_ENV_VAR, "")
    return frozenset(name.strip() for name in value.split(",") if name.strip())


class _HiddenModuleBlocker(importlib.abc.MetaPathFinder):
    """Makes the named top-level packages (and their submodules) unimportable."""

    def __init__(self, names: frozenset[str]) -> None:
        self._names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.split(".", 1)[0] in self._names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@dataclass
class ChildContext:
    """What a scenario function gets besides its arguments.

    ``workdir`` is the process's own working directory (also its cwd), so
    processes running side by side never collide; ``shared`` is where one
    process leaves files for the next (a saved model for a fresh loader).
    """

    workdir: Path
    shared: Path
    phases: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time a block; repeated names add up (e.g. ``import`` vs ``train``)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= MAX_MESSAGE_CHARS else line[: MAX_MESSAGE_CHARS - 1] + "…"


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """Type and first message line of an exception and of the root of its chain.

    Keras often wraps the real cause (``Could not locate class 'Scale'``) in a
    generic outer error; the root is the last exception reached through
    ``__cause__`` / ``__context__``.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    root = chain[-1]
    return {
        "type": type(exc).__name__,
        "message": _first_line(str(exc)),
        "root_type": type(root).__name__,
        "root_message": _first_line(str(root)),
        "chain": [type(item).__name__ for item in chain],
    }


def finite_or_none(value: float) -> float | None:
    """JSON has no NaN/inf: map them to None."""
    return value if math.isfinite(value) else None


def max_abs_diff(first: Sequence[float], second: Sequence[float]) -> float:
    """Largest element-wise |a - b| of two equally long flat sequences."""
    if len(first) != len(second):
        raise ValueError(f"cannot compare {len(first)} values with {len(second)}")
    return max((abs(a - b) for a, b in zip(first, second, strict=True)), default=0.0)


def _write_json_atomically(path: Path, payload: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, allow_nan=False, default=str))
    os.replace(temporary, path)


def run_task(task: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run the scenario function a task names and return the result payload."""
    context = ChildContext(workdir=workdir, shared=Path(task["shared_dir"]))
    started = time.perf_counter()
    try:
        module = importlib.import_module(task["module"])
        function = getattr(module, task["function"])
        result = function(task.get("args", {}), context)
        payload: dict[str, Any] = {"ok": True, "result": result}
    except ModuleNotFoundError as exc:
        payload = {"ok": False, "missing_module": exc.name, "error": describe_exception(exc)}
    except Exception as exc:  # reported to the parent, never raised further
        payload = {"ok": False, "error": describe_exception(exc)}
    payload["phases"] = context.phases
    payload["function_s"] = time.perf_counter() - started
    return payload


def main(task_path: str) -> int:
    """Child entry point: run the task in ``task_path``, write its result file, exit."""
    hidden = hidden_modules()
    if hidden:
        sys.meta_path.insert(0, _HiddenModuleBlocker(hidden))
    task_file = Path(task_path)
    task = json.loads(task_file.read_text())
    payload = run_task(task, Path.cwd())
    try:
        _write_json_atomically(Path(task["result_path"]), payload)
    except (TypeError, ValueError) as exc:  # a result that is not JSON
        _write_json_atomically(
            Path(task["result_path"]),
            {"ok": False, "error": describe_exception(exc), "phases": payload.get("phases", {})},
        )
    # Everything the scenario wrote is on disk; skip framework teardown (thread
    # pools, atexit hooks), which costs TensorFlow processes about a second.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
