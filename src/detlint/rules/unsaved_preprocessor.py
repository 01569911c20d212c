"""DET301 unsaved-preprocessor: a fitted scaler/encoder/tokenizer that is not saved beside the model."""

from __future__ import annotations

import ast
from typing import Callable, Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.calls import binding_name_of_call
from detlint.analysis.facts import Binding, Call, FunctionInfo
from detlint.analysis.persistence import (
    MODEL_DUMP_CALLS, MODEL_SAVE_CALLS, ModulePersistence, fate_of_result,
)
from detlint.analysis.syntax import Bindings, SyntaxIndex, dotted_parts
from detlint.knowledge import keras
from detlint.knowledge.estimators import FIT_METHODS, RETURNS_SELF, SKLEARN_PREPROCESSOR, SKLEARN_PREPROCESSOR_MODULES
from detlint.rule import Report, RuleContext, rule

_PERSIST_NAMES = frozenset({
    *(c.rsplit(".", 1)[-1] for c in (*MODEL_DUMP_CALLS, *MODEL_SAVE_CALLS)), "save", "export", "ModelCheckpoint",
    *keras.SELF_PERSISTING_METHODS,
})
_KERAS_LAYERS = frozenset(n for n in keras.KERAS_PREPROCESSORS if n.startswith("keras.layers."))


def preprocessor_class(origin: str | None) -> str | None:
    ctor = ml.strip_call(origin)
    if ctor is None:
        return None
    if ctor in keras.KERAS_PREPROCESSORS or SKLEARN_PREPROCESSOR.match(ctor):
        return ctor
    return None


# A fitted object is a preprocessor only by the origin of its constructor, so one of these names is in
# the code: the scikit-learn modules holding them, or the Keras class itself.
_PREPROCESSOR_NAMES = frozenset({
    *SKLEARN_PREPROCESSOR_MODULES, *(name.rsplit(".", 1)[-1] for name in keras.KERAS_PREPROCESSORS),
})


def _may_report(index: SyntaxIndex) -> bool:
    # A fit of a preprocessor, and a save here (also in a helper of this module), a helper, factory or
    # callback builder of another project module, or a function returning what it fits (its callers,
    # anywhere in the project, may persist the result).
    return index.may_call(FIT_METHODS) and index.mentions(_PREPROCESSOR_NAMES) and (
        index.may_call(_PERSIST_NAMES) or index.imports_project_code() or _fits_in_returning_function(index)
    ) and _may_fit_a_preprocessor(index)


def _may_fit_a_preprocessor(index: SyntaxIndex) -> bool:
    """Some ``x.fit(...)`` (or another fit method) whose receiver may be a preprocessor the rule follows,
    judged in the function around it (or the module's own code)."""
    constructs = _preprocessor_constructor_test(index)
    for name in FIT_METHODS:
        for fit in index.calls.get(name, ()):
            func = fit.func
            if func.__class__ is not ast.Attribute or func.attr != name:  # type: ignore[attr-defined]
                continue  # not a method call: the rule sees no fit there
            function = index.functions_by_line().get(fit.lineno)
            if function is not None and fit.lineno < function.lineno:
                return True  # in a decorator: judged in the scope around the function, not looked into here
            if _may_fit_preprocessor(fit, function if function is not None else index.tree, index, constructs):
                return True
    return False


def _fits_in_returning_function(index: SyntaxIndex) -> bool:
    """Some module-level function (not a method, not nested) fits what may be a preprocessor and returns
    a value, both in its own body (a nested function's fit or return is that function's)."""
    lines = {call.lineno for name in FIT_METHODS for call in index.calls.get(name, ())}
    if not lines:
        return False
    constructs = _preprocessor_constructor_test(index)
    scopes = [*index.class_defs, *index.function_defs]
    for function in index.function_defs:
        start, end = function.lineno, function.end_lineno or function.lineno
        if not any(start <= line <= end for line in lines) or not index.returns_a_value_within(start, end):
            continue
        if any(other is not function and other.lineno <= start and end <= (other.end_lineno or other.lineno)
               and other.col_offset < function.col_offset for other in scopes):
            continue  # a method or a nested function: not what its module's callers get
        if _fits_and_returns(function, index, constructs):
            return True
    return False


