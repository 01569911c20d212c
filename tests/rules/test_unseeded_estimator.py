"""DET109 unseeded-estimator: the fix text, **kwargs, exemptions and the public estimator predicate."""

from __future__ import annotations

import textwrap

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.fixes import apply_edits
from detlint.analysis.estimators import is_random_estimator
from lintutil import findings_of, lint_snippet

ONLY = {"DET109"}


def fixed(code: str) -> str:
    result = lint_snippet(code, select=ONLY)
    text, _ = apply_edits(textwrap.dedent(code).lstrip("\n"), result.findings)
    return text


def test_fix_appends_the_seed_constant() -> None:
    code = """
        from sklearn.ensemble import RandomForestClassifier
        SEED = 3
        model = RandomForestClassifier(n_estimators=10)
    """
    assert fixed(code).splitlines()[-1] == "model = RandomForestClassifier(n_estimators=10, random_state=SEED)"


def test_fix_without_arguments_uses_42() -> None:
    code = """
        from sklearn.cluster import KMeans
        groups = KMeans()
    """
    assert fixed(code).splitlines()[-1] == "groups = KMeans(random_state=42)"


def test_fix_keeps_a_trailing_comma_and_layout() -> None:
    code = """
        from sklearn.neural_network import MLPClassifier
        net = MLPClassifier(
            hidden_layer_sizes=(8,),
        )
    """
    assert fixed(code).splitlines()[2] == "    hidden_layer_sizes=(8,), random_state=42,"


def test_fix_inside_parentheses() -> None:
    code = """
        from sklearn.cluster import KMeans
        groups = (KMeans())
        more = [KMeans(n_init=(3))]
    """
    assert fixed(code).splitlines()[1:] == ["groups = (KMeans(random_state=42))",
                                            "more = [KMeans(n_init=(3), random_state=42)]"]


def test_fix_is_safe_and_titled() -> None:
    result = lint_snippet("from sklearn.manifold import TSNE\nTSNE()\n", select=ONLY)
    [finding] = result.findings
    assert finding.fix is not None and finding.fix.safe and "random_state=42" in finding.fix.title
    assert finding.severity == "warning"


def test_written_none_is_left_to_det108() -> None:
    assert findings_of("from sklearn.cluster import KMeans\nKMeans(random_state=None)\n", select=ONLY) == []


def test_double_star_kwargs_may_carry_the_seed() -> None:
    code = """
        from sklearn.ensemble import ExtraTreesRegressor
        def build(**options):
            return ExtraTreesRegressor(n_estimators=5, **options)
        ExtraTreesRegressor(**{"random_state": 1})
        ExtraTreesRegressor(**{"n_jobs": 2})
    """
    assert findings_of(code, select=ONLY) == [("DET109", 5, 1)]


def test_conditional_argument_that_is_not_a_literal_is_not_reported() -> None:
    code = """
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import SVC
        def build(solver, probability):
            return LogisticRegression(solver=solver), SVC(probability=probability)
        LogisticRegression(**{"solver": "saga"}, random_state=0)
        SVC(probability=1)
    """
    assert findings_of(code, select=ONLY) == []


def test_conditional_argument_through_a_module_constant() -> None:
    code = """
        from sklearn.linear_model import Ridge
        SOLVER = "saga"
        Ridge(solver=SOLVER)
    """
    assert findings_of(code, select=ONLY) == [("DET109", 3, 1)]


def test_dataset_generators_and_other_make_functions() -> None:
    code = """
        from sklearn import datasets
        from sklearn.datasets import make_blobs, make_swiss_roll
        from sklearn.metrics import make_scorer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        make_blobs(n_samples=10)
        make_swiss_roll(10)
        datasets.make_moons(noise=0.1, random_state=0)
        make_pipeline(StandardScaler())
        make_scorer(len)
    """
    assert findings_of(code, select=ONLY) == [("DET109", 6, 1), ("DET109", 7, 1)]


def test_chained_call_is_reported_at_the_construction() -> None:
    code = """
        import sklearn.ensemble
        score = sklearn.ensemble.IsolationForest(n_estimators=5).fit([[0.0]]).score_samples([[0.0]])
    """
    assert findings_of(code, select=ONLY) == [("DET109", 2, 9)]


def test_only_in_modules_that_use_sklearn() -> None:
    code = """
        from lightgbm import LGBMClassifier
        from mylib import RandomForestClassifier
        RandomForestClassifier()
        LGBMClassifier()
    """
    assert findings_of(code, select=ONLY) == []


def _call(code: str) -> tuple[str | None, object]:
    facts = FileFacts(cst.parse_module(code), "x.py")
    call = facts.calls[-1]
    return call.callee, call


def test_is_random_estimator_public_predicate() -> None:
    assert is_random_estimator(*_call("from sklearn.ensemble import BaggingClassifier\nBaggingClassifier()\n"))
    assert is_random_estimator(*_call("import sklearn.datasets as d\nd.make_regression()\n"))
    assert is_random_estimator(*_call("from sklearn.decomposition import PCA\nPCA(svd_solver='arpack')\n"))
    assert not is_random_estimator(*_call("from sklearn.decomposition import PCA\nPCA()\n"))
    assert not is_random_estimator(*_call("from sklearn.svm import LinearSVC\nLinearSVC(dual='auto')\n"))
    assert not is_random_estimator(*_call("from sklearn.preprocessing import StandardScaler\nStandardScaler()\n"))
    assert not is_random_estimator(*_call("class KMeans: pass\nKMeans()\n"))
    assert not is_random_estimator(None, _call("f()\n")[1])  # type: ignore[arg-type]
