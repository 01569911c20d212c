"""DET101 unseeded-split: splits, shuffles and samples without their own seed."""

from __future__ import annotations

from typing import Iterator

from detlint.analysis import ml
from detlint.analysis.facts import Call
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge import data
from detlint.knowledge.splits import (
    GENERATOR_FLOWS, IMAGE_DATA_GENERATOR, KERAS_SPLITTERS, PANDAS_SAMPLE, SKLEARN_SPLITTERS, TF_DATA_LIST_FILES,
    TF_DATA_LIST_FILES_CALL, TF_DATA_ROOTS, TF_DATA_SHUFFLE, SplitApi,
)
from detlint.rule import Report, RuleContext, rule
from detlint.rules._helpers import flag, lacks_seed, literal_kwargs, seed_fix


# Pre-filter: how each classified call can look. Plain-name calls (``shuffle(x)`` is sklearn's) and
# method calls (``ds.shuffle(n)`` needs a tf.data dataset, ``df.sample()`` pandas) differ.
_LAST_DIRECTORY_SEED = max(api.seed_position or 0 for api in KERAS_SPLITTERS.values())
_FUNCTION_SEEDS: dict[str, tuple[str, int | None]] = {
    callee.rsplit(".", 1)[-1]: (api.seed, api.seed_position) for callee, api in (*SKLEARN_SPLITTERS.items(), *KERAS_SPLITTERS.items())
}
_METHOD_SEEDS: dict[str, tuple[str, int | None, tuple[str, ...]]] = {
    "shuffle": ("seed", TF_DATA_SHUFFLE.seed_position, TF_DATA_ROOTS),
    "sample": ("random_state", PANDAS_SAMPLE.seed_position, ("pandas",)),
    **{name: (api.seed, api.seed_position, TF_DATA_ROOTS) for name, api in GENERATOR_FLOWS.items()},
}


def is_split_name(name: str) -> bool:
    return name in _FUNCTION_SEEDS or name in _METHOD_SEEDS or name.endswith(data.DIRECTORY_LOADER_SUFFIX) \
        or name == "list_files"


def may_split_unseeded(index: SyntaxIndex) -> bool:
    """Whether some call here may be a split or shuffle that lacks its seed (any call form for the
    module functions, which ``import tensorflow as tf; tf.keras.utils...`` calls as methods)."""
    for name in index.names_matching(is_split_name):
        if name.endswith(data.DIRECTORY_LOADER_SUFFIX) or name in _FUNCTION_SEEDS:
            keyword, position = _FUNCTION_SEEDS.get(name, ("seed", _LAST_DIRECTORY_SEED))
            if index.may_call_lacking((name,), keyword, position, receiver=index.may_be_module):
                return True
        if name == "list_files" and index.may_call_lacking((name,), "seed", TF_DATA_LIST_FILES.seed_position,
                                                           receiver=index.may_be_module):
            return True
        if name in _METHOD_SEEDS:
            keyword, position, roots = _METHOD_SEEDS[name]
            if not index.imports.isdisjoint(roots) and index.may_call_lacking((name,), keyword, position, method=True):
                return True
    return False


def _classify(call: Call, ctx: RuleContext) -> SplitApi | None:
    callee = call.callee
    if callee is None:
        return None
    if callee in SKLEARN_SPLITTERS:
        return SKLEARN_SPLITTERS[callee]
    if callee == "keras.utils.split_dataset":
        return KERAS_SPLITTERS[callee]
    if data.DATASET_FROM_DIRECTORY.match(callee):
        return KERAS_SPLITTERS.get(callee.rsplit(".", 1)[-1])
    if callee == TF_DATA_LIST_FILES_CALL:
        return TF_DATA_LIST_FILES
    method = call.method
    receiver = call.receiver_origin
    if method == "shuffle" and ml.is_dataset(receiver):
        return TF_DATA_SHUFFLE
    if method in GENERATOR_FLOWS and receiver and IMAGE_DATA_GENERATOR.match(receiver):
        return GENERATOR_FLOWS[method]
    if method == "sample" and _is_pandas_sample(call, ctx):
        return PANDAS_SAMPLE
    return None


def _is_pandas_sample(call: Call, ctx: RuleContext) -> bool:
    receiver = call.receiver_origin
    if receiver is not None and receiver.startswith(data.PANDAS_PREFIX):
        return True
    if not ctx.facts.imports_any("pandas"):
        return False
    if call.argument("n") is None and call.argument("frac") is None:
        return False
    # Unknown receivers (parameters, values we cannot follow) count; known other types do not.
    return receiver is None or receiver.startswith(("param:", "def:"))


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
        api = _classify(call, ctx)
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
