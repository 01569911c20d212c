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
from typing import Any

from runtime_probe.child import ChildContext


def child_sleep(args: dict[str, Any], context: ChildContext) -> dict[str, Any]:
    """Sleep ``args["seconds"]``; with ``spawn_grandchild`` also start a sleeping grandchild first.

    The grandchild's pid goes to ``shared/grandchild.pid`` so a test can check
    that a timeout killed the whole process group.
    """
    if args.get("spawn_grandchild"):
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        pid_file = context.shared / "grandchild.pid"
        pid_file.write_text(str(grandchild.pid))
    (context.shared / "child.pid").write_text(str(os.getpid()))
    time.sleep(float(args.get("seconds", 1.0)))
    return {"slept": float(args.get("seconds", 1.0))}


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
