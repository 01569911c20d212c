"""Split, shuffle and sample calls: which API a call is, where its seed goes, whether it shuffles.

Shared by the rules on unseeded splits (DET101), seeds set after use (DET104) and seed values (DET108).
"""

from __future__ import annotations

from detlint.analysis import chains, ml
from detlint.analysis.calls import flag, lacks_seed, passed_none
from detlint.analysis.facts import Call, FileFacts
from detlint.knowledge import data
from detlint.knowledge.splits import (
    GENERATOR_FLOWS, IMAGE_DATA_GENERATOR, KERAS_SPLITTERS, PANDAS_SAMPLE, SKLEARN_SPLITTERS, SplitApi,
    TF_DATA_LIST_FILES, TF_DATA_LIST_FILES_CALL, TF_DATA_ROOTS, TF_DATA_SHUFFLE,
)

# Pre-filter: how each classified call can look. Plain-name calls (``shuffle(x)`` is sklearn's) and
# method calls (``ds.shuffle(n)`` needs a tf.data dataset, ``df.sample()`` pandas) differ.
LAST_DIRECTORY_SEED = max(api.seed_position or 0 for api in KERAS_SPLITTERS.values())
FUNCTION_SEEDS: dict[str, tuple[str, int | None]] = {
    callee.rsplit(".", 1)[-1]: (api.seed, api.seed_position)
    for callee, api in (*SKLEARN_SPLITTERS.items(), *KERAS_SPLITTERS.items())
}
METHOD_SEEDS: dict[str, tuple[str, int | None, tuple[str, ...]]] = {
    "shuffle": ("seed", TF_DATA_SHUFFLE.seed_position, TF_DATA_ROOTS),
    "sample": ("random_state", PANDAS_SAMPLE.seed_position, ("pandas",)),
    **{name: (api.seed, api.seed_position, TF_DATA_ROOTS) for name, api in GENERATOR_FLOWS.items()},
}


def is_split_name(name: str) -> bool:
    return name in FUNCTION_SEEDS or name in METHOD_SEEDS or name.endswith(data.DIRECTORY_LOADER_SUFFIX) \
        or name == "list_files"


def classify_split(call: Call, facts: FileFacts) -> SplitApi | None:
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
    if method == "shuffle" and (ml.is_dataset(receiver) or chains.is_dataset_chain(facts, call.receiver)):
        return TF_DATA_SHUFFLE
    if method in GENERATOR_FLOWS and receiver and IMAGE_DATA_GENERATOR.match(receiver):
        return GENERATOR_FLOWS[method]
    if method == "sample" and _is_pandas_sample(call, facts):
        return PANDAS_SAMPLE
    return None


def _is_pandas_sample(call: Call, facts: FileFacts) -> bool:
    receiver = call.receiver_origin
    if receiver is not None and receiver.startswith(data.PANDAS_PREFIX):
        return True
    if not facts.imports_any("pandas"):
        return False
    if call.argument("n") is None and call.argument("frac") is None:
        return False
    # Unknown receivers (parameters, values we cannot follow, a split's output) count; known other types do not.
    return chains.may_be_frame(facts, call.receiver)


def seed_matters(call: Call, api: SplitApi) -> bool:
    """Whether a DET101 split actually shuffles (its seed then decides the result)."""
    if api.shuffle is None:
        return True
    keyword, position, default = api.shuffle
    return flag(call, keyword, position, default) is True


def unseeded_split_api(call: Call, facts: FileFacts) -> SplitApi | None:
    """A DET101 split that shuffles with no seed of its own (absent or ``None``)."""
    api = classify_split(call, facts)
    if api is None or not seed_matters(call, api):
        return None
    if lacks_seed(call, api.seed, api.seed_position) or passed_none(call, api.seed, api.seed_position):
        return api
    return None
