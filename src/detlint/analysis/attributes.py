"""Attributes kept on ``self``: ``self.dataset = tf.data.Dataset...`` in one method makes
``self.dataset`` a dataset in every method of the class; ``self.build()`` has the origin of what the
class's ``build`` method returns.

Only when every assignment to the attribute in the class agrees on what kind of value it holds
(``None`` placeholders and updates of the attribute from itself, ``self.ds = self.ds.batch(8)``,
keep its kind); otherwise the attribute stays of unknown kind.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, is_local

_IN_PROGRESS = object()
_PLACEHOLDERS = frozenset({"builtins.None"})


class SelfAttributes:
    """The stores to ``self.<name>`` of each class of a module, and the kind they agree on."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        # class node id -> attribute -> stored values (None: a store whose value cannot be followed)
        self._stores: dict[int, dict[str, list[cst.BaseExpression | None]]] = defaultdict(lambda: defaultdict(list))
        self._origins: dict[tuple[int, str], object] = {}
        self._collect()

    def _collect(self) -> None:
        facts = self.facts
        for assign in facts.nodes(cst.Assign):
            for target in assign.targets:
                self._store(target.target, assign.value)
        for annotated in facts.nodes(cst.AnnAssign):
            if annotated.value is not None:
                self._store(annotated.target, annotated.value)
        for augmented in facts.nodes(cst.AugAssign):
            self._store(augmented.target, None)
        for loop in facts.nodes(cst.For):
            self._store(loop.target, None)

    def _store(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._store(element.value, None)  # unpacked: which item lands here is not followed
            return
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            owner = owner_class(self.facts, target.value)
            if owner is not None:
                self._stores[id(owner)][target.attr.value].append(value)

    def origin(self, owner: cst.ClassDef, attribute: str) -> str | None:
        """The origin of what ``self.<attribute>`` holds in ``owner``, when all its stores agree."""
        key = (id(owner), attribute)
        found = self._origins.get(key)
        if found is _IN_PROGRESS:
            return None
        if key not in self._origins:
            self._origins[key] = _IN_PROGRESS
            found = self._agreed_origin(self._stores.get(id(owner), {}).get(attribute, []), attribute)
            self._origins[key] = found
        return found  # type: ignore[return-value]

    def _agreed_origin(self, values: list[cst.BaseExpression | None], attribute: str) -> str | None:
        chosen: str | None = None
        kinds: set[str] = set()
        for value in values:
            if value is not None and _updates_itself(value, attribute):
                continue
            origin = None if value is None else self.facts.origin(value)
            if origin in _PLACEHOLDERS:
                continue
            if origin is None:
                return None
            kinds.add(value_kind(self.facts, origin))
            chosen = chosen or origin
        return chosen if len(kinds) == 1 and known_kind(self.facts, chosen) else None


def value_kind(facts: FileFacts, origin: str) -> str:
    """A coarse kind of value, for deciding whether stores agree: a dataset, a Keras model, or the
    origin itself."""
    if ml.is_dataset(origin):
        return "dataset"
    if ml.is_model_instance(facts, origin) or ml.is_automl_object(origin):
        return "keras-model"
    return origin


# Libraries whose values are known to be what their origin says (a model of another project module,
# ``models.build_unet()``, is not: it stays of unknown kind, which rules treat as possibly anything).
_KNOWN_LIBRARIES = (
    "builtins.", "numpy.", "pandas.", "random.", "scipy.", "sklearn.", "xgboost.", "lightgbm.", "catboost.",
    "statsmodels.", "torch.", "keras.", "tensorflow.", "tensorflow_datasets.", "autokeras.", "keras_tuner.",
)


def known_kind(facts: FileFacts, origin: str | None) -> bool:
    """Whether an origin says what kind of value it is: a dataset, a Keras model, a value of a well-known
    library or an instance of a class of the module; not a parameter or another module's value."""
    if origin is None:
        return False
    if ml.is_dataset(origin) or ml.is_keras_model(facts, origin) or ml.is_automl_object(origin):
        return True
    return origin.startswith(_KNOWN_LIBRARIES) or is_local(origin, Local.CLASS)


def _updates_itself(value: cst.BaseExpression, attribute: str) -> bool:
    """``self.ds.shuffle(8).batch(4)``: a chain of calls and attributes rooted at ``self.<attribute>``."""
    node: cst.BaseExpression = value
    while True:
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.attr.value == attribute:
                return True
            node = node.value
        else:
            return False


def owner_class(facts: FileFacts, name: cst.Name) -> cst.ClassDef | None:
    """The class whose instance ``name`` is: the first parameter of one of its (non-static) methods."""
    binding = facts.binding_of(name)
    if binding is None or binding.kind != "param":
        return None
    scope = binding.scope
    if scope.kind != "function" or scope.parent is None or scope.parent.kind != "class":
        return None
    method = scope.node
    if not isinstance(method, cst.FunctionDef):
        return None
    positional = list(method.params.posonly_params) + list(method.params.params)
    if not positional or positional[0] is not binding.node:
        return None
    for decorator in method.decorators:
        target = decorator.decorator
        if isinstance(target, cst.Name) and target.value in ("staticmethod", "classmethod"):
            return None
    owner = scope.parent.node
    return owner if isinstance(owner, cst.ClassDef) else None


def stored_attribute_origin(facts: FileFacts, expr: cst.Attribute) -> str | None:
    """The origin of ``self.<name>`` from the class's stores, when they agree; None otherwise."""
    if not isinstance(expr.value, cst.Name):
        return None
    owner = owner_class(facts, expr.value)
    if owner is None:
        return None
    table = facts.self_attributes
    if table is None:
        table = facts.self_attributes = SelfAttributes(facts)
    return table.origin(owner, expr.attr.value)


def method_return_origin(facts: FileFacts, method: cst.Attribute) -> str | None:
    """The origin of what ``self.<method>()`` returns, for a method defined in the class itself."""
    if not isinstance(method.value, cst.Name):
        return None
    owner = owner_class(facts, method.value)
    if owner is None or not isinstance(owner.body, cst.IndentedBlock):
        return None
    definition = next((statement for statement in owner.body.body if isinstance(statement, cst.FunctionDef)
                       and statement.name.value == method.attr.value), None)
    info = facts.function_info(definition) if definition is not None else None
    if info is None:
        return None
    for value in info.returns:
        found = facts.origin(value)
        if found is not None:
            return found if known_kind(facts, found) else None
    return None
