"""Model provenance for DET302: which model a ``load_model`` loads, and what that model needs to load.

A load's model is the model saved to the same path: by the loading module itself before the load, or
else by another module of the project that saves exactly that path (after constants, ``os.path.join``,
f-strings and ``Path`` ``/`` with constant parts). What a saved model needs (``hub.KerasLayer``,
unregistered project layer classes, project losses, an AutoKeras export) is found from how that model
was built: the expressions and statements its value comes from, and the project builders they call,
not from whatever else the module mentions.

Each module's part is summarized without the rest of the project (:class:`ProvenanceSummary`, small
and picklable); references to other project modules (an imported builder, layer class or path
constant) are kept as origins and resolved through the project index when a load asks.
"""

from __future__ import annotations

import posixpath
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

import libcst as cst

from detlint.analysis import ml, saves
from detlint.analysis.facts import Binding, Call, FileFacts, child_nodes
from detlint.analysis.origins import Local, parse_local
from detlint.knowledge import keras

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

# A path as written, kept symbolic so that another module's constants can be filled in later:
# ("s", text) | ("cat", parts) for ``+`` and f-strings | ("join", parts) for os.path.join and Path ``/``
# | ("ref", origin) for a name imported from another module.
PathTemplate = tuple
Needed = dict  # name -> why: "hub", "autokeras", "class", or the keyword it is passed as ("loss", ...)

HUB_LAYER = "tensorflow_hub.KerasLayer"
_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
_PATH_WRAPPERS = frozenset({"builtins.str", "os.fspath", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
_OBJECT_KEYWORDS = ("loss", "metrics", "activation")
# Roots of origins that are never project modules: no need to look them up in the project index.
_LIBRARY_ROOTS = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    "builtins", "keras", "tensorflow", "tf_keras", "tensorflow_hub", "autokeras", "keras_tuner", "numpy",
    "pandas", "sklearn", "scipy", "matplotlib", "seaborn", "PIL", "cv2", "torch", "tqdm", "joblib",
    "transformers", "segmentation_models", "tensorflow_datasets", "tensorflow_addons", "albumentations",
}
_MAX_DEPTH = 30
_SAVE_CALL_NAMES = frozenset({"save", *keras.SAVE_NAMES, *(name.rsplit(".", 1)[-1] for name in keras.SAVE_MODEL_FUNCTIONS),
                              *keras.TRAINING_METHODS})


@dataclass(frozen=True)
class Needs:
    """What a model needs to load, as far as one module knows: objects found there, and references
    (origin, keyword) to other modules' builders ("" ) or objects passed as ``loss=``... (the keyword)."""

    objects: tuple[tuple[str, str], ...] = ()
    refs: tuple[tuple[str, str], ...] = ()
    unknown: bool = False  # the model's value could not be followed to where it was built

    def __or__(self, other: "Needs") -> "Needs":
        return Needs(tuple(dict((*self.objects, *other.objects)).items()),
                     tuple(sorted({*self.refs, *other.refs})), self.unknown or other.unknown)


_NOTHING = Needs()


@dataclass
class ProvenanceSummary:
    """One module's part of model provenance (see the module docstring)."""

    saves: tuple[tuple[PathTemplate, Needs], ...] = ()
    # saves through an imported helper named like Keras' savers: (helper origin, path, model needs)
    helper_saves: tuple[tuple[str, PathTemplate, Needs], ...] = ()
    builders: dict[str, Needs] = field(default_factory=dict)  # module-level function or class -> needs
    objects: dict[str, str] = field(default_factory=dict)  # unregistered function/class -> "function"/"class"
    constants: dict[str, PathTemplate] = field(default_factory=dict)  # module-level path constants
    module: Needs = _NOTHING  # what a model built anywhere in the module needs (when the model is unknown)


# -- paths ------------------------------------------------------------------------------------
def path_template(expr: cst.BaseExpression | None, facts: FileFacts, depth: int = 0) -> PathTemplate | None:
    """The path an expression spells, kept symbolic; None when a part of it is not constant."""
    if expr is None or depth > _MAX_DEPTH:
        return None
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = expr.evaluated_value
        except Exception:  # noqa: BLE001 - malformed escape sequences
            return None
        return ("s", value) if isinstance(value, str) else None
    if isinstance(expr, cst.FormattedString):
        parts: list[PathTemplate] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(("s", part.value))
            elif part.format_spec is None and part.conversion is None:
                inner = path_template(part.expression, facts, depth + 1)
                if inner is None:
                    return None
                parts.append(inner)
            else:
                return None
        return ("cat", tuple(parts))
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Divide)):
        left, right = path_template(expr.left, facts, depth + 1), path_template(expr.right, facts, depth + 1)
        if left is None or right is None:
            return None
        return ("cat" if isinstance(expr.operator, cst.Add) else "join", (left, right))
    if isinstance(expr, cst.Call):
        return _call_template(expr, facts, depth)
    if isinstance(expr, cst.Name):
        return _name_template(expr, facts, depth)
    if isinstance(expr, cst.Attribute):
        origin = facts.origin(expr)
        if origin and "(" not in origin and "[" not in origin and parse_local(origin) is None:
            return ("ref", origin)
    return None


