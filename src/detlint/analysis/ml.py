"""What the analysis knows about ML APIs: seeding calls, Keras models, datasets, scikit-learn objects.

Shared by the rules so that each rule stays a few lines of policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis.facts import Call, ClassInfo, FileFacts
from detlint.analysis.origins import Local, is_local, parse_local
from detlint.knowledge import data, determinism, keras, producers, seeds

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

# Last names of the calls is_training_call can accept (also the pre-filter's words for training).
TRAINING_CALL_NAMES = keras.TRAINING_METHODS | {keras.AUTOML_SEARCH_METHOD}
# Calls whose result is a Keras model: built or loaded.
_MODEL_CONSTRUCTORS = keras.KERAS_MODEL_BUILDERS | keras.LOAD_MODEL_FUNCTIONS

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
    return ctor is not None and (bool(keras.AUTOKERAS_TASK.match(ctor)) or ctor in keras.KERAS_TUNERS)


def local_class(facts: FileFacts, origin: str | None) -> ClassInfo | None:
    """The class of this file an origin like ``class:Net()`` instantiates."""
    local = parse_local(origin)
    if local is None or local.kind is not Local.CLASS:
        return None
    name = local.text.split("(", 1)[0]
    return next((c for c in facts.classes if c.name == name), None)


def class_bases(facts: FileFacts, info: ClassInfo, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Canonical base names of a class, following local base classes."""
    found: set[str] = set()
    for base in info.bases:
        origin = facts.origin(base)
        if origin is None:
            continue
        local = parse_local(origin)
        if local is not None and local.kind is Local.CLASS and local.text not in _seen:
            parent = next((c for c in facts.classes if c.name == local.text), None)
            if parent is not None:
                found |= class_bases(facts, parent, _seen | {info.name})
        found.add(origin)
    return found


def is_keras_layer_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & (keras.KERAS_LAYER_BASES | keras.KERAS_MODEL_BASES))


def is_keras_model_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & keras.KERAS_MODEL_BASES)


def is_registered_class(facts: FileFacts, info: ClassInfo) -> bool:
    for decorator in info.decorators:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        if facts.origin(target) in keras.REGISTER_DECORATORS:
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


def comprehension_iterable(facts: FileFacts, name: cst.Name) -> cst.BaseExpression | None:
    """The iterable a comprehension variable comes from, for a name in the comprehension's element
    (``facts.binding_of`` does not see these: the element is visited before the ``for``)."""
    for ancestor in facts.ancestors(name):
        if isinstance(ancestor, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return None
        if isinstance(ancestor, (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
            comp_for: cst.CompFor | None = ancestor.for_in
            while comp_for is not None:
                if any(n.value == name.value for n in names_in(comp_for.target)):
                    return comp_for.iter
                comp_for = comp_for.inner_for_in
    return None


def is_keras_model(facts: FileFacts, origin: str | None) -> bool:
    """Whether a value is known to be a Keras model."""
    if not origin:
        return False
    ctor = constructor(origin)
    if ctor in _MODEL_CONSTRUCTORS or is_model_producer(ctor):
        return True
    if origin.endswith(".export_model()"):
        return True
    for suffix in producers.BEST_MODEL_SUFFIXES:
        if origin.endswith(suffix) and is_automl_object(origin[: -len(suffix)]):
            return True
    info = local_class(facts, origin)
    return info is not None and is_keras_model_class(facts, info)


def is_model_producer(name: str | None) -> bool:
    """A third-party call returning a Keras model (``segmentation_models.Unet``, ``TFBertModel.from_pretrained``)."""
    return bool(name) and (name in producers.MODEL_PRODUCERS or bool(producers.MODEL_PRODUCER_PATTERN.match(name)))


def is_model_instance(facts: FileFacts, origin: str | None) -> bool:
    """``keras.Sequential()``, ``keras.models.load_model()``, ``class:Net()`` for a Keras subclass:
    the model object, not ``keras.Sequential().evaluate`` (``is_keras_model`` accepts any chain)."""
    if not origin or not origin.endswith("()") or origin.count("()") != 1:
        return False
    if is_keras_model(facts, origin):
        return True
    info = local_class(facts, origin)
    return info is not None and is_keras_layer_class(facts, info)


def is_sklearn(origin: str | None) -> bool:
    return bool(origin) and origin.startswith("sklearn.")  # type: ignore[union-attr]


def is_dataset(origin: str | None) -> bool:
    """A ``tf.data`` dataset (built from ``tf.data.*`` or ``*_dataset_from_directory`` and chained methods)."""
    if not origin:
        return False
    if origin.startswith(data.DATASET_PREFIXES):
        return True
    ctor = constructor(origin)
    return ctor is not None and bool(data.DATASET_FROM_DIRECTORY.match(ctor))


def imports_keras_family(facts: FileFacts) -> bool:
    return facts.imports_any(*sorted(keras.KERAS_FAMILY_ROOTS))


def is_training_call(facts: FileFacts, call: Call) -> bool:
    """``.fit(``/``.fit_generator(``/``.train_on_batch(``/``.search(`` of a Keras model, AutoKeras or KerasTuner object."""
    method = call.method
    if method not in TRAINING_CALL_NAMES:
        return False
    origin = call.receiver_origin
    if method == keras.AUTOML_SEARCH_METHOD:
        return is_automl_object(origin)
    if is_keras_model(facts, origin) or is_automl_object(origin):
        return True
    if not imports_keras_family(facts):
        return False
    # Approximate typing: any .fit( whose receiver is not known to be something else.
    return origin is None or is_local(origin, Local.PARAMETER, Local.FUNCTION) or (
        origin.startswith(("keras.", "tensorflow.")) and not is_dataset(origin)
    )


def seed_kinds(call: Call, facts: FileFacts, project: "ProjectIndex") -> frozenset[str]:
    """What a call seeds, directly or through a helper function of the project."""
    callee = call.callee
    if callee is None:
        return frozenset()
    direct = seeds.GLOBAL_SEEDS.get(callee)
    if direct is not None:
        return direct.seeds
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
    if any(c.callee == determinism.ENABLE_OP_DETERMINISM for c in facts.calls):
        return True
    return any(
        isinstance(s, cst.SimpleString) and s.value.strip("'\"") == determinism.DETERMINISTIC_OPS_VARIABLE
        for s in facts.nodes(cst.SimpleString)
    )
