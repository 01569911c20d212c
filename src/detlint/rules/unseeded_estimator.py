"""DET109 unseeded-estimator: scikit-learn objects whose result depends on ``random_state``, built without one."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis.calls import lacks_seed, literal_kwargs
from detlint.analysis.estimators import condition_keyword, estimator_name, is_estimator_name, is_random_estimator
from detlint.analysis.syntax import SyntaxIndex
from detlint.rule import Report, RuleContext, rule
from detlint.edits import add_keyword


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
        # A plain call of a name no import binds (a class of this file, an unknown name) is no scikit-learn call.
        if index.may_call_lacking((name,), "random_state", requires=condition_keyword(name), receiver=receiver,
                                  function=index.may_name_an_import):
            return True
    return False


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