def _call_template(expr: cst.Call, facts: FileFacts, depth: int) -> PathTemplate | None:
    if any(arg.star or arg.keyword is not None for arg in expr.args):
        return None
    callee = facts.origin(expr.func) or ""
    args = [path_template(arg.value, facts, depth + 1) for arg in expr.args]
    if any(arg is None for arg in args):
        return None
    if callee in _JOINS or (callee in _PATH_WRAPPERS and callee.startswith("pathlib.") and args):
        return ("join", tuple(args))
    if callee in _PATH_WRAPPERS and len(args) == 1:
        return args[0]
    if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "joinpath":
        base = path_template(expr.func.value, facts, depth + 1)
        return None if base is None else ("join", (base, *args))
    return None


def _name_template(expr: cst.Name, facts: FileFacts, depth: int) -> PathTemplate | None:
    binding = facts.binding_of(expr)
    if binding is None:
        return None
    if binding.kind == "import":
        origin = binding.fixed_origin
        return ("ref", origin) if origin and parse_local(origin) is None else None
    if binding.kind != "assign" or binding.value is None:
        return None
    if len(binding.scope.bindings.get(expr.value, ())) != 1:
        return None  # rebound: which value reaches the call is not known
    return path_template(binding.value, facts, depth + 1)


def render(template: PathTemplate | None, resolve_ref: Callable[[str], str | None] | None = None,
           depth: int = 0) -> str | None:
    """The path text of a template, normalized; None when a reference cannot be resolved."""
    if template is None or depth > _MAX_DEPTH:
        return None
    text = _render(template, resolve_ref, depth)
    if text is None or not text:
        return text
    return posixpath.normpath(text.replace("\\", "/"))


def _render(template: PathTemplate, resolve_ref: Callable[[str], str | None] | None, depth: int) -> str | None:
    kind, value = template
    if kind == "s":
        return value
    if kind == "ref":
        return resolve_ref(value) if resolve_ref is not None else None
    parts = [_render(part, resolve_ref, depth + 1) for part in value]
    if any(part is None for part in parts):
        return None
    if kind == "cat":
        return "".join(parts)  # type: ignore[arg-type]
    return posixpath.join(*parts) if parts else None  # type: ignore[arg-type]


# -- saves --------------------------------------------------------------------------------------
@dataclass
class Save:
    """A model saved to a path: by ``.save``, ``save_model``, a ``ModelCheckpoint`` passed to ``fit``,
    or a helper of the project (``helper`` is its origin when it is imported from another module)."""

    call: Call
    model: cst.BaseExpression
    path: cst.BaseExpression
    helper: str | None = None


def _is_module_object(facts: FileFacts, receiver: cst.BaseExpression) -> bool:
    """``np`` in ``np.save(...)``: a module (or an attribute of one), not an object that could be a model.
    A name imported from a module (``from nets.cnn import model_1``) may be a model."""
    root = receiver
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name):
        return False
    binding = facts.binding_of(root)
    if binding is None or binding.kind != "import" or not isinstance(binding.node, cst.Import):
        return False
    origin = facts.origin(receiver)
    return bool(origin) and "(" not in origin and "[" not in origin  # type: ignore[operator]


