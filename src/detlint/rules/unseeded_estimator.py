"""DET109 unseeded-estimator: scikit-learn objects whose result depends on ``random_state``, built without one.

:func:`is_random_estimator` is public: DET108 asks it whether a written ``random_state=None``
is a seed that matters.
"""

from __future__ import annotations

from typing import Iterator

from detlint.analysis.facts import UNKNOWN, Call
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.knowledge.estimators import CONDITIONAL_ESTIMATORS, DATASET_GENERATOR, RANDOM_ESTIMATOR_NAMES, RandomWhen
from detlint.rule import Report, RuleContext, rule
from detlint.rules._helpers import add_keyword, lacks_seed, literal_kwargs


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


def _condition_keyword(name: str) -> str | None:
    """The argument a conditional estimator's randomness depends on (keyword only)."""
    condition = CONDITIONAL_ESTIMATORS.get(name)
    return condition.keyword if condition is not None else None


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
        if index.may_call_lacking((name,), "random_state", requires=_condition_keyword(name), receiver=receiver):
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
    if name.startswith("make_") and DATASET_GENERATOR.match(callee or ""):
        return True
    condition = CONDITIONAL_ESTIMATORS.get(name)
    return condition is not None and _random_with_settings(condition, call)


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
