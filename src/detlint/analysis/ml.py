"""What the analysis knows about ML APIs: seeding calls, Keras models, datasets, scikit-learn objects.

Shared by the rules so that each rule stays a few lines of policy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis.facts import Call, ClassInfo, FileFacts

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

# Seeding calls and what each one seeds: "tf", "numpy", "python".
SEED_CALLS: dict[str, frozenset[str]] = {
    "tensorflow.random.set_seed": frozenset({"tf"}),
    "tensorflow.set_random_seed": frozenset({"tf"}),
    "tensorflow.compat.v1.set_random_seed": frozenset({"tf"}),
    "tensorflow.compat.v1.random.set_random_seed": frozenset({"tf"}),
    "keras.utils.set_random_seed": frozenset({"tf", "numpy", "python"}),
    "numpy.random.seed": frozenset({"numpy"}),
    "random.seed": frozenset({"python"}),
}

TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})
TRAINING_CALL_NAMES = TRAINING_METHODS | {"search"}  # what is_training_call can accept
KERAS_MODEL_CONSTRUCTORS = frozenset({
    "keras.Sequential", "keras.Model", "keras.models.Sequential", "keras.models.Model",
    "keras.models.load_model", "keras.saving.load_model", "keras.models.clone_model",
})
AUTOKERAS_TASK = re.compile(r"^autokeras\.(\w+(Classifier|Regressor|Forecaster)|AutoModel)$")
KERAS_TUNERS = frozenset({
    "keras_tuner.RandomSearch", "keras_tuner.BayesianOptimization", "keras_tuner.Hyperband",
    "keras_tuner.Tuner", "keras_tuner.GridSearch", "keras_tuner.SklearnTuner",
})
KERAS_LAYER_BASES = frozenset({"keras.layers.Layer", "keras.Layer", "keras.engine.base_layer.Layer"})
KERAS_MODEL_BASES = frozenset({"keras.Model", "keras.models.Model", "keras.engine.training.Model", "keras.Sequential"})
REGISTER_DECORATORS = frozenset({
    "keras.saving.register_keras_serializable", "keras.utils.register_keras_serializable",
})
DATASET_FROM_DIRECTORY = re.compile(r"^keras\.(utils|preprocessing|preprocessing\.image|preprocessing\.text)\.\w+_dataset_from_directory$")


def strip_call(origin: str | None) -> str | None:
    """``keras.Sequential()`` → ``keras.Sequential`` (only a trailing call)."""
    if origin and origin.endswith("()"):
        return origin[:-2]
    return None


def constructor(origin: str | None) -> str | None:
    """The first call in an origin chain: ``pandas.read_csv().dropna()`` → ``pandas.read_csv``."""
    if not origin or "()" not in origin:
        return None
    return origin.split("()", 1)[0]


def is_automl_object(origin: str | None) -> bool:
    ctor = strip_call(origin)
    return ctor is not None and (bool(AUTOKERAS_TASK.match(ctor)) or ctor in KERAS_TUNERS)


def local_class(facts: FileFacts, origin: str | None) -> ClassInfo | None:
    """The class of this file an origin like ``class:Net()`` instantiates."""
    if not origin or not origin.startswith("class:"):
        return None
    name = origin[6:].split("(", 1)[0]
    return next((c for c in facts.classes if c.name == name), None)


def class_bases(facts: FileFacts, info: ClassInfo, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Canonical base names of a class, following local base classes."""
    found: set[str] = set()
    for base in info.bases:
        origin = facts.origin(base)
        if origin is None:
            continue
        if origin.startswith("class:") and origin[6:] not in _seen:
            parent = next((c for c in facts.classes if c.name == origin[6:]), None)
            if parent is not None:
                found |= class_bases(facts, parent, _seen | {info.name})
        found.add(origin)
    return found


def is_keras_layer_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & (KERAS_LAYER_BASES | KERAS_MODEL_BASES))


def is_keras_model_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & KERAS_MODEL_BASES)


def is_registered_class(facts: FileFacts, info: ClassInfo) -> bool:
    for decorator in info.decorators:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        if facts.origin(target) in REGISTER_DECORATORS:
            return True
    return info.name in registered_names(facts)