def find_saves(facts: FileFacts) -> list[Save]:
    """Every model save of a module, in source order (helper calls of other modules are included as
    candidates: the project decides whether the helper saves)."""
    found: list[Save] = []
    checkpoints = _checkpoints(facts)
    for call in facts.calls:
        if _last_name(call) not in _SAVE_CALL_NAMES:
            continue  # cheap test first: origins are not needed for most calls
        callee = call.callee or ""
        if call.method == "save" and call.receiver is not None and not _is_module_object(facts, call.receiver):
            path = call.keyword_value("filepath", 0)
            if path is not None:
                found.append(Save(call, call.receiver, path))
        elif callee in keras.SAVE_MODEL_FUNCTIONS or callee == keras.SAVED_MODEL_SAVE:
            model = call.keyword_value("model", 0) or call.keyword_value("obj", 0)
            path = call.keyword_value("filepath", 1) or call.keyword_value("export_dir", 1)
            if model is not None and path is not None:
                found.append(Save(call, model, path))
        elif call.method in keras.TRAINING_METHODS and call.receiver is not None:
            callbacks = call.keyword_value("callbacks")
            for checkpoint in _checkpoints_in(facts, callbacks, checkpoints):
                path = checkpoint.keyword_value("filepath", 0)
                if path is not None:
                    found.append(Save(checkpoint, call.receiver, path))
        elif isinstance(call.node.func, cst.Name) and call.node.func.value in keras.SAVE_NAMES:
            binding = facts.binding_of(call.node.func)
            if binding is not None and binding.kind == "import" and binding.fixed_origin and \
                    binding.fixed_origin.split(".", 1)[0] not in _LIBRARY_ROOTS:
                args = _positional(call)
                if len(args) >= 2:
                    found.append(Save(call, args[0], args[1], helper=binding.fixed_origin))
    helpers = saves.model_save_helpers(facts)
    for call, name in saves.helper_calls(facts, helpers):
        model_at, path_at = helpers[name]
        args = _positional(call)
        if len(args) > max(model_at, path_at):
            found.append(Save(call, args[model_at], args[path_at]))
    found.sort(key=lambda save: facts.order(save.call.node))
    return found


def _last_name(call: Call) -> str | None:
    func = call.node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else None


def _positional(call: Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.node.args if arg.keyword is None and not arg.star]


def _checkpoints(facts: FileFacts) -> dict[int, Call]:
    """``ModelCheckpoint(...)`` calls that save the whole model (not ``save_weights_only=True``)."""
    found = {}
    for call in facts.calls:
        if _last_name(call) == "ModelCheckpoint" and call.callee == keras.MODEL_CHECKPOINT:
            weights_only = call.keyword_value("save_weights_only")
            if not (isinstance(weights_only, cst.Name) and weights_only.value == "True"):
                found[id(call.node)] = call
    return found


def _checkpoints_in(facts: FileFacts, expr: cst.BaseExpression | None, checkpoints: dict[int, Call],
                    depth: int = 0) -> Iterator[Call]:
    """Checkpoint calls a ``callbacks=`` value holds: directly, in a list, or through names bound to those."""
    if expr is None or not checkpoints or depth > 5:
        return
    if isinstance(expr, cst.Call) and id(expr) in checkpoints:
        yield checkpoints[id(expr)]
    elif isinstance(expr, (cst.List, cst.Tuple)):
        for element in expr.elements:
            yield from _checkpoints_in(facts, element.value, checkpoints, depth + 1)
    elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        yield from _checkpoints_in(facts, expr.left, checkpoints, depth + 1)
        yield from _checkpoints_in(facts, expr.right, checkpoints, depth + 1)
    elif isinstance(expr, cst.Name):
        binding = facts.binding_of(expr)
        if binding is not None and binding.kind == "assign":
            yield from _checkpoints_in(facts, binding.value, checkpoints, depth + 1)