_KERAS_PREPROCESSOR_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in keras.KERAS_PREPROCESSORS)
_SKLEARN_MODULE_WORDS = frozenset(SKLEARN_PREPROCESSOR_MODULES)


def _preprocessor_constructor_test(index: SyntaxIndex) -> Callable[[ast.Call], bool]:
    """A test of whether a call may construct a preprocessor: what the rule's origin test
    (``preprocessor_class``) could accept, read from the names the call goes through."""
    if "*" in index.imported_from:  # a star import may bring any class in
        return lambda call: True

    factories = {function.name for function in index.function_defs}

    def constructs(call: ast.Call) -> bool:
        parts = dotted_parts(call.func)
        if parts is None:
            # ``f()(x)``, ``f().g(x)``, ``table[k](x)``: a call or subscript in the chain puts ``()`` or
            # ``[]`` inside its origin, never a class path, unless the chain starts at a name whose origin
            # the analysis may replace (a local function's return, a parameter's method or attribute)
            root = _chain_root(call.func)
            return not (root.__class__ is ast.Name and _origin_is_fixed(root.id, index))  # type: ignore[attr-defined]
        root, last = parts[0], parts[-1]
        if root in index.assigned or (len(parts) == 1 and root in factories):
            return True  # a local factory, or a name the analysis follows to one
        if root in index.defined:
            return False  # a local class is no scikit-learn or Keras preprocessor
        last = index.import_aliases.get(last, last) if len(parts) == 1 else last
        if last in _KERAS_PREPROCESSOR_NAMES:
            return True
        if not last[:1].isupper():
            return False  # scikit-learn's preprocessors are classes
        return not index.path_words(parts).isdisjoint(_SKLEARN_MODULE_WORDS)

    return constructs


def _chain_root(node: ast.AST) -> ast.AST:
    """Where a chain of attributes, calls and subscripts starts (``f`` in ``f().g[0].h``)."""
    while True:
        kind = node.__class__
        if kind is ast.Attribute or kind is ast.Subscript:
            node = node.value  # type: ignore[attr-defined]
        elif kind is ast.Call:
            node = node.func  # type: ignore[attr-defined]
        else:
            return node


def _origin_is_fixed(name: str, index: SyntaxIndex) -> bool:
    """Whether a name's origin is what an import or a class of this file fixes (no function's return,
    parameter, assignment or other binding the analysis may follow elsewhere)."""
    if index.star_import or index.may_be_bound(name, defined=False):
        return False
    factories = {function.name for function in index.function_defs}
    return name not in factories and (name in index.import_bound or name in index.defined)


def _may_fit_preprocessor(fit: ast.Call, scope: ast.AST, index: SyntaxIndex,
                          constructs: Callable[[ast.Call], bool]) -> bool:
    """Whether the receiver of ``x.fit(...)`` may be a preprocessor the rule follows: a construction, or
    a name bound to one (a parameter's origin is never a class; an attribute or item is not followed).
    ``scope``: the function around the fit, or the module."""
    receiver = fit.func.value  # type: ignore[attr-defined]
    if receiver.__class__ is ast.Call:
        return constructs(receiver)
    if receiver.__class__ is ast.Name:
        name = receiver.id
        # (a name bound nowhere in the file, other than as a parameter, needs no look at the function)
        bound, value = _local_binding(index.scope_bindings(scope), name, fit) \
            if index.bound_besides_parameters(name) else (False, None)
        if bound:  # the latest binding in the function before the fit decides, as ``binding_of`` finds it
            return value is None or _may_hold_preprocessor(value, index, constructs, set())
        arguments = getattr(scope, "args", None)
        parameters: set[str] = set()
        if arguments is not None:
            parameters.update(a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs))
            parameters.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
        if name in parameters:
            return False
        if name in index.assigned:
            return _may_hold_preprocessor(receiver, index, constructs, set())
        return True  # a name of an enclosing scope: maybe
    return receiver.__class__ not in (ast.Attribute, ast.Subscript)


