"""What a module persists (DET301): whether it saves a model, and which objects end up saved.

A value is persisted when it is dumped (``joblib.dump``, ``pickle.dump``, ...), saves itself
(``tokenizer.to_json()``), is stored inside something persisted (a dict, a ``Pipeline``), becomes
part of a Keras model (a layer in a ``Sequential``, a layer called on a tensor), or is handed to a
project function that does one of those with its parameter (``store(scaler, path)``,
``build_model(normalizer)``). A value returned by a function belongs to its callers: it is
persisted when a caller persists the result, in this module or in another module of the project.

The per-module facts other modules need are kept in a small :class:`PersistenceSummary`.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import Binding, Call, FileFacts, FunctionInfo
from detlint.analysis.origins import Local, parse_local
from detlint.knowledge import keras
from detlint.knowledge.estimators import CONTAINER_BUILDERS

if TYPE_CHECKING:
    from detlint.analysis.project import ModuleSummary, ProjectIndex

# `np.save` stores arrays (predictions, statistics), never a model: it does not make the module persist one.
MODEL_DUMP_CALLS = keras.DUMP_CALLS - keras.ARRAY_ONLY_DUMPS
MODEL_SAVE_CALLS = keras.SAVE_MODEL_FUNCTIONS | {keras.SAVED_MODEL_SAVE}
_CALLBACK_TRAINING_METHODS = frozenset({"fit", "fit_generator"})
_MAX_CALLBACK_DEPTH = 8
# Import roots that are certainly no project module (a helper or model factory may hide behind any other).
LIBRARY_ROOTS = frozenset(sys.stdlib_module_names) | keras.KERAS_FAMILY_ROOTS | {
    "numpy", "pandas", "sklearn", "scipy", "joblib", "matplotlib", "seaborn", "tqdm", "PIL", "cv2",
}
_DUMP_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.DUMP_CALLS)
_SEQUENTIAL_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in keras.SEQUENTIAL_MODELS)
# Dataset methods that apply a function to every element (tf.data, and pandas' `map`/`apply`).
_DATA_MAPPERS = frozenset({"map", "apply", "flat_map", "filter"})
# Methods of a model whose results are no model (predictions, a history, weights).
_MODEL_RESULT_METHODS = frozenset({
    "predict", "predict_on_batch", "evaluate", "fit", "fit_generator", "get_weights", "to_json", "summary",
})
_MAX_FOLLOW = 12  # functions followed through returns before giving up (cycles, long chains)
DUMP, SAVE, LAYER = "dump", "save", "layer"
PERSISTED = "persisted"
HANDED = "arg:"
RETURNED = "returned:"
USED = "used"


@dataclass(frozen=True)
class PersistenceSummary:
    """What other modules need to know about one module's saves."""

    persists_model: bool = False
    # Callees (as written here) whose results this module saves with `.save(`: a project factory makes it a model save.
    saved_results_of: tuple[str, ...] = ()
    # Function name -> the parameters it persists: (position, name, how) where how is "dump" (dumped),
    # "save" (saves itself: `param.save(path)`) or "layer" (becomes part of a model the function builds).
    keeps: dict[str, tuple[tuple[int, str, str], ...]] = field(default_factory=dict)
    # Function and class names whose result is a Keras model built here.
    model_builders: frozenset[str] = frozenset()
    # Functions returning callbacks that hold a `ModelCheckpoint` (`fit(callbacks=get_callbacks())`).
    checkpoint_builders: frozenset[str] = frozenset()
    # Function name -> callees (imports) whose result it returns: a factory of another module's factory.
    returns_results_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Callee (as written here: a local or imported function) -> what becomes of its results here:
    # "persisted", "returned:<function>", "arg:<imported callee>#<position or keyword>" (handed to another
    # module's function, which may persist it) or "used".
    result_fates: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def result_fates_names(self) -> set[str]:
        """Last names of the functions whose results this module uses."""
        return {callee.rsplit(".", 1)[-1].rsplit(":", 1)[-1] for callee in self.result_fates}


