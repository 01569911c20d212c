"""scikit-learn calls whose result depends on ``random_state``: by name (for the pre-filter) and by
call (with the arguments that make a conditional estimator random)."""

from __future__ import annotations

from detlint.analysis.facts import Call, UNKNOWN
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.knowledge.estimators import CONDITIONAL_ESTIMATORS, DATASET_GENERATOR, RANDOM_ESTIMATOR_NAMES, RandomWhen


def _literal_argument(call: Call, keyword: str) -> object:
    """The literal value of a keyword argument; None when absent; NOT_LITERAL when unknown or hidden."""
    found = call.passes(keyword)
    if found is None:
        return None
    if found is UNKNOWN:  # **kwargs may carry it
        return NOT_LITERAL
    return literal(found.value, call.facts)  # type: ignore[union-attr]


def _random_with_settings(condition: RandomWhen, call: Call) -> bool:
    """Whether the call passes the literal value that makes a conditional estimator random (with its
    type: ``probability=1`` is not the literal ``True`` the docs speak of)."""
    found = _literal_argument(call, condition.keyword)
    return any(found == value and type(found) is type(value) for value in condition.values)


def condition_keyword(name: str) -> str | None:
    """The argument a conditional estimator's randomness depends on (keyword only)."""
    condition = CONDITIONAL_ESTIMATORS.get(name)
    return condition.keyword if condition is not None else None


def is_estimator_name(name: str) -> bool:
    """Whether a call of this last name may build a scikit-learn object that takes ``random_state``."""
    return name in RANDOM_ESTIMATOR_NAMES or name in CONDITIONAL_ESTIMATORS or name.startswith("make_")


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
    if name.startswith("make_") and DATASET_GENERATOR.match(callee or ""):
        return True
    condition = CONDITIONAL_ESTIMATORS.get(name)
    return condition is not None and _random_with_settings(condition, call)
