"""The bundled examples: every bad script shows headline pitfalls and gets exactly these findings
(default rules, linted together as one project, as `detlint check examples/` does); its fixed
counterpart in examples/good/ gets none."""

from __future__ import annotations

from pathlib import Path

from detlint.api import run
from detlint.config import Options

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HEADLINE = {"DET101", "DET103", "DET106", "DET107", "DET301", "DET302", "DET304"}

# (path relative to examples/, code, line, column), in the order detlint sorts findings.
EXPECTED_BAD = [
    ("bad/automl_search.py", "DET106", 21, 10),
    ("bad/automl_search.py", "DET107", 21, 10),
    ("bad/image_pipeline.py", "DET101", 15, 16),
    ("bad/image_pipeline.py", "DET101", 21, 12),
    ("bad/image_pipeline.py", "DET103", 37, 1),
    # multi-module project: train.py is seeded through utils.seed_everything() (no DET103); serve.py
    # loads what train.py saved, whose custom layer lives in layers.py
    ("bad/project/serve.py", "DET302", 6, 9),
    # the load is judged by what train_hub_classifier.py built and saved to the same path
    ("bad/serve_hub_model.py", "DET302", 13, 9),
    ("bad/train_hub_classifier.py", "DET304", 27, 1),
    ("bad/train_tabular.py", "DET101", 21, 36),
    ("bad/train_tabular.py", "DET301", 24, 11),
    ("bad/train_tabular.py", "DET103", 35, 1),
    ("bad/train_tabular.py", "DET304", 39, 1),
    ("bad/tune_hyperparameters.py", "DET106", 32, 9),
    ("bad/tune_hyperparameters.py", "DET107", 32, 9),
]


def _example_files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.py"))


def _lint_examples() -> list[tuple[str, str, int, int]]:
    # Every file passed by name: linted even if a configuration excludes the folder. No cache: the
    # test must not write into the checkout.
    findings = run([str(path) for path in _example_files()], Options(), use_cache=False).findings
    return [
        (Path(f.path).resolve().relative_to(EXAMPLES).as_posix(), f.code, f.line, f.column)
        for f in findings
    ]


def test_bad_examples_report_exactly_their_pitfalls() -> None:
    found = _lint_examples()
    assert [f for f in found if f[0].startswith("bad/")] == EXPECTED_BAD


def test_good_examples_report_nothing() -> None:
    found = _lint_examples()
    assert [f for f in found if not f[0].startswith("bad/")] == []


def test_every_bad_example_has_a_good_counterpart_and_a_finding() -> None:
    bad = {p.relative_to(EXAMPLES / "bad").as_posix() for p in (EXAMPLES / "bad").rglob("*.py")}
    good = {p.relative_to(EXAMPLES / "good").as_posix() for p in (EXAMPLES / "good").rglob("*.py")}
    assert bad == good
    # every bad top-level script has a finding; the project's findings are in serve.py
    assert {path.split("/", 1)[1] for path, *_ in EXPECTED_BAD} == {
        name for name in bad if "/" not in name} | {"project/serve.py"}


def test_bad_examples_show_only_headline_rules() -> None:
    assert {code for _, code, _, _ in EXPECTED_BAD} == HEADLINE
