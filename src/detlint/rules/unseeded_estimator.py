"""DET109 unseeded-estimator: scikit-learn objects whose result depends on ``random_state``, built without one.

:func:`is_random_estimator` is public: DET108 asks it whether a written ``random_state=None``
is a seed that matters.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from detlint.analysis.facts import UNKNOWN, Call
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.rule import Report, RuleContext, rule
from detlint.rules._helpers import add_keyword, lacks_seed, literal_kwargs

# Estimators, transformers and functions whose result always depends on ``random_state``
# (matched on the last part of a ``sklearn.*`` qualified name).
RANDOM_ESTIMATOR_NAMES: frozenset[str] = frozenset({
    "RandomForestClassifier", "RandomForestRegressor",
    "ExtraTreesClassifier", "ExtraTreesRegressor",
    "GradientBoostingClassifier", "GradientBoostingRegressor",
    "HistGradientBoostingClassifier", "HistGradientBoostingRegressor",
    "BaggingClassifier", "BaggingRegressor",
    "AdaBoostClassifier", "AdaBoostRegressor",
    "IsolationForest",
    "DecisionTreeClassifier", "DecisionTreeRegressor",
    "ExtraTreeClassifier", "ExtraTreeRegressor",
    "MLPClassifier", "MLPRegressor",
    "SGDClassifier", "SGDRegressor", "SGDOneClassSVM",
    "Perceptron",
    "PassiveAggressiveClassifier", "PassiveAggressiveRegressor",
    "KMeans", "MiniBatchKMeans", "BisectingKMeans", "SpectralClustering",
    "GaussianMixture", "BayesianGaussianMixture",
    "TSNE", "MDS", "SpectralEmbedding",
    "NMF", "MiniBatchNMF", "LatentDirichletAllocation", "FastICA", "TruncatedSVD",
    "RandomTreesEmbedding", "RBFSampler", "Nystroem",
    "SparseRandomProjection", "GaussianRandomProjection",
    "RandomizedSearchCV", "HalvingRandomSearchCV",
    "permutation_importance",
})
# ``sklearn.datasets.make_*``: every sample generator draws from ``random_state``.
_DATASET_GENERATOR = re.compile(r"^sklearn\.datasets(\.[\w.]+)?\.make_\w+$")


def _literal_argument(call: Call, keyword: str) -> object:
    """The literal value of a keyword argument; None when absent; NOT_LITERAL when unknown or hidden."""
    found = call.passes(keyword)
    if found is None:
        return None
    if found is UNKNOWN:  # **kwargs may carry it
        return NOT_LITERAL
    return literal(found.value, call.facts)  # type: ignore[union-attr]


def _solver_in(*solvers: str) -> Callable[[Call], bool]:
    return lambda call: _literal_argument(call, "solver") in solvers


def _is_literal(keyword: str, *values: object) -> Callable[[Call], bool]:
    def check(call: Call) -> bool:
        found = _literal_argument(call, keyword)
        # type() too: ``probability=1`` is not the literal ``True`` the docs speak of
        return any(found == value and type(found) is type(value) for value in values)

    return check


# Estimators whose ``random_state`` only matters with some settings (scikit-learn's docs): they are
# random only when the predicate holds for the call. An argument we cannot read counts as "not random".
CONDITIONAL_ESTIMATORS: dict[str, Callable[[Call], bool]] = {
    "LogisticRegression": _solver_in("sag", "saga", "liblinear"),
    "Ridge": _solver_in("sag", "saga"),
    "RidgeClassifier": _solver_in("sag", "saga"),
    "SVC": _is_literal("probability", True),
    "NuSVC": _is_literal("probability", True),
    "LinearSVC": _is_literal("dual", True),
    "Lasso": _is_literal("selection", "random"),
    "ElasticNet": _is_literal("selection", "random"),
    "PCA": _is_literal("svd_solver", "randomized", "arpack"),
}
# The argument each condition reads (keyword only): without it the estimator is not random.
_CONDITION_KEYWORDS = {
    "LogisticRegression": "solver", "Ridge": "solver", "RidgeClassifier": "solver", "SVC": "probability",
    "NuSVC": "probability", "LinearSVC": "dual", "Lasso": "selection", "ElasticNet": "selection", "PCA": "svd_solver",
}


def is_estimator_name(name: str) -> bool:
    """Whether a call of this last name may build a scikit-learn object that takes ``random_state``."""
    return name in RANDOM_ESTIMATOR_NAMES or name in CONDITIONAL_ESTIMATORS or name.startswith("make_")


def _may_lack_random_state(index: SyntaxIndex) -> bool:
    """Pre-filter: a random estimator built without ``random_state`` (a conditional one only with the
    argument that makes it random; ``make_*`` only from ``sklearn.datasets``), called by its name or
    on a module (``ensemble.RandomForestClassifier()``), not as a method of an object."""

    def from_datasets(receiver: str | None) -> bool:
        if not index.may_be_module(receiver):
            return False
        root = (receiver or "").split(".", 1)[0]
        return "datasets" in (receiver or "").split(".") or index.import_aliases.get(root) == "datasets" \
            or root in index.assigned

    for name in index.names_matching(is_estimator_name):
        receiver = index.may_be_module
        if name.startswith("make_"):
            sources = index.imported_from.get(name)
            if sources is not None and not any("datasets" in source for source in sources):
                continue  # `from sklearn.pipeline import make_pipeline`
            if sources is None and name in index.defined:
                continue  # a helper of this module
            receiver = from_datasets
        if index.may_call_lacking((name,), "random_state", requires=_CONDITION_KEYWORDS.get(name), receiver=receiver):
            return True
    return False


def estimator_name(callee: str | None) -> str | None:
    """The class or function name of a scikit-learn construction call (``sklearn.cluster.KMeans`` → ``KMeans``)."""
    if not callee or not callee.startswith("sklearn.") or "(" in callee:
        return None
    return callee.rsplit(".", 1)[-1]


def is_random_estimator(callee: str | None, call: Call) -> bool:
    """Whether this call builds a scikit-learn object (or runs a function) whose result depends on its
    ``random_state``, given the call's other arguments: ``RandomForestClassifier(...)``,
    ``make_classification(...)``, ``LogisticRegression(solver="saga")``; not ``LogisticRegression()``."""
    name = estimator_name(callee)
    if name is None:
        return False
    if name in RANDOM_ESTIMATOR_NAMES:
        return True
    if name.startswith("make_") and _DATASET_GENERATOR.match(callee or ""):
        return True
    condition = CONDITIONAL_ESTIMATORS.get(name)
    return condition is not None and condition(call)


@rule(
    "DET109",
    "unseeded-estimator",
    summary="scikit-learn estimator or generator whose result depends on random_state, created without one",
    severity="warning",
    fix="always",
    imports=("sklearn",),
    words=("sklearn",),
    needs=_may_lack_random_state,
)
def unseeded_estimator(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    for call in facts.calls:
        callee = call.callee
        if not is_random_estimator(callee, call) or not lacks_seed(call, "random_state"):
            continue
        name = estimator_name(callee)
        seed = ctx.seed_text()
        yield Report(
            call.node,
            f"`{name}` without `random_state` draws different random numbers on every run, so its "
            f"results change from run to run; pass `random_state={seed}`",
            fix_title=f"Add `random_state={seed}`",
            edits=add_keyword(call, "random_state", seed),
            data={"callee": callee, "kwargs": literal_kwargs(call)},
        )
