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


def build_corpus(target: Path, packages: list[str], limit: int | None, every: int = 1) -> list[str]:
    files: list[Path] = []
    for folder in package_dirs(packages):
        files.extend(sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)[::every])
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


# Application code: the TensorFlow Model Garden (``official`` and ``orbit``, laid out as in the wheel,
# so modules import each other as in a project); its NLP models, trainers and data pipelines are
# linted. Almost every one of those files imports TensorFlow and trains, builds or saves a model,
# so the pre-filter lets few of them skip LibCST (the opposite of library code).
APP_WHEEL = "tf-models-official"
APP_PACKAGES = ("official/", "orbit/")
APP_LINTED = "app/official/nlp"


def download_app_wheel(folder: Path) -> Path | None:
    """The application wheel, downloaded once into ``folder`` (None when the registry cannot serve it)."""
    found = sorted(folder.glob("tf_models_official-*.whl"))
    if not found:
        command = [PYTHON, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-q", "-d", str(folder),
                   APP_WHEEL]
        if subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            return None
        found = sorted(folder.glob("tf_models_official-*.whl"))
    return found[-1] if found else None


def build_app_corpus(target: Path, wheel: Path) -> list[str]:
    """The wheel's ``APP_PACKAGES`` under ``target/app``; returns the linted files (those under
    ``APP_LINTED``), relative to ``target``."""
    import zipfile

    (target / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    names = []
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            if member.endswith(".py") and member.startswith(APP_PACKAGES):
                destination = target / "app" / member
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(member))
                name = str(destination.relative_to(target))
                if name.startswith(APP_LINTED + "/"):
                    names.append(name)
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


def detlint(*args: str) -> list[str]:
    return [PYTHON, "-m", "detlint", "check", "--exit-zero", "--format", "json", *args]


def interleaved(commands: dict[str, tuple[list[str], "callable | None"]], cwd: Path, repeat: int
                ) -> dict[str, tuple[float, int]]:
    """Median wall time and peak RSS of each command, run in turn ``repeat`` times (round after round,
    so a machine that gets busier or quieter during the run weighs on every command alike)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {name: 0 for name in commands}
    for _ in range(repeat):
        for name, (command, before) in commands.items():
            if before is not None:
                before()
            elapsed, peak = timed(command, cwd)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(times[name]), peaks[name]) for name in commands}


def corpus_ratios(label: str, root: Path, target: str, files: list[str], repeat: int
                  ) -> tuple[list[tuple[str, float, str]], float]:
    """Rows of the ratios against the bare parse for one corpus, and detlint's cold time."""
    listing = root / "files.txt"
    listing.write_text("\n".join(files))

    def clear_cache() -> None:
        shutil.rmtree(root / ".detlint_cache", ignore_errors=True)

    found = interleaved({
        "read": ([PYTHON, "-c", READ_ONLY, str(listing)], None),
        "parse": ([PYTHON, "-c", BARE_PARSE, str(listing)], None),
        "cold": (detlint(target), clear_cache),
        "serial": (detlint(target, "--no-cache", "--jobs", "1"), None),
        "warm": (detlint(target), None),  # after the cold run of the same round: the cache is full
    }, root, repeat)
    read_s, parse_s, (cold_s, _), serial_s, warm_s = (found["read"][0], found["parse"][0], found["cold"],
                                                      found["serial"][0], found["warm"][0])
    rows = [
        (f"[{label}] read files only", read_s, ""),
        (f"[{label}] bare libcst.parse_module loop (1 process)", parse_s, "baseline"),
        (f"[{label}] detlint cold (no cache, all cores)", cold_s,
         f"{cold_s / parse_s:.2f}x bare parse; {cold_s / read_s:.1f}x read"),
        (f"[{label}] detlint serial (no cache, --jobs 1)", serial_s, f"{serial_s / parse_s:.2f}x bare parse"),
        (f"[{label}] detlint warm (cache, nothing changed)", warm_s,
         f"{warm_s / cold_s:.1%} of cold; {warm_s / parse_s:.2f}x bare parse"),
    ]
    return rows, cold_s