def _may_hold_preprocessor(value: ast.AST, index: SyntaxIndex, constructs: Callable[[ast.Call], bool],
                           seen: set[str]) -> bool:
    """Whether a value's origin (as ``FileFacts.origin`` finds it) may be a preprocessor's construction: a
    call that may construct one, a name assigned such a value anywhere (or bound in a way not followed
    here: a ``with`` target...), an attribute (a stored ``self.scaler``). An item, a conditional, an
    operation or a display has an origin that is no construction."""
    kind = value.__class__
    if kind is ast.Call:
        return constructs(value)  # type: ignore[arg-type]
    if kind is ast.Name:
        name = value.id  # type: ignore[attr-defined]
        if name in seen:
            return False
        seen.add(name)
        if name in index.bound or index.star_import:
            return True
        return any(_may_hold_preprocessor(assigned, index, constructs, seen)
                   for assigned in index.assigned.get(name, ()))
    if kind is ast.NamedExpr or kind is ast.Await:
        return _may_hold_preprocessor(value.value, index, constructs, seen)  # type: ignore[attr-defined]
    return kind is ast.Attribute


def _local_binding(bindings: Bindings, name: str, before: ast.AST) -> tuple[bool, ast.AST | None]:
    """Whether the function binds ``name`` before ``before``, and the value of the latest such binding
    when it is a plain assignment (None: a loop, ``with``, import, unpacking... or ``global``)."""
    position = (before.lineno, before.col_offset)  # type: ignore[attr-defined]
    earlier = [(where, value) for where, value in bindings.get(name, ()) if where < position]
    if not earlier:
        return False, None
    return True, max(earlier, key=lambda binding: binding[0])[1]


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _fits_and_returns(function: ast.FunctionDef | ast.AsyncFunctionDef, index: SyntaxIndex,
                      constructs: Callable[[ast.Call], bool]) -> bool:
    """Whether the function fits what may be a preprocessor and returns what may hold it (the rule asks
    whether the fitted object is among what the function's return values hold)."""
    fits: list[ast.Call] = []
    returned: list[ast.AST] = []
    pending: list[ast.AST] = list(function.body)

    while pending:
        node = pending.pop()
        if isinstance(node, _NESTED_SCOPES):
            # its body is its own; what its header evaluates (decorators, defaults, bases) is not
            pending.extend(node.decorator_list)
            pending.extend(node.bases if isinstance(node, ast.ClassDef)
                           else [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
            continue
        if node.__class__ is ast.Return:
            if node.value is not None:  # type: ignore[attr-defined]
                returned.append(node.value)  # type: ignore[attr-defined]
        elif node.__class__ is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if func.__class__ is ast.Attribute and func.attr in FIT_METHODS \
                    and _may_fit_preprocessor(node, function, index, constructs):  # type: ignore[arg-type]
                fits.append(node)  # type: ignore[arg-type]
        pending.extend(ast.iter_child_nodes(node))
    if not fits or not returned:
        return False
    calls, names = _held_by(returned, index)
    for fit in fits:
        receiver = fit.func.value  # type: ignore[attr-defined]
        if receiver.id in names if receiver.__class__ is ast.Name else fit in calls:
            return True
    return False


_BUILTIN_CONTAINERS = frozenset({"dict", "list", "tuple", "set"})
_CONTAINER_MODULE_WORDS = frozenset({"pipeline", "compose"})


def _held_by(values: list[ast.AST], index: SyntaxIndex) -> tuple[set[ast.AST], set[str]]:
    """The calls and names whose objects returned values may hold, as the rule's ``stored_parts`` and
    ``reach`` find them: inside containers and pipeline builders, and through what the names are assigned
    anywhere in the file, to a fixed point (``return bundle`` after ``bundle = {"scaler": scaler}``)."""
    calls: set[ast.AST] = set()
    names: set[str] = set()
    pending = list(values)
    while pending:
        node = pending.pop()
        kind = node.__class__
        if kind is ast.Name:
            if node.id not in names:  # type: ignore[attr-defined]
                names.add(node.id)  # type: ignore[attr-defined]
                pending.extend(index.assigned.get(node.id, ()))  # type: ignore[attr-defined]
        elif kind in (ast.List, ast.Tuple, ast.Set):
            pending.extend(node.elts)  # type: ignore[attr-defined]
        elif kind is ast.Dict:
            pending.extend(key for key in node.keys if key is not None)  # type: ignore[attr-defined]
            pending.extend(node.values)  # type: ignore[attr-defined]
        elif kind in (ast.Starred, ast.Subscript, ast.NamedExpr, ast.Await):
            pending.append(node.value)  # type: ignore[attr-defined]
        elif kind is ast.Call:
            calls.add(node)
            if _may_build_container(node, index):  # type: ignore[arg-type]
                pending.extend(node.args)  # type: ignore[attr-defined]
                pending.extend(keyword.value for keyword in node.keywords)  # type: ignore[attr-defined]
    return calls, names


def _may_build_container(call: ast.Call, index: SyntaxIndex) -> bool:
    parts = dotted_parts(call.func)
    if parts is None or "*" in index.imported_from or parts[0] in index.assigned:
        return True
    if parts[-1] in _BUILTIN_CONTAINERS or index.import_aliases.get(parts[-1]) in _BUILTIN_CONTAINERS:
        return True
    return not index.path_words(parts).isdisjoint(_CONTAINER_MODULE_WORDS)


def _result_binding(call: Call) -> Binding | None:
    """The binding of ``name`` in ``name = Preprocessor().fit(...)``."""
    name = binding_name_of_call(call.facts, call.node)
    if name is None:
        return None
    return next((b for b in call.scope.bindings.get(name, ()) if b.value is call.node), None)


@rule(
    "DET301",
    "unsaved-preprocessor",
    summary="Fitted preprocessor not saved beside the model",
    severity="error",
    imports=("sklearn", "tensorflow", "keras", "tf_keras"),
    words=("fit", "adapt"),
    needs=_may_report,
)
def unsaved_preprocessor(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    fits: list[tuple[Call, Binding | None, str]] = []
    for call in facts.calls:
        if call.method not in FIT_METHODS:
            continue
        kind = preprocessor_class(call.receiver_origin)
        if kind is None:
            continue
        receiver = call.receiver
        binding = call.receiver_binding
        if binding is None and isinstance(receiver, cst.Call) and call.method in RETURNS_SELF:
            binding = _result_binding(call)
        if binding is None and not isinstance(receiver, cst.Call):
            continue  # an attribute or subscript: we cannot follow where it goes
        fits.append((call, binding, kind))
    if not fits:
        return
    persistence = ModulePersistence(facts, ctx.project)
    persisted = persistence.persisted_bindings()
    module_saves: bool | None = None
    reported: set[int] = set()
    for call, binding, kind in fits:
        if binding is not None:
            if id(binding) in persisted or id(binding) in reported:
                continue
        returned_by = _returning_function(persistence, call, binding)
        if returned_by is not None:
            # The caller's object: persisted when a caller persists the result.
            fate = fate_of_result(ctx.project, facts.module_name or "", returned_by.name, persistence.result_fates())
            if fate.persisted:
                continue
            if not fate.caller_persists_model:
                if module_saves is None:
                    module_saves = persistence.persists_model()
                if not module_saves:
                    continue
        else:
            if module_saves is None:
                module_saves = persistence.persists_model()
            if not module_saves:
                continue
        if binding is not None:
            reported.add(id(binding))
            what = f"`{binding.name}` ({kind.rsplit('.', 1)[-1]})"
        else:
            what = f"a `{kind.rsplit('.', 1)[-1]}`"
        where = "make it part of the saved model or " if kind in _KERAS_LAYERS else ""
        state = (f"is fitted here and returned by `{returned_by.name}()`, but no caller saves it"
                 if returned_by is not None else "is fitted here but never saved")
        yield Report(
            call.node,
            f"{what} {state}, while the model is: serving would refit it on "
            f"other data and get different inputs; {where}save it next to the model "
            "(e.g. `joblib.dump`) or inside a saved Pipeline",
        )


def _returning_function(persistence: ModulePersistence, call: Call, binding: Binding | None) -> FunctionInfo | None:
    """The module-level function that returns the fitted object to its callers, if any."""
    info = call.function
    if info is None or info.class_name is not None or info.scope.parent is not persistence.facts.module_scope:
        return None
    returned = persistence.returned(info)
    if binding is not None:
        return info if id(binding) in returned.bindings else None
    # `return Scaler().fit(x)` returns the scaler; `return Scaler().fit_transform(x)` only the data
    return info if call.method in RETURNS_SELF and id(call.node) in returned.calls else None
