"""Where the runtime probe spends its time: per scenario, framework import vs the experiment.

Usage::

    python bench/probe_bench.py                 # all scenarios together, as `detlint probe --all` runs them
    python bench/probe_bench.py --isolated      # one scenario at a time (clean per-scenario numbers)
    python bench/probe_bench.py --only DET101,DET302 --jobs 2 --json timings.json

Each child process reports its phases (``import``, ``train``, ``search``,
``load``...); ``startup`` is interpreter start plus loading the scenario
module. The machine's load average is printed because other work on the
same cores changes every number.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

from runtime_probe.findings import parse_code_filter
from runtime_probe.runner import ProbePlan, default_jobs, plan_all, run_plan
from runtime_probe.verdicts import ScenarioResult

AUTOML_CODES = {"DET106", "DET107"}


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def _phase_split(result: ScenarioResult) -> dict[str, float]:
    startup = sum(process.startup_s for process in result.processes)
    imports = sum(process.phases.get("import", 0.0) for process in result.processes)
    work = sum(seconds for process in result.processes for name, seconds in process.phases.items() if name != "import")
    return {"startup": startup, "import": imports, "work": work}


def _work_detail(result: ScenarioResult) -> str:
    totals: dict[str, float] = {}
    for process in result.processes:
        for name, seconds in process.phases.items():
            if name != "import":
                totals[name] = totals.get(name, 0.0) + seconds
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in totals.items())


def run_benchmark(plan: ProbePlan, *, jobs: int, isolated: bool,
                  timeout_s: float) -> tuple[list[ScenarioResult], float]:
    started = time.monotonic()
    if isolated:
        results: list[ScenarioResult] = []
        for planned in plan.scenarios:
            results += run_plan(ProbePlan((planned,)), timeout_s=timeout_s, jobs=jobs)
    else:
        results = run_plan(plan, timeout_s=timeout_s, jobs=jobs)
    return results, time.monotonic() - started


def render(results: list[ScenarioResult], total_s: float, *, jobs: int, isolated: bool, load_before: str,
           load_after: str, console: Console) -> None:
    table = Table(title=f"Runtime probe timings ({'one scenario at a time' if isolated else 'all together'}, "
                        f"{jobs} process slots)", title_justify="left")
    for column in ("Scenario", "Rules", "Verdict"):
        table.add_column(column, no_wrap=True)
    for column in ("Wall s", "Procs", "Startup s", "Import s", "Work s"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("Work phases (s, summed over processes)")
    for result in results:
        split = _phase_split(result)
        table.add_row(
            result.scenario_id, ",".join(result.codes), result.verdict.value, f"{result.wall_s:.1f}",
            str(len(result.processes)), f"{split['startup']:.1f}", f"{split['import']:.1f}", f"{split['work']:.1f}",
            _work_detail(result),
        )
    console.print(table)
    without_automl = [r for r in results if not AUTOML_CODES.intersection(r.codes)]
    console.print(f"total wall: {total_s:.1f} s; CPU-seconds in children: "
                  f"import {sum(_phase_split(r)['import'] for r in results):.1f}, "
                  f"work {sum(_phase_split(r)['work'] for r in results):.1f}, "
                  f"startup {sum(_phase_split(r)['startup'] for r in results):.1f}")
    if isolated:
        console.print(f"sum of scenario walls without AutoKeras: {sum(r.wall_s for r in without_automl):.1f} s")
    console.print(f"load average before: {load_before}; after: {load_after}; cores: {os.cpu_count()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=parse_code_filter, default=None, help="rule codes, e.g. DET101,DET302")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="child processes at once")
    parser.add_argument("--isolated", action="store_true", help="run one scenario at a time")
    parser.add_argument("--timeout", type=float, default=600.0, help="per scenario, seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw timings here")
    options = parser.parse_args(argv)
    plan = plan_all(options.only)
    if not plan.scenarios:
        print("no scenario selected", file=sys.stderr)
        return 2
    load_before = _load()
    results, total_s = run_benchmark(plan, jobs=options.jobs, isolated=options.isolated, timeout_s=options.timeout)
    render(results, total_s, jobs=options.jobs, isolated=options.isolated, load_before=load_before,
           load_after=_load(), console=Console(width=None if sys.stdout.isatty() else 160))
    if options.json is not None:
        options.json.write_text(json.dumps({
            "total_s": total_s, "jobs": options.jobs, "isolated": options.isolated,
            "load_before": load_before, "load_after": _load(),
            "scenarios": [result.to_dict() for result in results],
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