# -- reaching: which bindings and calls a set of expressions stores ------------------------------
def stored_parts(facts: FileFacts, node: cst.CSTNode) -> Iterator[cst.Name | cst.Call]:
    """Names and calls whose objects are stored in a value: itself, or inside containers and pipeline
    builders (``{"scaler": scaler}``, ``Pipeline([("s", scaler), ...])``) — not ``scaler.transform(x)``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif isinstance(current, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
            stack.extend(current.elements)
        elif isinstance(current, cst.DictElement):
            stack.extend((current.key, current.value))
        elif isinstance(current, (cst.Element, cst.StarredElement, cst.StarredDictElement)):
            stack.append(current.value)
        elif isinstance(current, cst.Subscript):
            stack.append(current.value)  # `artifacts["scaler"]`: a part of a bundle that holds it
        elif isinstance(current, cst.Call):
            if CONTAINER_BUILDERS.match(facts.origin(current.func) or ""):
                stack.extend(a.value for a in current.args)
            else:
                yield current  # the call's result itself (``dump(get_scaler(x), f)``)


Keeps = dict  # function name -> tuple of (position, parameter name, how)


@dataclass
class Reached:
    bindings: set[int] = field(default_factory=set)
    calls: set[int] = field(default_factory=set)
    params: dict[int, set[str]] = field(default_factory=dict)  # id(function node) -> parameter names


def _union(first: Reached, second: Reached) -> Reached:
    params = {key: set(value) for key, value in first.params.items()}
    for key, value in second.params.items():
        params.setdefault(key, set()).update(value)
    return Reached(first.bindings | second.bindings, first.calls | second.calls, params)


def reach(facts: FileFacts, seeds: Iterable[cst.CSTNode]) -> Reached:
    """The bindings, calls and parameters whose objects the seed expressions hold."""
    found = Reached()
    pending = list(seeds)
    while pending:
        node = pending.pop()
        for part in stored_parts(facts, node):
            if isinstance(part, cst.Call):
                found.calls.add(id(part))
                continue
            binding = facts.binding_of(part)
            if binding is None or id(binding) in found.bindings:
                continue
            found.bindings.add(id(binding))
            if binding.kind == "assign" and binding.value is not None:
                pending.append(binding.value)  # a bundle or pipeline that holds it
            elif binding.kind == "unpack" and isinstance(binding.value, cst.Call):
                found.calls.add(id(binding.value))  # `x, scaler = prepare(df)`
            elif binding.kind == "param" and binding.scope.kind == "function":
                found.params.setdefault(id(binding.scope.node), set()).add(binding.name)
    return found


# -- one module ---------------------------------------------------------------------------------
def module_functions(facts: FileFacts) -> Iterator[FunctionInfo]:
    for info in facts.functions:
        if info.class_name is None and info.scope.parent is facts.module_scope:
            yield info


def _positional(call: Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.node.args if arg.keyword is None and not arg.star]


def _kept_arguments(call: Call, kept: Iterable[tuple[int, str, str]], *hows: str) -> Iterator[cst.BaseExpression]:
    args = _positional(call)
    for position, name, how in kept:
        if how not in hows:
            continue
        by_keyword = call.argument(name)
        if by_keyword is not None:
            yield by_keyword.value
        elif position < len(args):
            yield args[position]


def _is_function_call(facts: FileFacts, call: Call) -> bool:
    """A call of a module-level function of this module or of an imported name (a project function maybe)."""
    func = call.node.func
    root = func
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name):
        return False
    binding = facts.binding_of(root)
    if binding is None:
        return False
    if binding.kind == "import":
        return True
    return func is root and binding.kind == "def" and binding.scope is facts.module_scope


class ModulePersistence:
    """Persistence facts of one module; ``project`` (when given) resolves imported helpers and factories."""

    def __init__(self, facts: FileFacts, project: "ProjectIndex | None" = None) -> None:
        self.facts = facts
        self.project = project
        self._keeps: Keeps | None = None
        self._reached: dict[str, Reached] = {}
        self._returned: dict[int, Reached] = {}
        self._fates: dict[str, tuple[str, ...]] | None = None
        self._mapped: set[str] | None = None
        self._fixed: dict[str, list[cst.CSTNode]] | None = None
        self._helpers: list[tuple[Call, str | None, tuple]] = []

    # helpers of other modules -----------------------------------------------------------------
    def _imported_keeps(self, call: Call) -> tuple[tuple[int, str, str], ...]:
        if self.project is None or not call.callee:
            return ()
        binding = self._import_binding(call)
        if binding is None:
            return ()
        target = self.project.resolve(self.facts.module_name, call.callee)
        if target is None or target[0].name == self.facts.module_name:
            return ()
        return target[0].persistence.keeps.get(target[1], ())

    def _import_binding(self, call: Call) -> Binding | None:
        root = call.node.func
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name):
            return None
        binding = self.facts.binding_of(root)
        return binding if binding is not None and binding.kind == "import" else None

    def _local_keeper(self, call: Call) -> str | None:
        func = call.node.func
        if not isinstance(func, cst.Name):
            return None
        binding = self.facts.binding_of(func)
        if binding is not None and binding.kind == "def" and binding.scope is self.facts.module_scope:
            return func.value
        return None

    # seeds ------------------------------------------------------------------------------------
    def _seeds(self, keeps: "Keeps") -> dict[str, list[cst.CSTNode]]:
        """Expressions persisted each way: dumped (``"dump"``), saving themselves (``"save"``) or becoming
        part of a model (``"layer"``)."""
        if self._fixed is None:
            self._fixed, self._helpers = self._fixed_seeds()
        seeds = {how: list(found) for how, found in self._fixed.items()}
        for call, local_name, imported in self._helpers:
            kept = keeps.get(local_name, ()) if local_name is not None else imported
            for how in (DUMP, SAVE, LAYER):
                seeds[how].extend(_kept_arguments(call, kept, how))
        return seeds

    def _fixed_seeds(self) -> tuple[dict[str, list[cst.CSTNode]], list[tuple[Call, str | None, tuple]]]:
        fixed: dict[str, list[cst.CSTNode]] = {DUMP: [], SAVE: [], LAYER: []}
        helpers: list[tuple[Call, str | None, tuple]] = []
        facts = self.facts
        # `model.fit(..., callbacks=[ModelCheckpoint(...)])` saves that model (a training helper's parameter)
        fixed[SAVE].extend(call.receiver for call in self._checkpointed_fits() if isinstance(call.receiver, cst.Name))
        for call in facts.calls:
            func = call.node.func
            if isinstance(func, cst.Attribute):
                method = func.attr.value
                if method in keras.SELF_PERSISTING_METHODS and isinstance(func.value, cst.Name):
                    fixed[SAVE].append(func.value)
                elif method == "add":
                    fixed[LAYER].extend(a.value for a in call.node.args)
                if method in _DUMP_NAMES or method in _SEQUENTIAL_NAMES:
                    self._library_seeds(call, fixed)
                if self.project is not None and self._import_binding(call) is not None:
                    helpers.append((call, None, self._imported_keeps(call)))
                continue
            if not isinstance(func, cst.Name):
                continue
            binding = facts.binding_of(func)
            kind = binding.kind if binding is not None else None
            if kind == "import":
                if func.value in _DUMP_NAMES or func.value in _SEQUENTIAL_NAMES:
                    self._library_seeds(call, fixed)
                if self.project is not None:
                    helpers.append((call, None, self._imported_keeps(call)))
                    if self._is_project_keras_class(call):
                        fixed[LAYER].extend(a.value for a in call.node.args)  # `TextModel(vectorizer)`
            elif kind == "def":
                if binding.scope is facts.module_scope:  # type: ignore[union-attr]
                    helpers.append((call, func.value, ()))
            elif kind == "class":
                info = ml.local_class(facts, call.callee + "()") if call.callee else None
                if info is not None and ml.is_keras_layer_class(facts, info):
                    fixed[LAYER].extend(a.value for a in call.node.args)  # a layer handed to a model class
            elif not self._in_data_pipeline(call):
                fixed[LAYER].append(func)  # a layer called on a tensor is part of the model
        return fixed, helpers

    def _is_project_keras_class(self, call: Call) -> bool:
        """A Keras model or layer class of another project module."""
        target = self.project.resolve(self.facts.module_name, call.callee) if self.project and call.callee else None
        return target is not None and target[0].name != self.facts.module_name and (
            target[1] in target[0].keras_classes or target[1] in target[0].persistence.model_builders)

    def _library_seeds(self, call: Call, fixed: dict[str, list[cst.CSTNode]]) -> None:
        callee = call.callee or ""
        if callee in keras.DUMP_CALLS:
            # `np.save` keeps arrays: what it stores is persisted, but a model only if it is given one
            fixed[SAVE if callee in keras.ARRAY_ONLY_DUMPS else DUMP].extend(a.value for a in call.node.args)
        elif callee in keras.SEQUENTIAL_MODELS:
            fixed[LAYER].extend(a.value for a in call.node.args)

    def _in_data_pipeline(self, call: Call) -> bool:
        """A call inside a function mapped over data (``ds.map(lambda x, y: (vectorizer(x), y))``, or
        ``ds.map(vectorize)`` of a function of this module): it transforms the data, outside any model."""
        for ancestor in self.facts.ancestors(call.node):
            if isinstance(ancestor, cst.Lambda):
                parent = self.facts.parent(ancestor)
                if isinstance(parent, cst.Arg):
                    outer = self.facts.parent(parent)
                    if isinstance(outer, cst.Call) and isinstance(outer.func, cst.Attribute) \
                            and outer.func.attr.value in _DATA_MAPPERS:
                        return True
            elif isinstance(ancestor, cst.FunctionDef):
                return ancestor.name.value in self._mapped_functions()
        return False

    def _mapped_functions(self) -> set[str]:
        if self._mapped is None:
            self._mapped = {
                arg.value.value for call in self.facts.calls if call.method in _DATA_MAPPERS
                for arg in call.node.args[:1] if isinstance(arg.value, cst.Name)
            }
        return self._mapped

    def _kept_by(self, call: Call, keeps: "Keeps") -> tuple[tuple[int, str, str], ...]:
        name = self._local_keeper(call)
        return keeps.get(name, ()) if name is not None else self._imported_keeps(call)

    def keeps(self) -> "Keeps":
        """Module-level functions of this module and the parameters they persist (through each other too)."""
        if self._keeps is None:
            keeps: Keeps = {}
            for _ in range(4):  # helpers calling helpers: a few rounds reach a fixed point in practice
                seeds = self._seeds(keeps)
                reached = {how: reach(self.facts, seeds[how]) for how in (DUMP, SAVE, LAYER)}
                found: Keeps = {}
                for info in module_functions(self.facts):
                    entries = []
                    for position, param in enumerate(info.node.params.params):
                        name = param.name.value
                        how = next((h for h in (DUMP, SAVE, LAYER)
                                    if name in reached[h].params.get(id(info.node), ())), None)
                        if how is not None:
                            entries.append((position, name, how))
                    if entries:
                        found[info.name] = tuple(entries)
                self._reached = reached
                if found == keeps:
                    break
                keeps = found
            self._keeps = keeps
        return self._keeps

    def saved(self) -> Reached:
        """What this module dumps or saves (directly or through helpers)."""
        self.keeps()
        return _union(self._reached[DUMP], self._reached[SAVE])

    def embedded(self) -> Reached:
        """What becomes part of a Keras model built in this module."""
        self.keeps()
        return self._reached[LAYER]

    def persisted_bindings(self) -> set[int]:
        return self.saved().bindings | self.embedded().bindings

    def returned(self, info: FunctionInfo) -> Reached:
        """What a function of this module returns (its caller's objects)."""
        found = self._returned.get(id(info.node))
        if found is None:
            found = self._returned[id(info.node)] = reach(self.facts, info.returns)
        return found

    # the model ----------------------------------------------------------------------------------
    def _is_model(self, origin: str | None, parameters: bool = False) -> bool:
        """Whether a value may be a Keras model: known to be one, built by a project factory, or of unknown kind
        in a module that imports Keras (and, with ``parameters``, a parameter: a helper's argument)."""
        if ml.is_keras_model(self.facts, origin):
            # `model.predict(x)` or `model.fit(x)` starts at a model but is an array or a history
            return not (parameters and origin and origin.endswith("()")
                        and origin[:-2].rpartition(".")[2] in _MODEL_RESULT_METHODS)
        local = parse_local(origin)
        if origin is None or (parameters and local is not None and local.kind is Local.PARAMETER and not local.rest):
            return ml.imports_keras_family(self.facts)  # approximate typing, as for `.save(` itself
        if local is not None:
            return False
        return self.project is not None and is_project_model(self.project, self.facts.module_name, origin)

    def persists_model(self) -> bool:
        """Whether this module saves or dumps a model (also through helpers and ``ModelCheckpoint``)."""
        facts = self.facts
        for call in facts.calls:
            callee = call.callee or ""
            if callee in MODEL_DUMP_CALLS or callee in MODEL_SAVE_CALLS:
                return True
            if call.method in ("save", "export") and self._is_model(call.receiver_origin):
                return True
            if self._helper_persists_model(call, self._kept_by(call, self.keeps())):
                return True
        return self.checkpoints_in_fit()

    def _helper_persists_model(self, call: Call, kept: tuple[tuple[int, str, str], ...]) -> bool:
        """A helper that dumps its argument persists whatever it gets (a dump of another object);
        one that runs ``param.save(...)`` persists a model when it gets one."""
        if any(True for _ in _kept_arguments(call, kept, DUMP)):
            return True
        return any(self._is_model(self.facts.origin(value), parameters=True)
                   for value in _kept_arguments(call, kept, SAVE)
                   if isinstance(value, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)))  # not a path literal

    def checkpoints_in_fit(self) -> bool:
        """A ``keras.callbacks.ModelCheckpoint`` reaches the ``callbacks=`` of a ``fit``."""
        return any(True for _ in self._checkpointed_fits())

    def _checkpointed_fits(self) -> Iterator[Call]:
        for call in self.facts.calls:
            if call.method in _CALLBACK_TRAINING_METHODS:
                callbacks = call.keyword_value("callbacks")
                if callbacks is not None and self._holds_checkpoint(callbacks, 0, set()):
                    yield call

    def checkpoint_builders(self) -> frozenset[str]:
        """Module-level functions returning callbacks that hold a ``ModelCheckpoint``."""
        return frozenset(info.name for info in module_functions(self.facts)
                         if any(self._holds_checkpoint(value, 0, set()) for value in info.returns))

    def _holds_checkpoint(self, node: cst.BaseExpression, depth: int, seen: set[int]) -> bool:
        if depth > _MAX_CALLBACK_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        facts = self.facts
        if isinstance(node, (cst.List, cst.Tuple)):
            return any(isinstance(e, (cst.Element, cst.StarredElement))
                       and self._holds_checkpoint(e.value, depth + 1, seen) for e in node.elements)
        if isinstance(node, cst.BinaryOperation):
            return self._holds_checkpoint(node.left, depth + 1, seen) or self._holds_checkpoint(node.right, depth + 1, seen)
        if isinstance(node, cst.Call):
            origin = facts.origin(node.func)
            if origin == keras.MODEL_CHECKPOINT:
                return True
            local = parse_local(origin)
            if local is not None and local.kind is Local.FUNCTION and not local.rest:
                info = next((f for f in module_functions(facts) if f.name == local.name), None)
                return info is not None and any(self._holds_checkpoint(r, depth + 1, seen) for r in info.returns)
            if local is None and origin and self.project is not None:  # `callbacks=get_callbacks()` of another module
                target = self.project.resolve(facts.module_name, origin)
                return target is not None and target[0].name != facts.module_name \
                    and target[1] in target[0].persistence.checkpoint_builders
            return False
        if isinstance(node, cst.Name):
            binding = facts.binding_of(node)
            if binding is None or binding.kind != "assign" or binding.value is None:
                return False
            if self._holds_checkpoint(binding.value, depth + 1, seen):
                return True
            # `callbacks = []; callbacks.append(ModelCheckpoint(...))`
            for call in facts.calls:
                if call.method in ("append", "extend", "insert") and isinstance(call.receiver, cst.Name) \
                        and call.receiver.value == node.value and facts.binding_of(call.receiver) is binding:
                    if any(self._holds_checkpoint(a.value, depth + 1, seen) for a in call.node.args):
                        return True
        return False

    # what becomes of function results -------------------------------------------------------------
    def result_fates(self) -> dict[str, tuple[str, ...]]:
        """Callee -> what becomes of its results here (see :class:`PersistenceSummary`)."""
        if self._fates is None:
            self._fates = self._result_fates()
        return self._fates

    def _result_fates(self) -> dict[str, tuple[str, ...]]:
        saved = self.saved()
        embedded = self.embedded()
        handed = self._handed_to_imports()
        fates: dict[str, set[str]] = {}
        for call in self.facts.calls:
            if not _is_function_call(self.facts, call):
                continue
            callee = call.callee
            if not callee:
                continue
            key = id(call.node)
            found = fates.setdefault(callee, set())
            if key in saved.calls or key in embedded.calls:
                found.add(PERSISTED)
                continue
            found.update(handed.get(key, ()))
            enclosing = call.function
            if enclosing is not None and enclosing.class_name is None \
                    and enclosing.scope.parent is self.facts.module_scope \
                    and key in self.returned(enclosing).calls:
                found.add(RETURNED + enclosing.name)
            if not found:
                found.add(USED)
        return {callee: tuple(sorted(found)) for callee, found in fates.items()}

    def _handed_to_imports(self) -> dict[int, set[str]]:
        """Results handed to a function of another module (``store(get_scaler(x), path)``, or through a
        name bound to the result): id(call) -> ``"arg:<callee>#<position or keyword>"``, for that module's
        summary to decide."""
        handed: dict[int, set[str]] = {}
        for call in self.facts.calls:
            callee = call.callee
            if not call.node.args or not callee or callee.split(".", 1)[0] in LIBRARY_ROOTS \
                    or self._import_binding(call) is None:
                continue
            position = 0
            for arg in call.node.args:
                if arg.star:
                    continue
                where = arg.keyword.value if arg.keyword is not None else str(position)
                if arg.keyword is None:
                    position += 1
                for part in stored_parts(self.facts, arg.value):
                    if isinstance(part, cst.Name):
                        binding = self.facts.binding_of(part)
                        if binding is None or binding.kind not in ("assign", "unpack") \
                                or not isinstance(binding.value, cst.Call):
                            continue
                        part = binding.value
                    handed.setdefault(id(part), set()).add(f"{HANDED}{callee}#{where}")
        return handed

    def summary(self) -> PersistenceSummary:
        facts = self.facts
        builders: set[str] = set()
        returns_of: dict[str, tuple[str, ...]] = {}
        for info in module_functions(facts):
            imported: list[str] = []
            for value in info.returns:
                origin = facts.origin(value)
                if ml.is_keras_model(facts, origin):
                    builders.add(info.name)
                    break
                if origin and origin.endswith("()") and parse_local(origin) is None:
                    imported.append(origin[:-2])
            else:
                if imported:
                    returns_of[info.name] = tuple(imported)
        builders.update(c.name for c in facts.classes if ml.is_keras_model_class(facts, c))
        saved_results = []
        local_persists = False
        for call in facts.calls:
            callee = call.callee or ""
            if callee in MODEL_DUMP_CALLS or callee in MODEL_SAVE_CALLS:
                local_persists = True
            elif call.method in ("save", "export"):
                origin = call.receiver_origin
                if ml.is_keras_model(facts, origin) or (origin is None and ml.imports_keras_family(facts)):
                    local_persists = True
                elif origin and origin.endswith("()") and parse_local(origin) is None:
                    saved_results.append(origin[:-2])
        keeps = self.keeps()
        if not local_persists:
            local_persists = self.checkpoints_in_fit() or any(
                self._helper_persists_model(call, keeps[name])
                for call in facts.calls if (name := self._local_keeper(call)) is not None and name in keeps)
        return PersistenceSummary(
            persists_model=local_persists,
            saved_results_of=tuple(sorted(set(saved_results))),
            keeps=keeps,
            model_builders=frozenset(builders),
            returns_results_of=returns_of,
            result_fates=self.result_fates(),
            checkpoint_builders=self.checkpoint_builders(),
        )