# -- what a model needs -----------------------------------------------------------------------------
class ModelNeeds:
    """What the models of one module need, found from how each was built (memoized per module)."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self._calls = {id(call.node): call for call in facts.calls}
        self._receivers: dict[int, list[Call]] | None = None
        self._registered = ml.registered_names(facts) | _registered_functions(facts)
        self._functions = {info.name: info for info in facts.functions
                           if info.class_name is None and info.scope.parent is facts.module_scope}
        self._classes = {info.name: info for info in facts.classes}
        self._memo: dict[str, Needs] = {}

    def of_calls(self, calls: list[Call]) -> Needs:
        objects: dict[str, str] = {}
        refs: set[tuple[str, str]] = set()
        result = _NOTHING
        for call in calls:
            callee = call.callee or ""
            local = parse_local(callee)
            if callee == HUB_LAYER:
                objects["KerasLayer"] = "hub"
            elif call.method == "export_model" and self.facts.imports_any("autokeras"):
                objects["autokeras"] = "autokeras"
            elif local is not None and local.rest == "" and local.kind in (Local.FUNCTION, Local.CLASS):
                result = result | self.of_builder(local.name)
            elif _maybe_project(callee):
                refs.add((callee, ""))
            if call.method == "compile" or callee.startswith("keras.layers."):
                self._object_arguments(call, objects, refs)
        return result | Needs(tuple(objects.items()), tuple(sorted(refs)))

    def _object_arguments(self, call: Call, objects: dict[str, str], refs: set[tuple[str, str]]) -> None:
        for keyword in _OBJECT_KEYWORDS:
            arg = call.argument(keyword)
            if arg is None:
                continue
            for name in ml.names_in(arg.value):
                origin = self.facts.origin(name)
                local = parse_local(origin)
                if local is not None and local.kind in (Local.FUNCTION, Local.CLASS):
                    if name.value not in self._registered and not self._is_registered_class(name.value):
                        objects[name.value] = keyword
                elif local is None and _maybe_project(origin):
                    refs.add((origin, keyword))  # type: ignore[arg-type]

    def _is_registered_class(self, name: str) -> bool:
        info = self._classes.get(name)
        return info is not None and ml.is_registered_class(self.facts, info)

    def of_builder(self, name: str) -> Needs:
        """What a model built by a module-level function or class of this module needs."""
        if name in self._memo:
            return self._memo[name]
        self._memo[name] = _NOTHING  # recursion guard
        if name in self._classes:
            result = self._of_class(name)
        elif name in self._functions:
            result = self.of_calls(self._functions[name].calls)
        else:
            result = _NOTHING
        self._memo[name] = result
        return result

    def _of_class(self, name: str) -> Needs:
        info = self._classes[name]
        own = _NOTHING
        if ml.is_keras_layer_class(self.facts, info) and not ml.is_registered_class(self.facts, info):
            own = Needs(((name, "class"),))
        methods = [call for function in self.facts.functions if function.class_name == name
                   for call in function.calls]
        refs = set()
        for base in info.bases:
            origin = self.facts.origin(base)
            local = parse_local(origin)
            if local is not None and local.kind is Local.CLASS and local.rest == "":
                own = own | self.of_builder(local.name)
            elif local is None and _maybe_project(origin):
                refs.add((origin, ""))  # type: ignore[arg-type]
        return own | self.of_calls(methods) | Needs((), tuple(sorted(refs)))

    def of_value(self, expr: cst.BaseExpression, bound: Binding | None = None) -> Needs:
        """What the model an expression holds needs: the calls its value (and the statements that built
        it: ``model.add(...)``, ``model.compile(...)``, the functional graph's names) are made of. With
        ``bound``, the expression is that binding's value (a module-level ``model_1 = ...``)."""
        calls: list[Call] = []
        builders = _NOTHING  # functions and classes handed over uncalled: ``Hyperband(build_model, ...)``
        pending = [expr]
        seen: set[int] = set()
        if bound is not None:
            seen.add(id(bound))
            pending.extend(call.node for call in self._by_receiver().get(id(bound), ()))
        unknown = self._root_unknown(expr)
        while pending:
            node = pending.pop()
            for sub in _walk(node):
                if isinstance(sub, cst.Call) and id(sub) in self._calls and id(sub) not in seen:
                    seen.add(id(sub))
                    calls.append(self._calls[id(sub)])
                elif isinstance(sub, cst.Name):
                    binding = self.facts.binding_of(sub)
                    if binding is None or id(binding) in seen:
                        continue
                    seen.add(id(binding))
                    origin = binding.fixed_origin
                    local = parse_local(origin)
                    if binding.kind in ("def", "class") and local is not None and local.kind is not Local.PARAMETER:
                        builders = builders | self.of_builder(local.name)
                    elif binding.kind == "import" and _maybe_project(origin):
                        builders = builders | Needs((), ((origin, ""),))  # type: ignore[arg-type]
                    if binding.value is not None and binding.kind in ("assign", "unpack", "loop", "with"):
                        pending.append(binding.value)
                        # what was done to the value afterwards: ``model.add(...)``, ``model.compile(...)``
                        pending.extend(call.node for call in self._by_receiver().get(id(binding), ()))
        needs = self.of_calls(calls) | builders
        return Needs(needs.objects, needs.refs, unknown)

    def _by_receiver(self) -> dict[int, list[Call]]:
        """Method calls by the binding of their receiver name (built on first use)."""
        if self._receivers is None:
            self._receivers = {}
            for call in self.facts.calls:
                if isinstance(call.receiver, cst.Name):
                    binding = call.receiver_binding
                    if binding is not None:
                        self._receivers.setdefault(id(binding), []).append(call)
        return self._receivers

    def _root_unknown(self, expr: cst.BaseExpression, depth: int = 0) -> bool:
        """Whether the model's value comes from somewhere this module cannot follow (a parameter, an
        attribute such as ``self.model``): then the whole module is what built it, as far as is known."""
        if depth > _MAX_DEPTH:
            return True
        if isinstance(expr, cst.Name):
            binding = self.facts.binding_of(expr)
            if binding is None or binding.kind == "param":
                return True
            if binding.kind in ("assign", "with") and binding.value is not None:
                return self._root_unknown(binding.value, depth + 1)
            return binding.kind not in ("import", "def", "class")
        if isinstance(expr, cst.Attribute):
            return self.facts.origin(expr) is None or _root_name_is_param(self.facts, expr)
        if isinstance(expr, cst.Call):
            func = expr.func
            if isinstance(func, cst.Attribute):  # a method of a known object: ``clf.export_model()``
                return self.facts.origin(func) is None
            return False
        if isinstance(expr, cst.Subscript):
            return self._root_unknown(expr.value, depth + 1)
        return False

    def of_module(self) -> Needs:
        """What a model built somewhere in this module needs: every builder call and custom class."""
        result = self.of_calls(self.facts.calls)
        for name, info in self._classes.items():
            if ml.is_keras_layer_class(self.facts, info) and not ml.is_registered_class(self.facts, info):
                result = result | Needs(((name, "class"),))
        return result

    def of_save(self, save: Save) -> Needs:
        needs = self.of_value(save.model)
        return needs | self.of_module() if needs.unknown else needs


def _root_name_is_param(facts: FileFacts, expr: cst.Attribute) -> bool:
    node: cst.BaseExpression = expr
    while isinstance(node, cst.Attribute):
        node = node.value
    if isinstance(node, cst.Name):
        binding = facts.binding_of(node)
        return binding is None or binding.kind == "param"
    return True


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, cst.Attribute):
            stack.append(current.value)  # not the attribute's name
        elif isinstance(current, cst.Arg):
            stack.append(current.value)  # not the keyword
        else:
            stack.extend(child_nodes(current))


