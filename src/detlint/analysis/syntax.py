"""What a file's code (not its strings or comments) mentions, read from the stdlib ``ast`` tree.

The engine parses every file with :mod:`ast` first (for syntax errors); this index reuses that tree
to decide, before the far costlier LibCST parse and analysis, which rules could possibly report
anything. It is deliberately an over-approximation: a rule whose ``needs`` predicate is false for
a file must be unable to report in it (``tests/test_prefilter.py`` checks that on every fixture,
example and installed library file). Where the LibCST analysis could follow a value that this
index does not (a name bound to another name), the index answers "maybe".
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from detlint.analysis.names import canonical
from detlint.knowledge.ordering import (APPENDERS, MATERIALISERS, ORDER_FREE, ORDER_FREE_METHODS, ORDERED_CONSUMERS,
                                        SET_BUILDERS, SET_METHODS, TRANSPARENT)
from detlint.knowledge.producers import NON_PROJECT_ROOTS
from detlint.knowledge.seeds import NUMPY_GLOBAL_DRAWS, PYTHON_GLOBAL_DRAWS, RANDOM_MODULES

_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
# Libraries whose names the analysis never resolves into ``random`` or ``numpy.random``.
_OTHER_LIBRARIES = NON_PROJECT_ROOTS - {"numpy", "random", "builtins"}
# Roots that are never a module of the project (the standard library's ``random`` is taken for itself,
# as everywhere in the pre-filter).
_KNOWN_LIBRARIES = NON_PROJECT_ROOTS | {"random"}
_DRAW_NAMES = NUMPY_GLOBAL_DRAWS | PYTHON_GLOBAL_DRAWS


@dataclass(frozen=True)
class Enclosing:
    """Where a node is: the innermost function definition around it, whether a lambda is around it, and
    whether any function, lambda or class is (else it runs in the module's own code)."""

    function: ast.AST | None
    in_lambda: bool
    in_scope: bool


def _builtin_names(dotted: Iterable[str]) -> frozenset[str]:
    return frozenset(name.split(".", 1)[1] for name in dotted if name.startswith("builtins."))


# Builtins whose result does not depend on the order of what they consume (``sorted``, ``any``...), and
# those that hand the order on to their own consumer (``list``, ``map``...): as ``OrderUse`` judges them.
_ORDER_FREE_BUILTINS = _builtin_names(ORDER_FREE)
_ORDER_PASSING_BUILTINS = _builtin_names([*MATERIALISERS, *TRANSPARENT])
_IN_OPERATORS = (ast.In, ast.NotIn)


@dataclass(frozen=True)
class CallShape:
    """The argument shape of one call: enough to tell whether a seed argument may be missing or None."""

    positional: int
    keywords: frozenset[str]
    star_args: bool
    double_star: bool
    none_positional: bool
    none_keywords: frozenset[str]
    method: bool  # called as ``x.name(...)``, not as a plain name
    computed_keywords: frozenset[str]  # keywords passed something other than a literal
    computed_positional: bool
    # ``"np.random"`` for ``np.random.shuffle(x)``; None for ``f(x)`` or a receiver that is not a dotted name
    receiver: str | None
    # Every ``**`` value that may hide keywords is a plain name: it may be a visible once-bound dict literal.
    double_star_names_only: bool = False
    function: str | None = None  # ``"f"`` for ``f(x)``; None for a method call or ``f()(x)``


@dataclass
class SyntaxIndex:
    """Identifiers used in code, and a few shapes the rules need."""

    # Last names of called expressions: ``f`` in ``f(x)``, ``fit`` in ``model.fit(x)``; a call
    # through an import alias counts under the imported name too.
    called: set[str] = field(default_factory=set)
    # Last names of every other name or attribute expression (``rand`` in ``r = np.random.rand``):
    # a value the analysis may follow to a call elsewhere.
    referenced: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)  # every part and alias of an imported name
    import_bound: set[str] = field(default_factory=set)  # the names imports bind (``np``; ``a`` for ``import a.b``)
    # Last names of plain names/attributes assigned or returned as values (``split = train_test_split``):
    # the analysis follows these, so a call under another name may be a call of them.
    aliased: set[str] = field(default_factory=set)
    alias_targets: dict[str, set[str]] = field(default_factory=dict)  # ``train_test_split`` -> {"split"}
    returned_names: set[str] = field(default_factory=set)  # returned plain names (``return seed``)
    returned_attributes: set[str] = field(default_factory=set)  # last names of returned attributes
    value_return_lines: list[int] = field(default_factory=list, repr=False)  # lines of ``return <value>``
    attributes: set[str] = field(default_factory=set)  # every attribute name, inner ones too (``applications``)
    keywords: set[str] = field(default_factory=set)  # keyword argument names
    imports: set[str] = field(default_factory=set)  # top-level packages imported absolutely
    defined: set[str] = field(default_factory=set)  # names of functions and classes defined here
    calls: dict[str, list[ast.Call]] = field(default_factory=dict)  # call name -> its calls
    every_call: list[ast.Call] = field(default_factory=list, repr=False)  # also ``f()(x)``, ``a[0](x)``
    # Methods called on the ``random`` / ``numpy.random`` modules (or on what is not a plain name,
    # which may be one), and functions imported from them: the draws from a global generator.
    random_module_calls: set[str] = field(default_factory=set)
    # A set built where its iteration order may be kept: passed to an ordered consumer, iterated by a
    # loop or a list/generator comprehension, assigned, unpacked (DET204's candidates).
    set_in_ordered_context: bool = False
    relative_imports: bool = False
    # Every class and function definition, nested ones too (for rules' own predicates on their shape).
    class_defs: list[ast.ClassDef] = field(default_factory=list, repr=False)
    function_defs: list[ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=list, repr=False)
    # The project's top-level packages, asked only when a rule needs them (it may walk the project).
    project_packages: Callable[[], frozenset[str]] = frozenset
    _shapes: dict[str, list[CallShape]] = field(default_factory=dict, repr=False)
    random_aliases: set[str] = field(default_factory=set)  # names that may stand for a random module
    import_aliases: dict[str, str] = field(default_factory=dict)  # local name -> imported name
    imported_from: dict[str, set[str]] = field(default_factory=dict)  # local name -> modules it is imported from
    import_paths: dict[str, set[str]] = field(default_factory=dict)  # local name -> dotted names imports bind it to
    _value_parts: dict[int, tuple[list[ast.Call], set[str]]] = field(default_factory=dict, repr=False)
    _scope_bindings: dict[int, "Bindings"] = field(default_factory=dict, repr=False)
    # name -> values assigned to it anywhere in the file (to follow a seed back to where it came from)
    assigned: dict[str, list[ast.AST]] = field(default_factory=dict, repr=False)
    tree: ast.AST | None = field(default=None, repr=False)
    # Names bound other than by an import, an assignment or as a parameter: loop, ``with``, comprehension
    # and ``del`` targets, exception and match captures, ``global``/``nonlocal`` declarations.
    bound: set[str] = field(default_factory=set, repr=False)
    parameters: set[str] = field(default_factory=set, repr=False)  # names of parameters (lambdas' too)
    path_annotation: bool = False  # some parameter's annotation mentions ``Path`` (``d: Path``, ``"os.PathLike"``)
    global_names: set[str] = field(default_factory=set, repr=False)
    star_import: bool = False
    _parents: dict[int, ast.AST | None] = field(default_factory=dict, repr=False)  # the parents asked so far
    _sorted_return_lines: list[int] | None = field(default=None, repr=False)
    _module_import_positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    _functions_by_line: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] | None = field(default=None, repr=False)
    _module_statements: list[ast.stmt] | None = field(default=None, repr=False)

    def shapes_of(self, name: str) -> list[CallShape]:
        """The argument shapes of the calls of ``name`` (computed when first asked)."""
        shapes = self._shapes.get(name)
        if shapes is None:
            shapes = self._shapes[name] = [_shape(call) for call in self.calls.get(name, ())]
        return shapes

    def may_be_module(self, dotted: str | None) -> bool:
        """Whether a method call's receiver may be an imported module (``utils`` in ``utils.shuffle(x)``),
        not an object (``rng.shuffle(x)``): its root name is imported or bound to a plain name."""
        if dotted is None:
            return False
        root = dotted.split(".", 1)[0]
        return root in self.import_bound or any(
            isinstance(value, (ast.Name, ast.Attribute)) for value in self.assigned.get(root, ()))

    def argument_values(self, names: Iterable[str], keywords: frozenset[str]) -> Iterable[ast.AST]:
        """The values passed as one of ``keywords`` or by position to the calls of ``names``."""
        for name in names:
            for call in self.calls.get(name, ()):
                yield from (a.value if a.__class__ is ast.Starred else a for a in call.args)  # type: ignore[attr-defined]
                yield from (k.value for k in call.keywords if k.arg is None or k.arg in keywords)

    def may_compute_from(self, value: ast.AST, sources: Callable[[ast.Call], bool]) -> bool:
        """Whether ``value`` may be computed from a call that passes ``sources``, directly or through
        names assigned anywhere in the file (followed back from the names it reads, to any depth)."""
        calls, names = self._calls_and_names(value)
        if any(sources(call) for call in calls):
            return True
        seen: set[str] = set()
        pending = list(names)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for assigned in self.assigned.get(name, ()):
                inner_calls, inner_names = self._calls_and_names(assigned)
                if any(sources(call) for call in inner_calls):
                    return True
                pending.extend(inner_names)
        return False

    def _calls_and_names(self, value: ast.AST) -> tuple[list[ast.Call], set[str]]:
        """The calls in ``value`` and the names it reads (found once per value: predicates ask again)."""
        found = self._value_parts.get(id(value))
        if found is None:
            found = self._value_parts[id(value)] = _calls_and_names(value)
        return found

    def path_words(self, parts: list[str]) -> set[str]:
        """The words of the paths a dotted name may come from: its own parts, the module its root is an
        alias of, and the modules its root is imported from (``preprocessing`` for ``pp.StandardScaler``
        after ``import sklearn.preprocessing as pp``, and for ``Scaler`` after ``from sklearn.preprocessing
        import StandardScaler as Scaler``)."""
        root = parts[0]
        words = {*parts, *self.import_aliases.get(root, "").split(".")}
        for module in self.imported_from.get(root, ()):
            words.update(module.split("."))
        return words

    def mentions(self, names: frozenset[str]) -> bool:
        """Whether any of ``names`` is imported, or used as a name or attribute, in the code."""
        return not (names.isdisjoint(self.imported) and names.isdisjoint(self.attributes)
                    and names.isdisjoint(self.referenced))

    def may_call(self, names: frozenset[str] | set[str]) -> bool:
        """Whether any of ``names`` may be called here (directly, through an import alias, or under a name
        it is bound to; a returned one anywhere)."""
        if not names.isdisjoint(self.called):
            return True
        bound_to = self.with_aliases(names.intersection(self.aliased))
        return bound_to is None or not self.called.isdisjoint(bound_to)

    def imports_project_code(self) -> bool:
        """Whether this file imports a module of the project (relatively or by its package name)."""
        return self.relative_imports or not self.imports.isdisjoint(self.project_packages())

    def may_call_lacking(self, names: Iterable[str], keyword: str, position: int | None = None, *,
                         method: bool | None = None, requires: str | None = None,
                         receiver: Callable[[str | None], bool] | None = None,
                         function: Callable[[str], bool] | None = None) -> bool:
        """Whether some call of ``names`` may lack ``keyword`` (or the argument at ``position``).

        ``method``: only calls of that form (``x.name()`` or ``name()``); ``requires``: only calls that
        pass that keyword; ``receiver`` and ``function``: only method calls whose receiver, and plain calls
        whose called name, pass them. Calls under the names a name is bound to count too."""
        expanded = self.with_aliases(names)
        if expanded is None:
            return True
        for name in expanded:
            for shape in self.shapes_of(name):
                if method is not None and shape.method is not method:
                    continue
                if receiver is not None and shape.method and not receiver(shape.receiver):
                    continue
                if function is not None and shape.function is not None and not function(shape.function):
                    continue
                if requires is not None and requires not in shape.keywords and not shape.double_star:
                    continue
                if keyword in shape.keywords or (shape.double_star and not shape.double_star_names_only):
                    continue
                if position is not None and (shape.positional > position or shape.star_args):
                    continue
                return True
        return False

    def with_aliases(self, names: Iterable[str]) -> list[str] | None:
        """``names`` and the names they are bound to (``split = train_test_split``), to a fixed point; None
        when one is returned (a caller may call it under any name)."""
        found = list(names)
        seen = set(found)
        pending = list(found)
        while pending:
            name = pending.pop()
            if name not in self.aliased:
                continue
            if name in self.returned_attributes or (name in self.returned_names and self._may_hold_function(name)):
                return None
            for target in self.alias_targets.get(name, ()):
                if target not in seen:
                    seen.add(target)
                    found.append(target)
                    pending.append(target)
        return found

    def calls_of(self, names: Iterable[str]) -> list[ast.Call] | None:
        """The calls of ``names`` and of the names they are bound to; None when one is returned (it may be
        called anywhere, under any name)."""
        expanded = self.with_aliases(names)
        return None if expanded is None else [call for name in expanded for call in self.calls.get(name, ())]

    def _may_hold_function(self, name: str) -> bool:
        """Whether a returned plain name may hold the function of that name: not when it is only ever a
        parameter (``def check_random_state(seed): ... return seed``)."""
        return name not in self.parameters or self.bound_besides_parameters(name)

    def names_matching(self, test: Callable[[str], bool]) -> list[str]:
        """Names that may be called here and pass ``test``."""
        return [name for group in (self.called, self.aliased) for name in group if test(name)]

    def function_names(self, call: ast.Call) -> set[str]:
        """What a plain-name call may call: the name, what it was imported as, what it was assigned."""
        func = call.func
        if not isinstance(func, ast.Name):
            return set()
        names = {func.id, self.import_aliases.get(func.id, func.id)}
        names.update(name for value in self.assigned.get(func.id, ()) if (name := _last_identifier(value)))
        return names

    def may_be_random_module(self, receiver: ast.AST) -> bool:
        """Whether a method call's receiver may be the ``random``/``numpy.random`` module: by name
        (``np.random``, an alias) or as what a local function returns (``get_random().rand()``)."""
        if isinstance(receiver, ast.Call):
            return _last_identifier(receiver.func) in self.defined
        return _last_identifier(receiver) in self.random_aliases and self._may_resolve_to_random(receiver)

    def imported_as(self, name: str) -> set[str] | None:
        """The dotted names imports bind ``name`` to, when imports are its only bindings in the file (no
        assignment, parameter, definition, other binding or star import); None otherwise."""
        paths = self.import_paths.get(name)
        if not paths or self.star_import or self.may_be_bound(name):
            return None
        return paths

    def _may_resolve_to_random(self, receiver: ast.AST) -> bool:
        """Whether a receiver named ``random`` (or an alias of one) may resolve to a random module: not
        when its root is bound only by imports of another library (``from keras.src import random``,
        ``ops.random`` with ``from keras.src import ops``), which the analysis resolves into that library."""
        dotted = _dotted(receiver)
        if dotted is None:
            return True
        paths = self.imported_as(dotted.split(".", 1)[0])
        if paths is None:
            return True  # unbound (taken for the module itself), or bound in a way not followed here
        return any(path.split(".", 1)[0] not in _OTHER_LIBRARIES for path in paths)

    def is_global_draw(self, call: ast.Call, draws: frozenset[str]) -> bool:
        """Whether a call may draw from a random module's global generator (``np.random.rand()``)."""
        func = call.func
        if isinstance(func, ast.Attribute):
            return func.attr in draws and self.may_be_random_module(func.value)
        names = self.function_names(call)
        # imported from a random module, or bound to one of its functions (``r = np.random.rand``)
        return not names.isdisjoint(draws) and (
            not names.isdisjoint(self.random_module_calls) or any(
                _last_identifier(value) in draws for value in self.assigned.get(func.id, ())))  # type: ignore[attr-defined]

    # -- parents, scopes and bindings, asked by the predicates of a few files ------------------------
    def order_discarded(self, node: ast.AST, depth: int = 0, *, container: bool = True) -> bool:
        """Whether the order of what ``node`` yields is discarded (as ``OrderUse.kept_unordered`` judges
        it): it is an argument of an order-free call (``sorted``, ``len``, ``any``, ``.union()``...),
        possibly through order-passing builtins (``sorted(list(map(str, s)))``), or the right side of ``in``;
        a built ``container`` (a list, a comprehension) also when the name it is assigned to is sorted in
        place later (a value used as it is, as a listing, is judged by each use before that sort)."""
        parent = self.parent(node)
        positional = parent.__class__ is ast.Call and any(argument is node for argument in parent.args)  # type: ignore[attr-defined]
        if parent.__class__ is ast.keyword:
            call = self.parent(parent)
        elif positional:
            call = parent
        elif parent.__class__ is ast.Compare:
            return any(comparator is node and op.__class__ in _IN_OPERATORS  # type: ignore[attr-defined]
                       for op, comparator in zip(parent.ops, parent.comparators))  # type: ignore[attr-defined]
        elif container and parent.__class__ in (ast.Assign, ast.AnnAssign) and parent.value is node:  # type: ignore[attr-defined]
            return self._sorted_later(parent)
        else:
            return False
        if call.__class__ is not ast.Call or depth > 20:
            return False
        func = call.func  # type: ignore[attr-defined]
        if func.__class__ is ast.Attribute:
            return func.attr in ORDER_FREE_METHODS
        if func.__class__ is not ast.Name or not self.is_builtin(func.id):
            return False
        if func.id in _ORDER_FREE_BUILTINS:
            return True
        return positional and func.id in _ORDER_PASSING_BUILTINS and self.order_discarded(call, depth + 1)

    def enclosing(self, node: ast.AST) -> "Enclosing":
        """The definitions around ``node``, as the analysis's scopes see them (a definition's decorators
        and defaults are inside it)."""
        function = None
        in_lambda = in_scope = False
        for ancestor in self._path_to(node):
            kind = ancestor.__class__
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                function, in_scope = ancestor, True
            elif kind is ast.Lambda:
                in_lambda = in_scope = True
            elif kind is ast.ClassDef:
                in_scope = True
        return Enclosing(function, in_lambda, in_scope)

    def known_callee(self, call: ast.Call) -> str | None:
        """The canonical dotted name of a library function the analysis surely resolves ``call`` to
        (``numpy.random.seed`` for ``np.random.seed(0)``), or None when it may resolve otherwise or not
        at all: the root name must be bound only by imports of one library name (no other binding, no
        star import), one of them at module level, and, for a call in the module's own code, before it."""
        parts = dotted_parts(call.func)
        if parts is None:
            return None
        root = parts[0]
        paths = self.imported_as(root)
        if paths is None:
            return None
        names = {canonical(".".join((path, *parts[1:]))) for path in paths}
        if len(names) != 1:
            return None
        name = names.pop()
        if name.split(".", 1)[0] not in _KNOWN_LIBRARIES:
            return None  # a project module's name may stand for anything
        first_import = self._first_module_imports().get(root)
        if first_import is None:
            return None
        if first_import < (call.lineno, call.col_offset):
            return name
        return name if self.enclosing(call).in_scope else None  # a function sees the module's later imports

    def _first_module_imports(self) -> dict[str, tuple[int, int]]:
        """Where the module's own code (not its functions' or classes') first imports each name."""
        if self._module_import_positions is None:
            found: dict[str, tuple[int, int]] = {}
            for statement in self.module_statements():
                if statement.__class__ is ast.Import or statement.__class__ is ast.ImportFrom:
                    at = (statement.lineno, statement.col_offset)
                    for alias in statement.names:  # type: ignore[attr-defined]
                        name = alias.asname or alias.name.split(".", 1)[0]
                        found[name] = min(found.get(name, at), at)
            self._module_import_positions = found
        return self._module_import_positions

    def module_statements(self) -> list[ast.stmt]:
        """The statements of the module's own code, also inside its ``if``, ``try``, ``with``... (not the
        bodies of its functions and classes: a definition is listed, its body is not)."""
        if self._module_statements is None:
            found: list[ast.stmt] = []
            pending = list(getattr(self.tree, "body", ()))
            while pending:
                statement = pending.pop()
                found.append(statement)
                if statement.__class__ not in _DEFINITION_STATEMENTS:
                    for name in _BLOCK_FIELDS:
                        pending.extend(getattr(statement, name, ()))
                    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
                        pending.extend(part.body)
            self._module_statements = found
        return self._module_statements

    def functions_by_line(self) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
        """Line -> the innermost function whose lines (decorators included) hold it; found once."""
        if self._functions_by_line is None:
            self._functions_by_line = _functions_by_line(self.function_defs)
        return self._functions_by_line

    def calls_before_in_block(self, call: ast.Call) -> list[tuple[ast.Call, bool]] | None:
        """The other calls that may run before ``call`` in its straight-line block (the statement list that
        holds its statement, as the analysis's blocks are), not in lambdas, in source order: those of the
        statements before its statement, and those of its statement that start no later than it. Each
        with whether it surely is in that block (not perhaps in an ``else: if`` test). None: not known."""
        path = self._path_to(call)
        at = next((i for i in range(len(path) - 1, 0, -1) if isinstance(path[i], ast.stmt)), None)
        if at is None:
            return None
        statement, holder = path[at], path[at - 1]
        if holder.__class__ is ast.If and statement.__class__ is ast.If \
                and statement in holder.orelse:  # type: ignore[attr-defined]
            return None  # perhaps an ``elif``, whose test the analysis places in the block of the first ``if``
        block = next((value for value in (getattr(holder, name, None) for name in _BLOCK_FIELDS)
                      if isinstance(value, list) and any(item is statement for item in value)), None)
        if block is None:
            return None
        start = (call.lineno, call.col_offset)
        found: list[tuple[ast.Call, bool]] = []
        for earlier in block:
            if earlier is statement:
                found.extend((other, exact) for other, exact in _calls_in_block(statement)
                             if other is not call and (other.lineno, other.col_offset) <= start)
                break
            found.extend(_calls_in_block(earlier))
        found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        return found

    def comprehension_iterating(self, node: ast.AST) -> ast.AST | None:
        """The comprehension (list, set, dict or generator) one of whose ``for`` clauses iterates ``node``."""
        path = self._path_to(node)  # ``comprehension`` has no span: its parent is found from the node's path
        generator = path[-1] if len(path) >= 2 else None
        if generator.__class__ is not ast.comprehension or generator.iter is not node:  # type: ignore[union-attr]
            return None
        return path[-2]

    def _sorted_later(self, assign: ast.AST) -> bool:
        """Whether the one name an assignment binds is sorted in place while it holds that value: a later
        ``name.sort()`` in the same function (or module) with no other binding of the name in between."""
        targets = assign.targets if assign.__class__ is ast.Assign else [assign.target]  # type: ignore[attr-defined]
        if len(targets) != 1 or targets[0].__class__ is not ast.Name:
            return False
        name = targets[0].id
        scope = self._scope_of(assign)
        if scope is None:
            return False
        start = (assign.lineno, assign.col_offset)  # type: ignore[attr-defined]
        bindings = self.scope_bindings(scope).get(name, ())
        if any(where == _GLOBAL for where, _ in bindings):
            return False  # declared global or nonlocal: bound in another scope
        rebound = [where for where, _ in bindings if where > start]
        for call in self.calls.get("sort", ()):
            func = call.func
            if func.__class__ is not ast.Attribute or func.value.__class__ is not ast.Name or func.value.id != name:  # type: ignore[attr-defined]
                continue
            at = (call.lineno, call.col_offset)
            if at > start and not any(where < at for where in rebound) and self._scope_of(call) is scope:
                return True
        return False

    def _scope_of(self, node: ast.AST) -> ast.AST | None:
        """The function or module whose body runs ``node`` (None: a class body, a lambda, not found)."""
        path = self._path_to(node)
        for ancestor in reversed(path):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return ancestor
            if isinstance(ancestor, (ast.ClassDef, ast.Lambda)):
                return None
        return self.tree if path else None

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent, found by descending from the module through the nodes whose source spans
        hold it (a few nodes per level: no map of the whole tree is built for the few questions asked)."""
        key = id(node)
        if key not in self._parents:
            path = self._path_to(node)
            self._parents[key] = path[-1] if path else None
        return self._parents[key]

    def _path_to(self, target: ast.AST) -> list[ast.AST]:
        """The ancestors of ``target``, from the module down; empty when it is not in the tree. Spans may
        overlap (inside f-strings every part spans the whole string), so each candidate is tried in turn."""
        span = _span(target)
        if span is None or self.tree is None:
            return []
        # (node, the chain of its ancestors as nested pairs): no list is copied per step
        pending: list[tuple[ast.AST, tuple | None]] = [(self.tree, None)]
        while pending:
            node, ancestors = pending.pop()
            children = list(ast.iter_child_nodes(node))
            if any(child is target for child in children):
                path: list[ast.AST] = [node]
                while ancestors is not None:
                    path.append(ancestors[0])
                    ancestors = ancestors[1]
                path.reverse()
                return path
            pending.extend((child, (node, ancestors)) for child in reversed(children) if _may_hold(child, span))
        return []

    def scope_bindings(self, scope: ast.AST) -> "Bindings":
        """Every binding a function's or the module's own body makes, by name (found once per scope)."""
        found = self._scope_bindings.get(id(scope))
        if found is None:
            found = self._scope_bindings[id(scope)] = _scope_bindings(scope)
        return found

    def is_builtin(self, name: str) -> bool:
        """Whether a plain name is certainly the builtin: bound nowhere in the file, and no star import."""
        return not self.may_be_bound(name) and name not in self.imported and not self.star_import

    def may_name_an_import(self, name: str) -> bool:
        """Whether a plain name may stand for something imported (bound by an import, or in some other way
        the analysis may follow), not only for a function or class of this file or for nothing at all."""
        return name in self.import_bound or self.may_be_bound(name, defined=False)

    def may_be_bound(self, name: str, *, defined: bool = True) -> bool:
        """Whether a name is bound anywhere in the file other than by an import (assigned, a parameter,
        a loop or ``with`` target, an exception or match capture, declared global...)."""
        return name in self.bound or name in self.parameters or name in self.assigned or (
            defined and name in self.defined)

    def bound_besides_parameters(self, name: str) -> bool:
        """Whether a name is bound anywhere in the file other than as a parameter (an import included)."""
        return name in self.import_bound or name in self.bound or name in self.assigned or name in self.defined

    def returns_a_value_within(self, start: int, end: int) -> bool:
        """Whether some ``return <value>`` statement starts within these lines (of any function there)."""
        lines = self._sorted_return_lines
        if lines is None:
            lines = self._sorted_return_lines = sorted(self.value_return_lines)
        at = bisect.bisect_left(lines, start)
        return at < len(lines) and lines[at] <= end

    def may_end_in_literal(self, value: ast.AST, depth: int = 0) -> bool:
        """Whether a path expression may end in literal text (what ``values.string_tail`` can read): a string,
        an f-string ending in text, ``a + "x.h5"``, ``d / "x.h5"``, a call whose last argument may
        (``os.path.join(d, "x.h5")``, ``Path("x.h5")``), or a name assigned one of those anywhere."""
        kind = value.__class__
        if depth > 20:
            return True
        if kind is ast.Constant:
            return isinstance(value.value, str)  # type: ignore[attr-defined]
        if kind is ast.JoinedStr:
            return bool(value.values) and value.values[-1].__class__ is ast.Constant  # type: ignore[attr-defined]
        if kind is ast.BinOp:
            return value.op.__class__ in (ast.Add, ast.Div) and self.may_end_in_literal(value.right, depth + 1)  # type: ignore[attr-defined]
        if kind is ast.Call:
            args = value.args  # type: ignore[attr-defined]
            return (bool(args) and args[-1].__class__ is not ast.Starred and self.may_end_in_literal(args[-1], depth + 1)) \
                or any(self.may_end_in_literal(k.value, depth + 1) for k in value.keywords)  # type: ignore[attr-defined]
        if kind is ast.Name:
            return any(self.may_end_in_literal(bound, depth + 1) for bound in self.module_values(value.id))  # type: ignore[attr-defined]
        return False

    def module_values(self, name: str) -> list[ast.AST]:
        """The values assigned to a name at module level (or anywhere after ``global name``): the module
        constants the analysis follows (``FileFacts.constant``)."""
        values = self.assigned.get(name, [])
        if not values or name in self.global_names:
            return values
        return [value for value in values if self.at_module_level(value)]

    def at_module_level(self, node: ast.AST) -> bool:
        """Whether a node is outside every function, class and lambda."""
        return not any(isinstance(ancestor, _SCOPES) for ancestor in self._path_to(node))

    def may_pass(self, names: Iterable[str], keywords: frozenset[str], *, none: bool) -> bool:
        """Whether some call of ``names`` may pass one of ``keywords`` (or any positional argument) as a
        literal ``None`` (``none=True``) or as a computed value (``none=False``), also under the names it
        is bound to."""
        expanded = self.with_aliases(names)
        if expanded is None:
            return True
        for name in expanded:
            for shape in self.shapes_of(name):
                if none and (shape.none_positional or not keywords.isdisjoint(shape.none_keywords)):
                    return True
                if not none and (shape.computed_positional or not keywords.isdisjoint(shape.computed_keywords)):
                    return True
        return False


_NO_CHILDREN = frozenset({"ctx", "op", "ops", "type_comment", "kind", "type_ignores"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _NO_CHILDREN)  # type: ignore[attr-defined]
    return fields


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _span(node: ast.AST) -> tuple[int, int, int, int] | None:
    line = getattr(node, "lineno", None)
    end = getattr(node, "end_lineno", None)
    if line is None or end is None:
        return None
    return line, node.col_offset, end, node.end_col_offset  # type: ignore[attr-defined]


def _may_hold(node: ast.AST, span: tuple[int, int, int, int]) -> bool:
    """Whether ``node``'s source span holds ``span`` (nodes without one, as ``comprehension`` or
    ``arguments``, hold it when one of their children does)."""
    own = _span(node)
    if own is None:
        return any(_may_hold(child, span) for child in ast.iter_child_nodes(node))
    start = own[:2]
    for decorator in getattr(node, "decorator_list", ()):  # a definition's span starts at ``def``/``class``
        start = min(start, (decorator.lineno, decorator.col_offset))
    return start <= span[:2] and span[2:] <= own[2:]


# The fields of a statement (or of the module, a handler, a ``case``) that hold a list of statements.
_BLOCK_FIELDS = ("body", "orelse", "finalbody")
_DEFINITION_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _calls_in_block(statement: ast.AST) -> Iterator[tuple[ast.Call, bool]]:
    """The calls a statement makes in its own block: not those in lambdas, nor in the statements nested in
    it (bodies of its own), except the test of an ``if`` that is alone in an ``else`` (perhaps an
    ``elif``, in the first ``if``'s block), given with False for "not surely in this block"."""
    pending: list[tuple[ast.AST, bool]] = [(statement, True)]
    while pending:
        node, exact = pending.pop()
        kind = node.__class__
        if kind is ast.Lambda:
            continue
        if kind is ast.Call:
            yield node, exact  # type: ignore[misc]
        orelse = node.orelse if kind is ast.If else ()  # type: ignore[attr-defined]
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                pending.append((child, exact))
            elif len(orelse) == 1 and child is orelse[0] and child.__class__ is ast.If:
                pending.append((child, False))


_CAPTURES = (ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping)


def _captured_name(node: ast.AST) -> str | None:
    """The name ``except E as e``, ``case x``, ``case [*rest]`` or ``case {**rest}`` binds."""
    return getattr(node, "name", None) or getattr(node, "rest", None)


# name -> (position, assigned value or None) of each binding in a scope's own body
Bindings = dict[str, list[tuple[tuple[int, int], "ast.AST | None"]]]
_GLOBAL = (0, 0)  # a ``global``/``nonlocal`` declaration: before everything, with no value


def _scope_bindings(scope: ast.AST) -> Bindings:
    """Every binding a function's (or the module's) own body makes (nested functions' bodies are theirs;
    their names, decorators and defaults are bound or evaluated here)."""
    found: Bindings = {}

    def add(name: str | None, node: ast.AST, value: ast.AST | None) -> None:
        if name:
            found.setdefault(name, []).append(((node.lineno, node.col_offset), value))  # type: ignore[attr-defined]

    body = scope.body  # type: ignore[attr-defined]
    pending: list[tuple[ast.AST, ast.AST | None]] = [(part, None) for part in (body if isinstance(body, list) else [body])]
    while pending:
        node, parent = pending.pop()
        kind = node.__class__
        if kind in (ast.Global, ast.Nonlocal):
            for name in node.names:  # type: ignore[attr-defined]
                found.setdefault(name, []).append((_GLOBAL, None))
        elif kind is ast.Name:
            if node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                value = None
                if parent.__class__ is ast.Assign and any(target is node for target in parent.targets):  # type: ignore[attr-defined]
                    value = parent.value  # type: ignore[attr-defined]
                elif parent.__class__ in (ast.AnnAssign, ast.NamedExpr) and parent.target is node:  # type: ignore[attr-defined]
                    value = parent.value  # type: ignore[attr-defined]
                add(node.id, node, value)  # type: ignore[attr-defined]
            continue
        elif kind in _CAPTURES:
            add(_captured_name(node), node, None)
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:  # type: ignore[attr-defined]
                add(alias.asname or alias.name.split(".", 1)[0], node, None)
        if kind in _SCOPES:
            add(getattr(node, "name", None), node, None)
            # its body is its own scope; its header (decorators, defaults, bases) is evaluated here
            header = [*getattr(node, "decorator_list", ()), *getattr(node, "bases", ()), *getattr(node, "keywords", ())]
            arguments = getattr(node, "args", None)
            if isinstance(arguments, ast.arguments):
                header.extend(d for d in (*arguments.defaults, *arguments.kw_defaults) if d is not None)
            pending.extend((child, node) for child in header)
            continue
        pending.extend((child, node) for child in ast.iter_child_nodes(node))
    return found


def _mentions_path(annotation: ast.AST) -> bool:
    """Whether an annotation's text holds ``Path`` (in a name, an attribute or a string)."""
    for node in ast.walk(annotation):
        text = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "value", None)
        if isinstance(text, str) and "Path" in text:
            return True
    return False