def summarize_persistence(facts: FileFacts) -> PersistenceSummary:
    return ModulePersistence(facts).summary()


# -- across the project ---------------------------------------------------------------------------
def is_project_model(project: "ProjectIndex", module: str | None, origin: str, _depth: int = 0) -> bool:
    """Whether ``origin`` (``models.build_unet()``, ``model.CNN()``) is a model built by a project factory."""
    if _depth > _MAX_FOLLOW:
        return False
    callee = ml.strip_call(origin)
    if callee is None or "()" in callee:
        return False
    target = project.resolve(module, callee)
    if target is None:
        return False
    summary, attr = target
    if attr in summary.persistence.model_builders:
        return True
    return any(is_project_model(project, summary.name, inner + "()", _depth + 1)
               for inner in summary.persistence.returns_results_of.get(attr, ()))


def module_persists_model(project: "ProjectIndex", summary: "ModuleSummary") -> bool:
    """Whether a module saves a model, also through project factories and helpers of other modules."""
    persistence = summary.persistence
    if persistence.persists_model or any(
            is_project_model(project, summary.name, callee + "()") for callee in persistence.saved_results_of):
        return True
    for callee in persistence.result_fates:
        if parse_local(callee) is not None:
            continue
        target = project.resolve(summary.name, callee)
        if target is None or target[0].name == summary.name:
            continue
        if target[1] in target[0].persistence.checkpoint_builders or any(
                how in (DUMP, SAVE) for _, _, how in target[0].persistence.keeps.get(target[1], ())):
            return True  # approximate: the argument is taken to be the model, the callbacks to reach `fit`
    return False