def registered_names(facts: FileFacts) -> set[str]:
    """Names registered through ``get_custom_objects().update({...})`` or ``get_custom_objects()[k] = v``."""
    names: set[str] = set()
    for call in facts.calls:
        if call.method == "update" and (call.receiver_origin or "").endswith("get_custom_objects()"):
            for node in _names_in(call.node.args):
                names.add(node.value)
    for assign in facts.nodes(cst.Assign):
        for target in assign.targets:
            t = target.target
            if isinstance(t, cst.Subscript) and (facts.origin(t.value) or "").endswith("get_custom_objects()"):
                if isinstance(assign.value, cst.Name):
                    names.add(assign.value.value)
    return names


def _names_in(nodes: object) -> Iterator[cst.Name]:
    stack = list(nodes) if isinstance(nodes, (list, tuple)) else [nodes]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
        elif isinstance(node, cst.CSTNode):
            stack.extend(node.children)


def names_in(node: cst.CSTNode | tuple | list) -> Iterator[cst.Name]:
    """Every Name node inside a node (or a sequence of nodes)."""
    return _names_in(node)


def is_keras_model(facts: FileFacts, origin: str | None) -> bool:
    """Whether a value is known to be a Keras model."""
    if not origin:
        return False
    ctor = constructor(origin)
    if ctor in KERAS_MODEL_CONSTRUCTORS:
        return True
    if origin.endswith(".export_model()"):
        return True
    info = local_class(facts, origin)
    return info is not None and is_keras_model_class(facts, info)


def is_sklearn(origin: str | None) -> bool:
    return bool(origin) and origin.startswith("sklearn.")  # type: ignore[union-attr]


def is_dataset(origin: str | None) -> bool:
    """A ``tf.data`` dataset (built from ``tf.data.*`` or ``*_dataset_from_directory`` and chained methods)."""
    if not origin:
        return False
    if origin.startswith(("tensorflow.data.", "tensorflow_datasets.load(")):
        return True
    ctor = constructor(origin)
    return ctor is not None and bool(DATASET_FROM_DIRECTORY.match(ctor))


def imports_keras_family(facts: FileFacts) -> bool:
    return facts.imports_any("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner")


def is_training_call(facts: FileFacts, call: Call) -> bool:
    """``.fit(``/``.fit_generator(``/``.train_on_batch(``/``.search(`` of a Keras model, AutoKeras or KerasTuner object."""
    method = call.method
    if method not in TRAINING_METHODS and method != "search":
        return False
    origin = call.receiver_origin
    if method == "search":
        return is_automl_object(origin)
    if is_keras_model(facts, origin) or is_automl_object(origin):
        return True
    if not imports_keras_family(facts):
        return False
    # Approximate typing: any .fit( whose receiver is not known to be something else.
    return origin is None or origin.startswith(("param:", "def:")) or (
        origin.startswith(("keras.", "tensorflow.")) and not is_dataset(origin)
    )


def seed_kinds(call: Call, facts: FileFacts, project: "ProjectIndex") -> frozenset[str]:
    """What a call seeds, directly or through a helper function of the project."""
    callee = call.callee
    if callee is None:
        return frozenset()
    direct = SEED_CALLS.get(callee)
    if direct is not None:
        return direct
    return project.seed_kinds_of(facts, callee)


def seeding_calls(facts: FileFacts, project: "ProjectIndex") -> Iterator[tuple[Call, frozenset[str]]]:
    for call in facts.calls:
        kinds = seed_kinds(call, facts, project)
        if kinds:
            yield call, kinds


def module_seed_kinds(facts: FileFacts, project: "ProjectIndex") -> frozenset[str]:
    kinds: set[str] = set()
    for _, found in seeding_calls(facts, project):
        kinds |= found
    return frozenset(kinds)


def enables_op_determinism(facts: FileFacts) -> bool:
    if any(c.callee == "tensorflow.config.experimental.enable_op_determinism" for c in facts.calls):
        return True
    return any(
        isinstance(s, cst.SimpleString) and s.value.strip("'\"") == "TF_DETERMINISTIC_OPS"
        for s in facts.nodes(cst.SimpleString)
    )