def dotted_parts(node: ast.AST) -> list[str] | None:
    """``["np", "random", "rand"]`` for ``np.random.rand``; None for what is not a dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def _dotted(node: ast.AST) -> str | None:
    parts = dotted_parts(node)
    return None if parts is None else ".".join(parts)


def _calls_and_names(value: ast.AST) -> tuple[list[ast.Call], set[str]]:
    """The calls ``value`` holds, and the names it reads."""
    calls: list[ast.Call] = []
    names: set[str] = set()
    pending = [value]
    while pending:  # as ``ast.walk``, without visiting contexts and operators
        node = pending.pop()
        kind = node.__class__
        if kind is ast.Name:
            names.add(node.id)  # type: ignore[attr-defined]
            continue
        if kind is ast.Call:
            calls.append(node)  # type: ignore[arg-type]
        for name in _child_fields(kind):
            child = getattr(node, name)
            if child.__class__ is list:
                pending.extend(item for item in child if isinstance(item, ast.AST))
            elif isinstance(child, ast.AST):
                pending.append(child)
    return calls, names


def _bound_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _last_identifier(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_none(node: ast.AST) -> bool:
    return node.__class__ is ast.Constant and node.value is None  # type: ignore[attr-defined]


def _shape(call: ast.Call) -> CallShape:
    method = call.func.__class__ is ast.Attribute
    receiver = _dotted(call.func.value) if method else None  # type: ignore[attr-defined]
    positional = 0
    star_args = none_positional = False
    for argument in call.args:
        if argument.__class__ is ast.Starred:
            star_args = True
        else:
            positional += 1
            none_positional = none_positional or _is_none(argument)
    keywords = {k.arg for k in call.keywords if k.arg is not None}
    double_star = False
    names_only = True
    for k in call.keywords:
        # ``**{"seed": 1}``: a visible dict literal passes its string keys; anything else may pass any.
        if k.arg is None:
            keys = k.value.keys if k.value.__class__ is ast.Dict else [None]  # type: ignore[attr-defined]
            if all(key.__class__ is ast.Constant and isinstance(key.value, str) for key in keys):  # type: ignore[union-attr]
                keywords.update(key.value for key in keys)  # type: ignore[union-attr]
            else:
                double_star = True
                names_only = names_only and k.value.__class__ is ast.Name
    none_keywords = frozenset(k.arg for k in call.keywords if k.arg is not None and _is_none(k.value))
    computed_keywords = frozenset(k.arg for k in call.keywords
                                  if k.arg is not None and k.value.__class__ is not ast.Constant)
    computed_positional = any(a.__class__ is not ast.Constant for a in call.args)
    function = call.func.id if call.func.__class__ is ast.Name else None  # type: ignore[attr-defined]
    return CallShape(positional, frozenset(keywords), star_args, double_star, none_positional, none_keywords, method,
                     computed_keywords, computed_positional, receiver, double_star and names_only, function)


class _Builder:
    def __init__(self) -> None:
        self.index = SyntaxIndex()
        self.inner: set[int] = set()  # ids of name/attribute nodes that are part of a longer expression
        self.receivers: list[tuple[ast.AST, str]] = []  # (receiver, method) of every method call
        # (receiver, name) of every attribute named as a draw, called or not (``r = np.random.rand``)
        self.drawn: list[tuple[ast.AST, str]] = []
        self.random_aliases = self.index.random_aliases  # names that may stand for a random module
        self.random_aliases.add("random")
        self.import_aliases = self.index.import_aliases
        self.value_aliases: dict[str, set[str]] = {}  # name -> last names it was bound to (``L = list``)
        self.star_random = False
        # (expression, holder): an expression in a context where its order may be kept, unless ``holder``
        # (the comprehension or call around it, or None) is consumed where order is discarded
        self.set_contexts: list[tuple[ast.AST, ast.AST | None]] = []
        self.assignments: list[tuple[list[str], ast.AST]] = []  # (target names, value)
        self.nonlocal_names: set[str] = set()
        self.loops: list[ast.AST] = []  # for loops: a set they iterate matters only if they build an order

    def build(self, tree: ast.AST) -> SyntaxIndex:
        # A hand-rolled walk: ``ast.walk`` also visits every ``Load``/``Store`` context and operator,
        # and a class-keyed dispatch keeps the common nodes (names, attributes, constants) cheap.
        index, inner, handlers = self.index, self.inner, self._handlers()
        index.tree = tree
        called, referenced, attributes = index.called, index.referenced, index.attributes
        calls: list[ast.Call] = []
        Call, Attribute, Name, Constant, AST = ast.Call, ast.Attribute, ast.Name, ast.Constant, ast.AST
        stack: list[ast.AST] = [tree]
        pop, push, extend = stack.pop, stack.append, stack.extend
        known_fields = _CHILD_FIELDS
        draw_names, drawn = _DRAW_NAMES, self.drawn
        while stack:
            node = pop()
            kind = node.__class__
            if kind is Name:
                if id(node) not in inner:
                    referenced.add(node.id)  # type: ignore[attr-defined]
                continue
            if kind is Constant:
                continue
            if kind is Attribute:
                attributes.add(node.attr)  # type: ignore[attr-defined]
                if node.attr in draw_names:  # type: ignore[attr-defined]
                    drawn.append((node.value, node.attr))  # type: ignore[attr-defined]
                inner.add(id(node.value))  # type: ignore[attr-defined]
                if id(node) not in inner:
                    referenced.add(node.attr)  # type: ignore[attr-defined]
                push(node.value)  # type: ignore[attr-defined]  # its one child node
                continue
            if kind is Call:
                calls.append(node)  # type: ignore[arg-type]
                func = node.func  # type: ignore[attr-defined]
                if func.__class__ is Attribute:
                    self.receivers.append((func.value, func.attr))
                    called.add(func.attr)
                    inner.add(id(func))
                elif func.__class__ is Name:
                    called.add(func.id)
                    inner.add(id(func))
                push(func)  # its children, pushed as the loop below would push them
                extend(node.args)  # type: ignore[attr-defined]
                extend(node.keywords)  # type: ignore[attr-defined]
                continue
            handler = handlers.get(kind)
            if handler is not None:
                handler(node)
            fields = known_fields.get(kind)
            if fields is None:
                fields = _child_fields(kind)
            for name in fields:
                value = getattr(node, name)
                if value.__class__ is list:
                    for item in value:
                        if isinstance(item, AST):
                            push(item)
                elif isinstance(value, AST):
                    push(value)
        index.every_call = calls
        self._finish(calls)
        return index

    def _handlers(self) -> dict[type, Callable[[ast.AST], None]]:
        index, contexts = self.index, self.set_contexts

        def keyword(node: ast.AST) -> None:
            if node.arg is not None:  # type: ignore[attr-defined]
                index.keywords.add(node.arg)  # type: ignore[attr-defined]

        def definition(node: ast.AST) -> None:
            index.defined.add(node.name)  # type: ignore[attr-defined]
            index.function_defs.append(node)  # type: ignore[arg-type]

        def returned(node: ast.AST) -> None:
            if node.value is not None:  # type: ignore[attr-defined]
                index.value_return_lines.append(node.lineno)  # type: ignore[attr-defined]
            name = _last_identifier(node.value) if node.value is not None else None  # type: ignore[attr-defined]
            if name:
                index.aliased.add(name)
                returned = index.returned_names if node.value.__class__ is ast.Name else index.returned_attributes  # type: ignore[attr-defined]
                returned.add(name)

        def class_definition(node: ast.AST) -> None:
            index.defined.add(node.name)  # type: ignore[attr-defined]
            index.class_defs.append(node)  # type: ignore[arg-type]

        def comprehension(node: ast.AST) -> None:
            contexts.extend((g.iter, node) for g in node.generators)  # type: ignore[attr-defined]

        bound = index.bound

        def parameter(node: ast.AST) -> None:
            index.parameters.add(node.arg)  # type: ignore[attr-defined]
            if node.annotation is not None and not index.path_annotation:  # type: ignore[attr-defined]
                index.path_annotation = _mentions_path(node.annotation)  # type: ignore[attr-defined]

        def loop(node: ast.AST) -> None:
            self.loops.append(node)
            bound.update(_bound_names(node.target))  # type: ignore[attr-defined]

        def with_item(node: ast.AST) -> None:
            contexts.append((node.context_expr, None))  # type: ignore[attr-defined]
            if node.optional_vars is not None:  # type: ignore[attr-defined]
                bound.update(_bound_names(node.optional_vars))  # type: ignore[attr-defined]

        def declared(node: ast.AST) -> None:
            bound.update(node.names)  # type: ignore[attr-defined]
            if node.__class__ is ast.Global:
                index.global_names.update(node.names)  # type: ignore[attr-defined]
            else:
                self.nonlocal_names.update(node.names)  # type: ignore[attr-defined]

        def captured(node: ast.AST) -> None:
            name = _captured_name(node)
            if name:
                bound.add(name)

        return {
            ast.arg: parameter,
            ast.comprehension: lambda node: bound.update(_bound_names(node.target)),  # type: ignore[attr-defined]
            ast.Delete: lambda node: bound.update(n for t in node.targets for n in _bound_names(t)),  # type: ignore[attr-defined]
            ast.Global: declared, ast.Nonlocal: declared,
            **{kind: captured for kind in _CAPTURES},
            ast.keyword: keyword,
            ast.Import: self._import, ast.ImportFrom: self._import,  # type: ignore[dict-item]
            ast.Assign: self._assign, ast.AnnAssign: self._assign, ast.AugAssign: self._assign,
            ast.NamedExpr: self._assign,
            ast.FunctionDef: definition, ast.AsyncFunctionDef: definition, ast.ClassDef: class_definition,
            ast.For: loop, ast.AsyncFor: loop,
            ast.ListComp: comprehension, ast.GeneratorExp: comprehension,
            ast.Starred: lambda node: contexts.append((node.value, node)),  # type: ignore[attr-defined]
            ast.Return: returned,
            ast.withitem: with_item,
        }

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        index = self.index
        if isinstance(node, ast.Import):
            for alias in node.names:
                index.imported.update(alias.name.split("."))
                index.imports.add(alias.name.split(".", 1)[0])
                index.import_bound.add(alias.asname or alias.name.split(".", 1)[0])
                index.import_paths.setdefault(alias.asname or alias.name.split(".", 1)[0], set()).add(
                    alias.name if alias.asname else alias.name.split(".", 1)[0])
                if alias.asname:
                    index.imported.add(alias.asname)
                    self.import_aliases[alias.asname] = alias.name.rsplit(".", 1)[-1]
                    if alias.name in RANDOM_MODULES:
                        self.random_aliases.add(alias.asname)
            return
        module = node.module or ""
        if any(alias.name == "*" for alias in node.names):
            index.star_import = True
        if node.level:
            index.relative_imports = True
        elif module:
            index.imports.add(module.split(".", 1)[0])
        index.imported.update(module.split("."))
        for alias in node.names:
            index.import_bound.add(alias.asname or alias.name)
            index.imported_from.setdefault(alias.asname or alias.name, set()).add("." * node.level + module)
            index.import_paths.setdefault(alias.asname or alias.name, set()).add(
                f"{'.' * node.level}{module}.{alias.name}" if module else "." * node.level + alias.name)
            index.imported.add(alias.name)
            if alias.asname:
                index.imported.add(alias.asname)
                self.import_aliases[alias.asname] = alias.name
            if module in RANDOM_MODULES or (module == "numpy" and alias.name == "random"):
                self.star_random = self.star_random or alias.name == "*"
                index.random_module_calls.add(alias.name)
                self.random_aliases.add(alias.asname or alias.name)

    def _assign(self, node: ast.AST) -> None:
        value = getattr(node, "value", None)
        if value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        # Only plain names are followed by the analysis (not ``self.x = ...`` or ``d[k] = ...``).
        names = [name for target in targets for name in _bound_names(target)]
        self.assignments.append((names, value))
        for name in names:
            self.index.assigned.setdefault(name, []).append(value)
        source = _last_identifier(value)
        if source is None or not names:
            return
        self.index.aliased.add(source)
        self.index.alias_targets.setdefault(source, set()).update(names)
        for name in names:
            self.value_aliases.setdefault(name, set()).add(source)
        if source == "random":  # ``r = np.random``: ``r.rand()`` draws
            self.random_aliases.update(names)

    def _finish(self, calls: list[ast.Call]) -> None:
        index = self.index
        aliases = self.import_aliases
        for call in calls:
            name = _last_identifier(call.func)
            if name is None:
                continue
            index.calls.setdefault(name, []).append(call)
            original = aliases.get(name)
            if original is not None and original != name:
                index.called.add(original)
                index.calls.setdefault(original, []).append(call)
            # Set constructions passed to an ordered consumer (or to a name that may alias one).
            if (name in ORDERED_CONSUMERS or (original or name) in ORDERED_CONSUMERS
                    or not ORDERED_CONSUMERS.isdisjoint(self.value_aliases.get(name, ()))):
                self.set_contexts.extend((argument, call) for argument in call.args)
                self.set_contexts.extend((k.value, call) for k in call.keywords)
        if self.star_random:  # ``from random import *``: any called name may be a draw
            index.random_module_calls |= index.called
        index.random_module_calls.update(method for receiver, method in self.receivers
                                         if index.may_be_random_module(receiver))
        # a draw function taken from a random module, to be called under another name
        index.random_module_calls.update(
            name for receiver, name in self.drawn
            if name not in index.random_module_calls and index.may_be_random_module(receiver))
        # ``set(...)``, ``builtins.set(...)``, or a name bound to one of them (``S = set``)
        builders = SET_BUILDERS | {name for name, sources in self.value_aliases.items()
                                    if not SET_BUILDERS.isdisjoint(sources)} \
            | {name for name, original in aliases.items() if original in SET_BUILDERS}
        # Names bound to a set (``labels = set(y)``) anywhere, to a fixed point through ``a = b``.
        set_variables = self._set_variables(builders)
        ordered = [expression for expression, holder in self.set_contexts
                   if _is_set(expression, builders, set_variables) and self._may_keep_order(holder)]
        ordered.extend(loop.iter for loop in self.loops  # type: ignore[attr-defined]
                       if _is_set(loop.iter, builders, set_variables) and _builds_order(loop))
        if not ordered or any(_is_set(expression, builders, _NO_VARIABLES) for expression in ordered):
            index.set_in_ordered_context = bool(ordered)
            return
        # Only through variables: a set variable of one function is not another's (as ``uses_of`` finds
        # the names that read a binding), so each variable counts only within the lines of the function
        # that binds it (the module's, or one declared global, everywhere).
        scoped = self._set_variables(builders, {line: (first_line(function), function.end_lineno or function.lineno)
                                                for line, function in index.functions_by_line().items()})
        for name in (index.global_names | self.nonlocal_names).intersection(scoped):
            scoped[name] = _EVERYWHERE  # bound for another scope: counted everywhere
        index.set_in_ordered_context = any(_is_set(expression, builders, scoped) for expression in ordered)

    def _set_variables(self, builders: set[str], lines: dict[int, tuple[int, int]] | None = None
                       ) -> "dict[str, list[tuple[int, int] | None]]":
        """Names bound to a set, each with the line spans where such a binding is visible, to a fixed point
        through ``a = b``: with ``lines`` (line -> the lines of the innermost function there), the function
        that binds it (or the module); without, everywhere (None)."""
        found: dict[str, list[tuple[int, int] | None]] = {}
        complete: set[str] = set()  # without lines: the names found (each visible everywhere)
        changed = True
        while changed:
            changed = False
            for names, value in self.assignments:
                if lines is None:
                    if complete.issuperset(names) or not _is_set(value, builders, found):
                        continue
                    complete.update(names)
                    found.update((name, _EVERYWHERE) for name in names)
                    changed = True
                    continue
                span = lines.get(value.lineno)  # type: ignore[attr-defined]
                if all(span in found.get(name, ()) for name in names) or not _is_set(value, builders, found):
                    continue
                for name in names:
                    known = found.setdefault(name, [])
                    if span not in known:
                        known.append(span)
                        changed = True
        return found

    # -- where the order of a set may be kept (``OrderUse``'s exemptions, on the stdlib tree) ----------
    def _may_keep_order(self, holder: ast.AST | None) -> bool:
        """Whether what iterates a set may keep its order: a list or tuple display it is unpacked into
        (not a set display or call arguments), a comprehension or an order-passing call (``list``,
        ``map``) unless consumed where order is discarded (``sorted(list(s))``, ``any(... for v in s)``)."""
        if holder is None:
            return True
        index = self.index
        if holder.__class__ is ast.Starred:
            parent = index.parent(holder)
            return parent is None or parent.__class__ in (ast.List, ast.Tuple)
        if holder.__class__ is ast.Call:
            func = holder.func  # type: ignore[attr-defined]
            if not (func.__class__ is ast.Name and func.id in _ORDER_PASSING_BUILTINS and index.is_builtin(func.id)):
                return True
        return not index.order_discarded(holder)


def _builds_order(loop: ast.AST) -> bool:
    """Whether a loop body (outside nested functions) appends, yields or adds to a list or counter:
    DET204's "iterated by a loop that builds an ordered result"."""
    stack = list(loop.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        kind = node.__class__
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda):
            continue
        if kind is ast.Yield or kind is ast.YieldFrom:
            return True
        if kind is ast.Call and _last_identifier(node.func) in APPENDERS:  # type: ignore[attr-defined]
            return True
        if kind is ast.AugAssign and isinstance(node.op, ast.Add):  # type: ignore[attr-defined]
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _is_set(expression: ast.AST, builders: set[str], variables: "dict[str, list[tuple[int, int] | None]]",
            depth: int = 0) -> bool:
    """Whether an expression may evaluate to a set built here, as DET204 follows one: a construction
    widened through ``|`` and ``.union()`` (a name there is no construction: ``a | b`` of two set
    variables is not followed), a variable assigned one, ``a if c else b``."""
    if depth > 20:
        return True
    kind = expression.__class__
    if kind is ast.Set or kind is ast.SetComp:
        return True
    if kind is ast.Name:
        line = expression.lineno  # type: ignore[attr-defined]
        return any(span is None or span[0] <= line <= span[1]
                   for span in variables.get(expression.id, ()))  # type: ignore[attr-defined]
    if kind is ast.Call:
        func = expression.func  # type: ignore[attr-defined]
        if func.__class__ is ast.Name and func.id in builders:
            return True
        if (func.__class__ is ast.Attribute and func.attr in SET_BUILDERS and func.value.__class__ is ast.Name
                and func.value.id == "builtins"):
            return True
        return (func.__class__ is ast.Attribute and func.attr in SET_METHODS
                and _is_set(func.value, builders, _NO_VARIABLES, depth + 1))
    if kind is ast.BinOp:
        return isinstance(expression.op, _SET_OPERATORS) and (  # type: ignore[attr-defined]
            _is_set(expression.left, builders, _NO_VARIABLES, depth + 1)  # type: ignore[attr-defined]
            or _is_set(expression.right, builders, _NO_VARIABLES, depth + 1))  # type: ignore[attr-defined]
    if kind is ast.IfExp:
        return (_is_set(expression.body, builders, variables, depth + 1)  # type: ignore[attr-defined]
                or _is_set(expression.orelse, builders, variables, depth + 1))  # type: ignore[attr-defined]
    if kind is ast.BoolOp:
        return any(_is_set(value, builders, variables, depth + 1) for value in expression.values)  # type: ignore[attr-defined]
    if kind is ast.NamedExpr:
        return _is_set(expression.value, builders, variables, depth + 1)  # type: ignore[attr-defined]
    return False


_NO_VARIABLES: dict[str, list[tuple[int, int] | None]] = {}
_EVERYWHERE: list[tuple[int, int] | None] = [None]


def first_line(function: ast.AST) -> int:
    """A definition's first line, its decorators' included."""
    decorators = getattr(function, "decorator_list", ())
    return min([function.lineno, *(decorator.lineno for decorator in decorators)])  # type: ignore[attr-defined]


def _functions_by_line(functions: list[ast.FunctionDef | ast.AsyncFunctionDef]
                       ) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Line -> the innermost function whose lines hold it, decorators included (the analysis puts a
    definition's decorators and defaults in its own scope). Lines of no function are absent."""
    owner: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    # outer functions first: a nested one, starting later, overwrites its own lines
    for function in sorted(functions, key=lambda f: (first_line(f), -(f.end_lineno or f.lineno))):
        for line in range(first_line(function), (function.end_lineno or function.lineno) + 1):
            owner[line] = function
    return owner


def build_index(tree: ast.AST) -> SyntaxIndex:
    return _Builder().build(tree)