def _registered_functions(facts: FileFacts) -> set[str]:
    names = set()
    for info in facts.functions:
        for decorator in info.decorators:
            target = decorator.func if isinstance(decorator, cst.Call) else decorator
            if facts.origin(target) in keras.REGISTER_DECORATORS:
                names.add(info.name)
    return names


def _maybe_project(origin: str | None) -> bool:
    """Whether an origin may name something of another module of the project."""
    if not origin or "(" in origin or "[" in origin or parse_local(origin) is not None:
        return False
    return origin.startswith(".") or origin.split(".", 1)[0] not in _LIBRARY_ROOTS


# -- per-module summary ---------------------------------------------------------------------------
def summarize_provenance(facts: FileFacts) -> ProvenanceSummary:
    needs = ModelNeeds(facts)
    summary = ProvenanceSummary()
    saved = []
    helper_saves = []
    for save in find_saves(facts):
        template = path_template(save.path, facts)
        if template is None:
            continue
        if save.helper is not None:
            helper_saves.append((save.helper, template, needs.of_save(save)))
        else:
            saved.append((template, needs.of_save(save)))
    summary.saves = tuple(saved)
    summary.helper_saves = tuple(helper_saves)
    for name in (*needs._functions, *needs._classes):
        summary.builders[name] = needs.of_builder(name)
    for name, bindings in facts.module_scope.bindings.items():
        # a model built at module level and imported elsewhere (``from models.cnn import model_1``)
        if len(bindings) == 1 and bindings[0].kind == "assign" and isinstance(bindings[0].value, cst.Call):
            summary.builders.setdefault(name, needs.of_value(bindings[0].value, bindings[0]))
    for name, info in needs._classes.items():
        if ml.is_keras_layer_class(facts, info) and not ml.is_registered_class(facts, info):
            summary.objects[name] = "class"
    for name in needs._functions:
        if name not in needs._registered:
            summary.objects[name] = "function"
    for name, bindings in facts.module_scope.bindings.items():
        if len(bindings) == 1 and bindings[0].kind == "assign":
            template = path_template(bindings[0].value, facts)
            if template is not None:
                summary.constants[name] = template
    summary.module = needs.of_module()
    return summary


