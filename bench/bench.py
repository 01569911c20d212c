"""detlint benchmark: speed as ratios against baselines measured in the same run.

Builds a corpus from the Python files of installed packages (scikit-learn and Keras by default;
TensorFlow with --with-tensorflow) plus the project's examples, copied into a temporary folder so
the cache and exclusions behave as in a user's project. Every measurement runs as a fresh
subprocess; wall times are medians of --repeat runs.

    python bench/bench.py                 # full run (several minutes on 2 cores)
    python bench/bench.py --quick         # smaller corpus and fewer repeats
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

READ_ONLY = """
import sys
for name in open(sys.argv[1]).read().splitlines():
    open(name, 'rb').read()
"""
BARE_PARSE = """
import sys, libcst
for name in open(sys.argv[1]).read().splitlines():
    try:
        libcst.parse_module(open(name, 'rb').read())
    except Exception:
        pass
"""


def package_dirs(names: list[str]) -> list[Path]:
    found = []
    for name in names:
        spec = importlib.util.find_spec(name)  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            print(f"  (package {name} not installed: skipped)")
            continue
        found.append(Path(list(spec.submodule_search_locations)[0]))
    return found


def build_corpus(target: Path, packages: list[str], limit: int | None) -> list[str]:
    files: list[Path] = []
    for folder in package_dirs(packages):
        files.extend(sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts))
    files.extend(sorted((ROOT / "examples").rglob("*.py")))
    if limit:
        files = files[:limit]
    (target / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    names = []
    for index, source in enumerate(files):
        destination = target / "corpus" / f"d{index // 200:03d}" / f"f{index:05d}_{source.name}"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        names.append(str(destination.relative_to(target)))
    return names


# Measure as a user's Python runs: with bytecode caches (some sandboxes and CI images set
# PYTHONDONTWRITEBYTECODE, which makes every start recompile detlint's modules from source).
_USER_ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one subprocess (its own RSS; worker processes are
    reported by their own runs with --jobs 1)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**_USER_ENVIRONMENT, **(env or {})})
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:4])}... failed: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss


def median(command: list[str], cwd: Path, repeat: int, before: "callable | None" = None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        elapsed, peak = timed(command, cwd)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def detlint(*args: str) -> list[str]:
    return [PYTHON, "-m", "detlint", "check", "--exit-zero", "--format", "json", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="600 files, one repeat")
    parser.add_argument("--with-tensorflow", action="store_true", help="add TensorFlow's files to the corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-sample", type=int, default=5, help="peers run on every Nth file (default 5)")
    parser.add_argument("--no-peers", action="store_true", help="skip Fixit and pylint")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    packages = ["sklearn", "keras"] + (["tensorflow"] if args.with_tensorflow else [])

    work = Path(tempfile.mkdtemp(prefix="detlint-bench-"))
    try:
        print(f"Building corpus from {', '.join(packages)} + examples ...")
        files = build_corpus(work, packages, 600 if args.quick else None)
        lines = sum(len((work / f).read_bytes().splitlines()) for f in files)
        listing = work / "files.txt"
        listing.write_text("\n".join(files))
        print(f"Corpus: {len(files)} files, {lines:,} lines, {os.cpu_count()} cores\n")
        rows: list[tuple[str, float, str]] = []
        shown = 0

        def show() -> None:
            # print rows as they are measured, so a long run shows its results early
            nonlocal shown
            for label, seconds, note in rows[shown:]:
                print(f"  {label}: {seconds:.2f}s  {note}", flush=True)
            shown = len(rows)

        def clear_cache() -> None:
            shutil.rmtree(work / ".detlint_cache", ignore_errors=True)

        read_s, _ = median([PYTHON, "-c", READ_ONLY, str(listing)], work, repeat)
        parse_s, parse_mem = median([PYTHON, "-c", BARE_PARSE, str(listing)], work, repeat)
        cold_s, cold_mem = median(detlint("corpus"), work, repeat, before=clear_cache)
        serial_s, _ = median(detlint("corpus", "--no-cache", "--jobs", "1"), work, repeat)
        warm_s, _ = median(detlint("corpus"), work, repeat)
        rows += [
            ("read files only", read_s, ""),
            ("bare libcst.parse_module loop (1 process)", parse_s, "baseline"),
            ("detlint cold (no cache, all cores)", cold_s, f"{cold_s / parse_s:.2f}x bare parse; {cold_s / read_s:.1f}x read"),
            ("detlint serial (no cache, --jobs 1)", serial_s, f"{serial_s / parse_s:.2f}x bare parse"),
            ("detlint warm (cache, nothing changed)", warm_s, f"{warm_s / cold_s:.1%} of cold"),
        ]

        show()
        # Parallel speed-up on files that must be parsed: a corpus where every file is an ML script.
        ml_files = [f for f in files if "examples" not in f][:400]
        ml_dir = work / "mlcorpus"
        template = (ROOT / "examples").rglob("*.py")
        sample = next((p for p in sorted(template) if "bad" in p.parts), None)
        if sample is not None:
            ml_dir.mkdir()
            for index, name in enumerate(ml_files):
                (ml_dir / f"m{index:04d}.py").write_text(sample.read_text() + "\n" + (work / name).read_text(errors="replace"))
            one, _ = median(detlint("mlcorpus", "--no-cache", "--jobs", "1"), work, repeat)
            two, _ = median(detlint("mlcorpus", "--no-cache", "--jobs", "2"), work, repeat)
            rows.append((f"parallel speed-up, {len(ml_files)} files that all parse", two, f"{one / two:.2f}x (jobs 1: {one:.2f}s)"))

        # Single small file end to end: the pre-commit case.
        small = work / "one.py"
        small.write_text(sample.read_text() if sample is not None else "import os\n")
        timed([PYTHON, "-m", "detlint", "check", "--exit-zero", "--no-cache", "one.py"], work)  # writes bytecode caches
        pass_s, _ = median([PYTHON, "-c", "pass"], work, max(5, repeat))
        libcst_s, _ = median([PYTHON, "-c", "import libcst"], work, max(5, repeat))
        one_s, _ = median([PYTHON, "-m", "detlint", "check", "--exit-zero", "--no-cache", "one.py"], work, max(5, repeat))
        rows += [
            ("python -c pass", pass_s, ""),
            ('python -c "import libcst"', libcst_s, ""),
            ("detlint check one.py (process start included)", one_s,
             f"{one_s / libcst_s:.2f}x import libcst; {one_s / pass_s:.1f}x python -c pass"),
        ]

        show()
        # Scaling and memory: serial runs over growing prefixes of the corpus.
        print("Scaling (serial, no cache):")
        previous = None
        # Prefixes of one seeded shuffle: each subset is a like-for-like sample of the corpus (the
        # corpus order groups packages and test folders, whose files differ in size and findings).
        shuffled = random.Random(0).sample(files, len(files))
        for size in [n for n in (250, 500, 1000, 2000) if n < len(files)] + [len(files)]:
            subset = work / f"subset{size}.txt"
            subset.write_text("\n".join(shuffled[:size]))
            args_list = [PYTHON, "-c", "import sys; from detlint.cli import main; "
                         "sys.exit(main(['check', '--exit-zero', '--no-cache', '--jobs', '1', '--format', 'json', "
                         "*open(sys.argv[1]).read().splitlines()]))", str(subset)]
            elapsed, peak = timed(args_list, work)
            per_file = elapsed / size * 1000
            note = "" if previous is None else f"  (x{size / previous[0]:.1f} files -> x{elapsed / previous[1]:.2f} time)"
            print(f"  {size:>5} files: {elapsed:7.2f}s  {per_file:6.1f} ms/file  peak RSS {peak / 1024:7.1f} MiB{note}")
            previous = (size, elapsed)
        print(f"  bare parse peak RSS {parse_mem / 1024:.1f} MiB; detlint cold main-process peak RSS {cold_mem / 1024:.1f} MiB\n")

        if not args.no_peers:
            peer_files = files[:: args.peer_sample]
            peer_list = work / "peers.txt"
            peer_list.write_text("\n".join(peer_files))
            ours, _ = timed([PYTHON, "-c", "import sys; from detlint.cli import main; sys.exit(main(['check', "
                             "'--exit-zero', '--no-cache', '--format', 'json', *open(sys.argv[1]).read().splitlines()]))",
                             str(peer_list)], work)
            rows.append((f"detlint on every {args.peer_sample}th file ({len(peer_files)} files)", ours, "peer baseline"))
            for label, command in (
                ("fixit lint (default rules)", [PYTHON, "-m", "fixit", "lint", *peer_files]),
                ("pylint (default checks)", [PYTHON, "-m", "pylint", "--exit-zero", "-j", "0", *peer_files]),
            ):
                module = command[2]
                if importlib.util.find_spec(module) is None:
                    rows.append((label, float("nan"), "not installed (pip install -e '.[bench]')"))
                    continue
                try:
                    elapsed, _ = timed(command, work)
                    rows.append((label, elapsed, f"{elapsed / ours:.1f}x detlint's time"))
                except RuntimeError as error:
                    rows.append((label, float("nan"), f"failed: {str(error)[:80]}"))

        width = max(len(r[0]) for r in rows)
        print(f"{'measurement'.ljust(width)}  {'wall s':>8}  ratio")
        for label, seconds, note in rows:
            print(f"{label.ljust(width)}  {seconds:8.2f}  {note}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
