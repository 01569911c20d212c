"""DET101 unseeded-split: splits, shuffles and samples without their own seed."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis import ml
from detlint.analysis.calls import flag, lacks_seed, literal_kwargs
from detlint.analysis.splits import FUNCTION_SEEDS, LAST_DIRECTORY_SEED, METHOD_SEEDS, classify_split, is_split_name
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge import data
from detlint.knowledge.splits import TF_DATA_LIST_FILES
from detlint.rule import Report, RuleContext, rule
from detlint.edits import seed_fix


def may_split_unseeded(index: SyntaxIndex) -> bool:
    """Whether some call here may be a split or shuffle that lacks its seed (any call form for the
    module functions, which ``import tensorflow as tf; tf.keras.utils...`` calls as methods)."""
    for name in index.names_matching(is_split_name):
        if name.endswith(data.DIRECTORY_LOADER_SUFFIX) or name in FUNCTION_SEEDS:
            keyword, position = FUNCTION_SEEDS.get(name, ("seed", LAST_DIRECTORY_SEED))
            if index.may_call_lacking((name,), keyword, position, receiver=index.may_be_module):
                return True
        if name == "list_files" and index.may_call_lacking((name,), "seed", TF_DATA_LIST_FILES.seed_position,
                                                           receiver=index.may_be_module):
            return True
        if name in METHOD_SEEDS:
            keyword, position, roots = METHOD_SEEDS[name]
            if not index.imports.isdisjoint(roots) and index.may_call_lacking((name,), keyword, position, method=True):
                return True
    return False


@rule(
    "DET101",
    "unseeded-split",
    summary="Split, shuffle or sample without its own seed",
    severity="error",
    fix="always",
    imports=("sklearn", "pandas", "tensorflow", "keras", "tf_keras"),
    words=("split", "Split", "Fold", "shuffle", "resample", "sample", "_from_directory", "list_files", "flow"),
    needs=may_split_unseeded,
)
def unseeded_split(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    tf_seeded: bool | None = None
    numpy_seeded: bool | None = None
    for call in facts.calls:
        api = classify_split(call, ctx.facts)
        if api is None or not lacks_seed(call, api.seed, api.seed_position):
            continue
        if api.shuffle is not None:
            keyword, position, default = api.shuffle
            if flag(call, keyword, position, default) is not True:
                continue
        kinds = None
        if api.needs_no_tf_seed:
            if tf_seeded is None:
                kinds = ml.module_seed_kinds(facts, ctx.project)
                tf_seeded = "tf" in kinds
            if tf_seeded:
                continue
        if numpy_seeded is None:
            kinds = kinds if kinds is not None else ml.module_seed_kinds(facts, ctx.project)
            numpy_seeded = "numpy" in kinds
        name = (call.callee or "").rsplit(".", 1)[-1]
        yield Report(
            call.node,
            f"`{name}` without `{api.seed}` draws a different split or order on every run; "
            f"pass `{api.seed}={ctx.seed_text()}` so training and evaluation data are reproducible",
            fix_title=f"Add `{api.seed}={ctx.seed_text()}`",
            edits=seed_fix(ctx, call, api.seed),
            data={"callee": call.callee, "kwargs": literal_kwargs(call), "numpy_global_seed": numpy_seeded},
        )
