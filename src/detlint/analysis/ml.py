"""What the analysis knows about ML APIs: seeding calls, Keras models, datasets, scikit-learn objects.

Shared by the rules so that each rule stays a few lines of policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis.facts import Call, ClassInfo, FileFacts, child_nodes
from detlint.analysis.kinds import (  # noqa: F401 - the kind predicates, re-exported for the rules
    Kind, class_bases, constructor, is_automl_object, is_dataset, is_keras_layer_class, is_keras_model,
    is_keras_model_class, is_model_producer, is_sklearn, kind_of, local_class, may_be_project_origin, receiver_kind,
    star_origin,
    strip_call,
)
from detlint.analysis.origins import Local, is_local
from detlint.knowledge import determinism, keras, seeds

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

# Last names of the calls is_training_call can accept (also the pre-filter's words for training).
TRAINING_CALL_NAMES = keras.TRAINING_METHODS | {keras.AUTOML_SEARCH_METHOD}

def is_registered_class(facts: FileFacts, info: ClassInfo) -> bool:
    for decorator in info.decorators:
        target = decorator.func if isinstance(decorator, cst.Call) else decorator
        if facts.origin(target) in keras.REGISTER_DECORATORS:
            return True
    return info.name in registered_names(facts)


def registered_names(facts: FileFacts) -> frozenset[str]:
    """Names registered through ``get_custom_objects().update({...})`` or ``get_custom_objects()[k] = v``
    (found once per file: each class's question asks again)."""
    if facts.registered_names is None:
        facts.registered_names = frozenset(_registered_names(facts))
    return facts.registered_names


def _registered_names(facts: FileFacts) -> set[str]:
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
            stack.extend(child_nodes(node))


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


def is_model_instance(facts: FileFacts, origin: str | None) -> bool:
    """``keras.Sequential()``, ``keras.models.load_model()``, ``class:Net()`` for a Keras subclass:
    the model object, not ``keras.Sequential().evaluate`` (``is_keras_model`` accepts any chain)."""
    if not origin or not origin.endswith("()") or origin.count("()") != 1:
        return False
    if is_keras_model(facts, origin):
        return True
    info = local_class(facts, origin)
    return info is not None and is_keras_layer_class(facts, info)


def imports_keras_family(facts: FileFacts) -> bool:
    return facts.imports_any(*sorted(keras.KERAS_FAMILY_ROOTS))


def is_training_call(facts: FileFacts, call: Call, project: "ProjectIndex | None" = None) -> bool:
    """``.fit(``/``.fit_generator(``/``.train_on_batch(``/``.search(`` of a Keras model, AutoKeras or KerasTuner
    object. A receiver of Keras kind (also built in another module of ``project``) counts in any module; one
    of unknown kind in a module that imports the Keras family; one known to be something else never."""
    method = call.method
    if method not in TRAINING_CALL_NAMES:
        return False
    origin = call.receiver_origin
    if is_automl_object(origin):
        return True
    if method != keras.AUTOML_SEARCH_METHOD and is_keras_model(facts, origin):
        return True
    kind = Kind.UNKNOWN
    keras_module = imports_keras_family(facts)
    if project is not None or origin is not None:
        kind = receiver_kind(call, project)
    if kind is Kind.KERAS_MODEL:
        return True
    if method == keras.AUTOML_SEARCH_METHOD or kind.other_than_keras or not keras_module:
        return False
    # Approximate typing: any .fit( whose receiver is not known to be something else.
    return origin is None or is_local(origin, Local.PARAMETER, Local.FUNCTION) or (
        origin.startswith(("keras.", "tensorflow.")) and not is_dataset(origin)
    ) or (project is not None and project.is_project_origin(facts.module_name, origin))


def seed_kinds(call: Call, facts: FileFacts, project: "ProjectIndex") -> frozenset[str]:
    """What a call seeds, directly or through a helper function of the project."""
    callee = call.callee
    if callee is None and isinstance(call.node.func, cst.Name) and facts.binding_of(call.node.func) is None:
        callee = star_origin(facts, call.node.func.value, project)  # ``from common import *``
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
