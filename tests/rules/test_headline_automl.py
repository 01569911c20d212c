"""DET106 unseeded-automl and DET107 stale-search-resume: fix text, positional seeds, reloads,
temporary directories and **kwargs."""

from __future__ import annotations

import textwrap

from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

BOTH = {"DET106", "DET107"}


def fixed(code: str, select: set[str]) -> str:
    result = lint_snippet(code, select=select)
    text, _ = apply_edits(textwrap.dedent(code).lstrip("\n"), result.findings)
    return text


def test_det106_fix_appends_the_seed() -> None:
    code = """
        import autokeras as ak
        SEED = 3
        search = ak.TextClassifier(max_trials=5, overwrite=True)
        auto = ak.AutoModel(inputs=node, outputs=head,
                            overwrite=True)
    """
    assert fixed(code, {"DET106"}).splitlines()[2:] == [
        "search = ak.TextClassifier(max_trials=5, overwrite=True, seed=SEED)",
        "auto = ak.AutoModel(inputs=node, outputs=head,",
        "                    overwrite=True, seed=SEED)",
    ]


def test_det107_fix_adds_overwrite_or_turns_false_into_true() -> None:
    code = """
        import keras_tuner as kt
        tuner = kt.Hyperband(build, objective="val_loss", seed=1)
        resumed = kt.BayesianOptimization(build, objective="val_loss", seed=1, overwrite=False)
        resumed.search(x, y)
    """
    assert fixed(code, {"DET107"}).splitlines()[1:3] == [
        'tuner = kt.Hyperband(build, objective="val_loss", seed=1, overwrite=True)',
        'resumed = kt.BayesianOptimization(build, objective="val_loss", seed=1, overwrite=True)',
    ]


def test_both_fixes_on_a_call_without_arguments() -> None:
    code = "import autokeras as ak\nsearch = ak.ImageClassifier()\n"
    findings = lint_snippet(code, select=BOTH).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("DET106", 2, 10), ("DET107", 2, 10)]
    assert [f.fix.title for f in findings if f.fix] == ["Add `seed=42`", "Set `overwrite=True`"]
    # the two edits rewrite the same empty call: one per pass, the second after a re-lint
    first, applied = apply_edits(code, findings)
    assert applied == 1 and first.splitlines()[1] == "search = ak.ImageClassifier(seed=42)"
    second, _ = apply_edits(first, lint_snippet(first, select=BOTH).findings)
    assert second.splitlines()[1] == "search = ak.ImageClassifier(seed=42, overwrite=True)"


def test_seed_passed_by_position_to_kerastuner_tuners() -> None:
    code = """
        import keras_tuner as kt
        a = kt.RandomSearch(build, "val_loss", 10, 42, overwrite=True)
        b = kt.Hyperband(build, "val_loss", 30, 3, 1, 42, overwrite=True)
        c = kt.BayesianOptimization(build, "val_loss", 10, None, 1e-4, 2.6, 42, overwrite=True)
        d = kt.RandomSearch(build, "val_loss", 10, overwrite=True)
        e = kt.Hyperband(build, "val_loss", 30, 3, overwrite=True)
    """
    assert findings_of(code, select=BOTH) == [("DET106", 5, 5), ("DET106", 6, 5)]


def test_kwargs_hide_the_arguments_unless_the_dict_literal_lacks_them() -> None:
    code = """
        import autokeras as ak
        a = ak.ImageRegressor(**options)
        b = ak.ImageRegressor(**{"seed": 1, "overwrite": True})
        c = ak.ImageRegressor(**{"max_trials": 2})
        d = ak.ImageRegressor(seed=1, **dict(overwrite=True))
    """
    assert findings_of(code, select=BOTH) == [("DET106", 4, 5), ("DET107", 4, 5)]


def test_overwrite_computed_by_the_code_is_the_users_choice() -> None:
    code = """
        import keras_tuner as kt
        tuner = kt.RandomSearch(build, objective="loss", seed=1, overwrite=args.fresh)
        tuner.search(x, y)
    """
    assert findings_of(code, select=BOTH) == []


def test_deliberate_reload_is_judged_per_object() -> None:
    code = """
        import autokeras as ak
        old = ak.ImageClassifier(overwrite=False, project_name="v1")
        model = old.export_model()
        again = ak.ImageClassifier(overwrite=False, project_name="v1")
        again.fit(x, y)
        chained = ak.ImageClassifier(overwrite=False).fit(x, y)
    """
    assert findings_of(code, select=BOTH) == [
        ("DET106", 4, 9), ("DET107", 4, 9), ("DET106", 6, 11), ("DET107", 6, 11),
    ]


def test_fresh_temporary_directories_exempt_det107_only() -> None:
    code = """
        import tempfile
        import keras_tuner as kt
        a = kt.RandomSearch(build, objective="loss", directory=tempfile.mkdtemp())
        with tempfile.TemporaryDirectory() as folder:
            b = kt.RandomSearch(build, objective="loss", directory=folder, seed=1)

        def test_tuner(tmp_path):
            c = kt.RandomSearch(build, objective="loss", directory=tmp_path / "t", seed=1)

        d = kt.RandomSearch(build, objective="loss", directory="runs", seed=1)
    """
    assert findings_of(code, select=BOTH) == [("DET106", 3, 5), ("DET107", 10, 5)]


def test_grid_search_needs_no_seed_but_still_resumes() -> None:
    code = "import keras_tuner\ngrid = keras_tuner.GridSearch(build, objective='loss')\n"
    assert findings_of(code, select=BOTH) == [("DET107", 2, 8)]


def test_other_search_and_classifier_names_are_not_automl() -> None:
    code = """
        import re
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV
        import autokeras as ak
        found = re.search("a", "abc")
        grid = GridSearchCV(RandomForestClassifier(random_state=0), {"max_depth": [2, 4]})
        input_node = ak.ImageInput()
        head = ak.ClassificationHead()
    """
    assert findings_of(code, select=BOTH) == []