def peer_commands(peer_python: str, files: list[str]) -> list[tuple[str, list[str] | None]]:
    """The peers' command lines, or None for one that is not installed in ``peer_python``."""
    def has(module: str) -> bool:
        return subprocess.run([peer_python, "-c", f"import {module}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0

    dslinter = has("dslinter")
    pylint = [peer_python, "-m", "pylint", "--exit-zero", "-j", "0",
              *(["--load-plugins=dslinter"] if dslinter else []), *files]
    return [
        ("fixit lint (default rules)", [peer_python, "-m", "fixit", "lint", *files] if has("fixit") else None),
        ("pylint + dslinter" if dslinter else "pylint (default checks)", pylint if has("pylint") else None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="600 library files, one repeat")
    parser.add_argument("--with-tensorflow", action="store_true", help="add TensorFlow's files to the corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-sample", type=int, default=5, help="peers run on every Nth library file (default 5)")
    parser.add_argument("--no-peers", action="store_true", help="skip Fixit and pylint")
    parser.add_argument("--peer-python", default=PYTHON,
                        help="the Python that has fixit, pylint and dslinter installed (default: this one)")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only the ratios of both corpora and the single file (no scaling, no speed-up)")
    parser.add_argument("--wheel-dir", type=Path, help="folder holding (or to download) the application wheel")
    parser.add_argument("--library-sample", type=int, default=1, metavar="N",
                        help="library corpus: every Nth file of the packages (default: all)")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    packages = ["sklearn", "keras"] + (["tensorflow"] if args.with_tensorflow else [])

    work = Path(tempfile.mkdtemp(prefix="detlint-bench-"))
    try:
        rows: list[tuple[str, float, str]] = []
        shown = 0

        def show() -> None:
            # print rows as they are measured, so a long run shows its results early
            nonlocal shown
            for label, seconds, note in rows[shown:]:
                print(f"  {label}: {seconds:.2f}s  {note}", flush=True)
            shown = len(rows)

        print(f"Building the library corpus from {', '.join(packages)} + examples ...")
        lib_root = work / "library"
        lib_root.mkdir()
        files = build_corpus(lib_root, packages, 600 if args.quick else None, args.library_sample)
        lines = sum(len((lib_root / f).read_bytes().splitlines()) for f in files)
        print(f"Library corpus: {len(files)} files, {lines:,} lines, {os.cpu_count()} cores")
        wheel = download_app_wheel(args.wheel_dir or work)
        app_root = work / "application"
        app_root.mkdir()
        app_files = build_app_corpus(app_root, wheel) if wheel is not None else []
        if app_files:
            app_lines = sum(len((app_root / f).read_bytes().splitlines()) for f in app_files)
            print(f"Application corpus ({wheel.name}, {APP_LINTED}): {len(app_files)} files, {app_lines:,} lines\n")
        else:
            print(f"  ({APP_WHEEL} not available from the package registry: no application corpus)\n")

        app_cold = None
        if app_files:
            found, app_cold = corpus_ratios("application", app_root, APP_LINTED, app_files, repeat)
            rows += found
            show()
        found, _ = corpus_ratios("library", lib_root, "corpus", files, repeat)
        rows += found
        show()

        # Single small file end to end: the pre-commit case.
        template = sorted((ROOT / "examples").rglob("*.py"))
        sample = next((p for p in template if "bad" in p.parts), None)
        small = work / "one.py"
        small.write_text(sample.read_text() if sample is not None else "import os\n")
        one = [PYTHON, "-m", "detlint", "check", "--exit-zero", "--no-cache", "one.py"]
        timed(one, work)  # writes bytecode caches
        found_small = interleaved({"pass": ([PYTHON, "-c", "pass"], None),
                                   "libcst": ([PYTHON, "-c", "import libcst"], None),
                                   "one": (one, None)}, work, max(5, repeat))
        pass_s, libcst_s, one_s = found_small["pass"][0], found_small["libcst"][0], found_small["one"][0]
        rows += [
            ("python -c pass", pass_s, ""),
            ('python -c "import libcst"', libcst_s, ""),
            ("detlint check one.py (process start included)", one_s,
             f"{one_s / libcst_s:.2f}x import libcst; {one_s / pass_s:.1f}x python -c pass"),
        ]
        show()

        if not args.ratios_only:
            # Parallel speed-up on files that must be parsed: a corpus where every file is an ML script.
            ml_files = [f for f in files if "examples" not in f][:400]
            ml_dir = lib_root / "mlcorpus"
            if sample is not None:
                ml_dir.mkdir()
                for index, name in enumerate(ml_files):
                    (ml_dir / f"m{index:04d}.py").write_text(
                        sample.read_text() + "\n" + (lib_root / name).read_text(errors="replace"))
                speed = interleaved({"one": (detlint("mlcorpus", "--no-cache", "--jobs", "1"), None),
                                     "two": (detlint("mlcorpus", "--no-cache", "--jobs", "2"), None)},
                                    lib_root, repeat)
                one_job, two_jobs = speed["one"][0], speed["two"][0]
                rows.append((f"parallel speed-up, {len(ml_files)} files that all parse", two_jobs,
                             f"{one_job / two_jobs:.2f}x (jobs 1: {one_job:.2f}s)"))
                show()
            scaling(lib_root, files)

        if not args.no_peers:
            peer_sets = [("library", lib_root, files[:: args.peer_sample])]
            if app_files:
                peer_sets.insert(0, ("application", app_root, app_files))
            for corpus, root, peer_files in peer_sets:
                peer_list = root / "peers.txt"
                peer_list.write_text("\n".join(peer_files))
                ours, _ = timed([PYTHON, "-c", "import sys; from detlint.cli import console_main; console_main(['check', "
                                 "'--exit-zero', '--no-cache', '--format', 'json', "
                                 "*open(sys.argv[1]).read().splitlines()])", str(peer_list)], root)
                rows.append((f"[{corpus}] detlint on {len(peer_files)} files, cold", ours, "peer baseline"))
                for label, command in peer_commands(args.peer_python, peer_files):
                    if command is None:
                        rows.append((f"[{corpus}] {label}", float("nan"), "not installed (see --peer-python)"))
                        continue
                    try:
                        elapsed, _ = timed(command, root)
                        rows.append((f"[{corpus}] {label}", elapsed, f"{elapsed / ours:.1f}x detlint's time"))
                    except RuntimeError as error:
                        rows.append((f"[{corpus}] {label}", float("nan"), f"failed: {str(error)[:80]}"))
                show()

        width = max(len(r[0]) for r in rows)
        print(f"\n{'measurement'.ljust(width)}  {'wall s':>8}  ratio")
        for label, seconds, note in rows:
            print(f"{label.ljust(width)}  {seconds:8.2f}  {note}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def scaling(work: Path, files: list[str]) -> None:
    """Serial runs over growing prefixes of the corpus: time and peak memory per file."""
    print("Scaling (serial, no cache):")
    previous = None
    # Prefixes of one seeded shuffle: each subset is a like-for-like sample of the corpus (the
    # corpus order groups packages and test folders, whose files differ in size and findings).
    shuffled = random.Random(0).sample(files, len(files))
    for size in [n for n in (250, 500, 1000, 2000) if n < len(files)] + [len(files)]:
        subset = work / f"subset{size}.txt"
        subset.write_text("\n".join(shuffled[:size]))
        args_list = [PYTHON, "-c", "import sys; from detlint.cli import console_main; "
                     "console_main(['check', '--exit-zero', '--no-cache', '--jobs', '1', '--format', 'json', "
                     "*open(sys.argv[1]).read().splitlines()])", str(subset)]
        elapsed, peak = timed(args_list, work)
        per_file = elapsed / size * 1000
        note = "" if previous is None else f"  (x{size / previous[0]:.1f} files -> x{elapsed / previous[1]:.2f} time)"
        print(f"  {size:>5} files: {elapsed:7.2f}s  {per_file:6.1f} ms/file  peak RSS {peak / 1024:7.1f} MiB{note}")
        previous = (size, elapsed)
    print()


if __name__ == "__main__":
    sys.exit(main())