@dataclass
class ResultFate:
    """What the callers of a function do with its result, across the project."""

    persisted: bool = False  # some caller persists it
    caller_persists_model: bool = False  # some caller's module persists a model


def fate_of_result(project: "ProjectIndex", module: str, function: str,
                   own: "dict[str, tuple[str, ...]] | None" = None) -> ResultFate:
    """Follow a function's result to its callers (in its module and, through the project index, in the
    modules that mention its name), and their callers when they return it in turn."""
    fate = ResultFate()
    pending = [(module, function)]
    seen: set[tuple[str, str]] = set()
    while pending and len(seen) < _MAX_FOLLOW:
        module_name, name = pending.pop()
        if (module_name, name) in seen:
            continue
        seen.add((module_name, name))
        home = project.modules.get(module_name)
        if home is not None and own is not None and module_name == module:
            # the linted module as analysed with the project (imported helpers resolved)
            home = dataclasses.replace(home, persistence=dataclasses.replace(home.persistence, result_fates=own))
        candidates = [home] if home is not None else []
        if not name.startswith("_"):
            candidates += [s for s in project.modules_mentioning(name) if s.name != module_name]
        for summary in candidates:
            for callee, fates in summary.persistence.result_fates.items():
                if not _calls(project, summary, callee, module_name, name):
                    continue
                if not fate.caller_persists_model and module_persists_model(project, summary):
                    fate.caller_persists_model = True
                for one in fates:
                    if one == PERSISTED or (one.startswith(HANDED) and _handed_and_kept(project, summary, one)):
                        fate.persisted = True
                        return fate
                    if one.startswith(RETURNED):
                        pending.append((summary.name, one[len(RETURNED):]))
    return fate


def _handed_and_kept(project: "ProjectIndex", summary: "ModuleSummary", fate: str) -> bool:
    callee, _, where = fate[len(HANDED):].rpartition("#")
    target = project.resolve(summary.name, callee)
    if target is None or target[0].name == summary.name:
        return False
    return any(how in (DUMP, SAVE, LAYER) and (str(position) == where or name == where)
               for position, name, how in target[0].persistence.keeps.get(target[1], ()))


def _calls(project: "ProjectIndex", summary: "ModuleSummary", callee: str, module: str, function: str) -> bool:
    local = parse_local(callee)
    if local is not None:
        return summary.name == module and local.kind is Local.FUNCTION and local.text == function
    if summary.name == module:
        return False
    target = project.resolve(summary.name, callee)
    return target is not None and target[0].name == module and target[1] == function

