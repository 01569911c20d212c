"""Precision and recall of detlint on hand-labelled projects.

Each folder under ``bench/recall/projects/`` is a small, realistic ML project (training scripts,
model factories, data modules, serving code) with a ``labels.toml`` listing the findings the rule
catalog asks for: code, path relative to the project, line and column, and why. Every project is
copied into a temporary folder that looks like a repository of its own (an empty ``.git`` marks
its root) and checked twice with the command line, as a user would:

- ``project``: the whole folder in one run;
- ``file``: each ``.py`` file on its own (what pre-commit does), findings pooled.

The report lists, per rule, true positives, false alarms and misses, precision and recall, then
every miss and false alarm (``project/path:line:column CODE``). It is a report: exit status 0.

    python bench/recall.py                # text report
    python bench/recall.py --json         # machine-readable
    python bench/recall.py unet_segmentation dcgan   # some projects only
    python bench/recall.py --set heldout  # the held-out set under bench/recall/heldout/
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the linter supports 3.10 through tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "bench" / "recall" / "projects"
# A second, independently written and labelled set, kept apart so that scores are not tuned to the first.
HELDOUT = ROOT / "bench" / "recall" / "heldout"
LABELS_FILE = "labels.toml"
# Opt-in rules that the labels cover. DET201 (op determinism) is opt-in and deliberately not labelled.
EXTEND_SELECT = ("DET306",)
MODES = ("project", "file")


@dataclass(frozen=True, order=True)
class Finding:
    """A labelled or reported finding; ``column`` None in a label matches any column."""

    code: str
    path: str
    line: int
    column: int | None = None

    def key(self) -> str:
        column = f":{self.column}" if self.column is not None else ""
        return f"{self.path}:{self.line}{column} {self.code}"


@dataclass(frozen=True)
class Label(Finding):
    why: str = ""


@dataclass
class Score:
    """The outcome of comparing reported findings with the labels of one or more projects."""

    true_positives: list[tuple[str, Finding]] = field(default_factory=list)
    false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    misses: list[tuple[str, Finding]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # runs that failed: their project is not scored

    def extend(self, other: "Score") -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.misses += other.misses
        self.errors += other.errors

    def per_rule(self) -> dict[str, dict[str, float | int | None]]:
        tp = Counter(f.code for _, f in self.true_positives)
        fp = Counter(f.code for _, f in self.false_positives)
        fn = Counter(f.code for _, f in self.misses)
        rows = {code: _ratios(tp[code], fp[code], fn[code]) for code in sorted(set(tp) | set(fp) | set(fn))}
        rows["total"] = _ratios(sum(tp.values()), sum(fp.values()), sum(fn.values()))
        return rows


def _ratios(tp: int, fp: int, fn: int) -> dict[str, float | int | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {"labels": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall}


def load_labels(project: Path) -> list[Label]:
    """The labels of one project (``[[finding]]`` tables); raises ValueError on a malformed file."""
    data = tomllib.loads((project / LABELS_FILE).read_text(encoding="utf-8"))
    labels = []
    for number, entry in enumerate(data.get("finding", []), start=1):
        missing = {"code", "path", "line", "why"} - set(entry)
        if missing:
            raise ValueError(f"{project.name}/{LABELS_FILE}: finding {number} lacks {', '.join(sorted(missing))}")
        labels.append(Label(entry["code"], entry["path"], int(entry["line"]), entry.get("column"), entry["why"]))
    return labels


def score(project: str, labels: list[Label], reported: list[Finding]) -> Score:
    """Match reported findings to labels one to one (same code, path and line; column where labelled)."""
    result = Score()
    unmatched = sorted(set(reported), key=lambda item: (item.path, item.line, item.column or 0, item.code))
    for label in sorted(labels, key=lambda item: (item.path, item.line, item.column or 0, item.code)):
        match = next((found for found in unmatched if found.code == label.code and found.path == label.path
                      and found.line == label.line and label.column in (None, found.column)), None)
        if match is None:
            result.misses.append((project, Finding(label.code, label.path, label.line, label.column)))
        else:
            unmatched.remove(match)
            result.true_positives.append((project, match))
    result.false_positives.extend((project, found) for found in unmatched)
    return result


def python_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*.py") if "__pycache__" not in p.parts)


def copy_as_repository(project: Path, destination: Path) -> Path:
    """A copy of ``project`` whose root is marked the way a git checkout is (an empty ``.git``)."""
    copy = destination / project.name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(LABELS_FILE, "__pycache__", ".detlint_cache"))
    (copy / ".git").mkdir()
    return copy


def run_detlint(targets: list[Path], root: Path) -> list[Finding]:
    """Findings of ``python -m detlint check`` on ``targets``, with paths relative to ``root``."""
    env = dict(os.environ)
    source = ROOT / "src"
    if source.is_dir():  # the checkout's own code, not whatever detlint is installed
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(source), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "detlint", "check", "--no-cache", "--exit-zero", "--format", "json",
               "--extend-select", ",".join(EXTEND_SELECT), *map(str, targets)]
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"detlint exited {completed.returncode} on {root.name}: {completed.stderr.strip()}")
    return [Finding(item["code"], Path(item["path"]).resolve().relative_to(root.resolve()).as_posix(),
                    item["line"], item["column"]) for item in json.loads(completed.stdout)]


def check_project(copy: Path, mode: str) -> list[Finding]:
    if mode == "project":
        return run_detlint([copy], copy)
    return [found for path in python_files(copy) for found in run_detlint([path], copy)]


def evaluation_projects(root: Path) -> list[Path]:
    """The labelled project folders of one evaluation set."""
    return [p for p in sorted(root.iterdir()) if (p / LABELS_FILE).is_file()]


def evaluate(names: list[str] | None = None, root: Path | None = None) -> dict[str, Score]:
    projects = evaluation_projects(PROJECTS if root is None else root)
    if names:
        projects = [p for p in projects if p.name in names]
    scores = {mode: Score() for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="detlint-recall-") as scratch:
        for project in projects:
            labels = load_labels(project)
            copy = copy_as_repository(project, Path(scratch))
            for mode in MODES:
                try:
                    found = check_project(copy, mode)
                except RuntimeError as error:  # a report still: name the failure, score the rest
                    scores[mode].errors.append(str(error))
                    continue
                scores[mode].extend(score(project.name, labels, found))
    return scores


def _percent(value: float | int | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def render(scores: dict[str, Score]) -> str:
    lines: list[str] = []
    for mode, result in scores.items():
        title = "whole project per run" if mode == "project" else "one file per run (pre-commit)"
        lines += [f"== {mode}: {title}", f"{'rule':<8} {'labels':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}"]
        for code, row in result.per_rule().items():
            lines.append(f"{code:<8} {row['labels']:>6} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
                         f"{_percent(row['precision']):>6} {_percent(row['recall']):>6}")
        lines.append("misses:" if result.misses else "misses: none")
        lines += [f"  {project}/{found.key()}" for project, found in result.misses]
        lines.append("false alarms:" if result.false_positives else "false alarms: none")
        lines += [f"  {project}/{found.key()}" for project, found in result.false_positives]
        lines += [f"error: {error}" for error in result.errors]
        lines.append("")
    project_only, file_only = mode_differences(scores)
    if project_only or file_only:
        lines.append("whole project and single files disagree:")
        lines += [f"  only whole project: {key}" for key in project_only]
        lines += [f"  only single files: {key}" for key in file_only]
    return "\n".join(lines)


def mode_differences(scores: dict[str, Score]) -> tuple[list[str], list[str]]:
    """Findings reported in one mode and not the other (``project/path:line:column CODE``)."""
    def reported(result: Score) -> set[str]:
        return {f"{p}/{f.key()}" for p, f in result.true_positives + result.false_positives}

    if not all(mode in scores for mode in MODES):
        return [], []
    whole, single = reported(scores["project"]), reported(scores["file"])
    return sorted(whole - single), sorted(single - whole)


def as_json(scores: dict[str, Score]) -> dict[str, object]:
    report: dict[str, object] = {
        mode: {"per_rule": result.per_rule(),
               "misses": [{"project": p, **asdict(f)} for p, f in result.misses],
               "false_alarms": [{"project": p, **asdict(f)} for p, f in result.false_positives],
               "errors": result.errors}
        for mode, result in scores.items()}
    project_only, file_only = mode_differences(scores)
    report["only_whole_project"], report["only_single_files"] = project_only, file_only
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", help="project folder names (default: all)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--set", choices=("projects", "heldout"), default="projects",
                        help="which labelled set to score (default: projects; heldout is the second set)")
    args = parser.parse_args(argv)
    scores = evaluate(args.projects or None, PROJECTS if args.set == "projects" else HELDOUT)
    print(json.dumps(as_json(scores), indent=2) if args.json else render(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
