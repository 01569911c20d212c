"""Child functions that exercise the harness itself (time limits, missing packages).

They import no framework; the probe's own tests and ``bench/probe_bench.py``
use them to check that timeouts kill whole process groups and that a
package missing in the child becomes a SKIPPED verdict.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from runtime_probe.child import ChildContext


def child_sleep(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Sleep ``args["seconds"]``; with ``spawn_grandchild`` also start a sleeping grandchild first.

    The grandchild's pid goes to ``shared/grandchild.pid`` so a test can check
    that a timeout killed the whole process group.
    """
    if args.get("spawn_grandchild"):
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        _publish(context.shared / "grandchild.pid", str(grandchild.pid))
    _publish(context.shared / "child.pid", str(os.getpid()))
    time.sleep(float(args.get("seconds", 1.0)))
    return {"slept": float(args.get("seconds", 1.0))}


def _publish(path: Path, text: str) -> None:
    """Write a file that a test polls for: it appears whole (a test that saw it empty read no pid)."""
    partial = path.with_name(f"{path.name}.part")
    partial.write_text(text)
    os.replace(partial, path)


def child_import(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Import ``args["module"]``; a missing module ends as the harness's ``missing_module``."""
    with context.phase("import"):
        module = importlib.import_module(args["module"])
    return {"module": module.__name__, "file": str(getattr(module, "__file__", ""))}


def child_fail(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Raise an exception chain, to test how failures are described."""
    try:
        raise KeyError(args.get("root", "root cause"))
    except KeyError as exc:
        raise RuntimeError(args.get("outer", "outer failure")) from exc