# -- loads ----------------------------------------------------------------------------------------
class Provenance:
    """Answers, for the loads of one linted module, what the loaded model needs."""

    def __init__(self, facts: FileFacts, project: "ProjectIndex") -> None:
        self.facts = facts
        self.project = project
        self.needs = ModelNeeds(facts)
        self._saves: list[Save] | None = None

    def needed_by_load(self, call: Call) -> Needed:
        """Objects the model loaded by ``call`` needs: name -> why."""
        module = self.facts.module_name
        path_expr = call.keyword_value("filepath", 0)
        template = path_template(path_expr, self.facts)
        path = render(template, self._resolver(module))
        own = self._own_save_before(call, path_expr, path)
        if own is not None:
            return self.resolve(module, own)
        if path:
            linked = self._linked(path)
            if linked is not None:
                return linked
        return self._fallback()

    def _own_save_before(self, call: Call, path_expr: cst.BaseExpression | None, path: str | None) -> Needs | None:
        if path_expr is None:
            return None
        if self._saves is None:
            self._saves = find_saves(self.facts)
        order = self.facts.order(call.node)
        code = _code(self.facts, path_expr)
        for save in reversed(self._saves):
            if self.facts.order(save.call.node) >= order:
                continue
            if save.helper is not None and not self._is_helper(module_name=self.facts.module_name, origin=save.helper):
                continue
            save_path = render(path_template(save.path, self.facts), self._resolver(self.facts.module_name))
            # a path not known statically is the same only when written the same way in the same function
            same_text = path is None and save.call.function is call.function and _code(self.facts, save.path) == code
            if (path is not None and save_path == path) or same_text:
                return self.needs.of_save(save)
        return None

    def _is_helper(self, module_name: str | None, origin: str) -> bool:
        target = self.project.resolve(module_name, origin)
        return target is not None and target[0].model_save_helpers.get(target[1]) == (0, 1)

    def _linked(self, path: str) -> Needed | None:
        found: Needed | None = None
        for summary in self.project.saving_modules():
            if summary.name == self.facts.module_name or summary.provenance is None:
                continue
            resolver = self._resolver(summary.name)
            matched = [needs for template, needs in summary.provenance.saves if render(template, resolver) == path]
            matched += [needs for helper, template, needs in summary.provenance.helper_saves
                        if render(template, resolver) == path and self._is_helper(summary.name, helper)]
            if not matched:
                continue
            self.project.consulted.add(summary.name)
            found = {} if found is None else found
            for needs in matched:
                found.update(self.resolve(summary.name, needs))
        return found

    def _fallback(self) -> Needed:
        """No save of that path is known: what the loading module (and the project modules it imports)
        can build."""
        module = self.facts.module_name
        needed = self.resolve(module, self.needs.of_module())
        for origin in sorted(self.facts.imports):
            if not _maybe_project(origin):
                continue
            target = self.project.resolve(module, origin) or self.project.resolve(module, origin + ".x")
            if target is None or target[0].name == module or target[0].provenance is None:
                continue
            summary, attr = target
            prov = summary.provenance
            if attr in prov.builders:
                needed.update(self.resolve(summary.name, prov.builders[attr]))
            elif attr == "x":  # the whole module is imported
                needed.update(self.resolve(summary.name, prov.module))
        return needed

    def _resolver(self, module: str | None, depth: int = 0) -> Callable[[str], str | None]:
        """Fills in path constants imported from other project modules."""
        def resolve_ref(origin: str) -> str | None:
            target = self.project.resolve(module, origin)
            if target is None or target[0].provenance is None or depth > 5:
                return None
            summary, attr = target
            template = summary.provenance.constants.get(attr)
            return None if template is None else _render(template, self._resolver(summary.name, depth + 1), 0)
        return resolve_ref

    def resolve(self, module: str | None, needs: Needs, seen: set[tuple[str, str, str]] | None = None) -> Needed:
        """The objects a summary's needs stand for, following references into other project modules."""
        seen = set() if seen is None else seen
        needed: Needed = dict(needs.objects)
        for origin, why in needs.refs:
            target = self.project.resolve(module, origin)
            if target is None or target[0].provenance is None:
                continue
            summary, attr = target
            key = (summary.name, attr, why)
            if key in seen:
                continue
            seen.add(key)
            prov = summary.provenance
            if why:
                if attr in prov.objects:
                    needed[attr] = why
            elif attr in prov.builders:
                needed.update(self.resolve(summary.name, prov.builders[attr], seen))
        return needed


def _code(facts: FileFacts, expr: cst.BaseExpression | None) -> str | None:
    return None if expr is None else "".join(facts.module.code_for_node(expr).split())

