"""The per-file analysis: one LibCST traversal that records what every rule needs.

It resolves imports and aliases into canonical qualified names, follows simple
assignments so that ``df = pd.read_csv(...); df.sample()`` knows ``df`` came
from pandas ("value origins"), and keeps the calls, definitions, bindings and
module-level constants of the file. Rules are small functions over these facts.

We resolve names ourselves instead of using LibCST's ScopeProvider /
QualifiedNameProvider: measured on LibCST's own sources, those two providers
cost about 7x the parse itself, and they do not follow assignments, which the
rules need anyway. One visitor here does both at once.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, TypeVar

import libcst as cst

from detlint.analysis.names import canonical
from detlint.analysis.origins import Local, local_origin, parse_local

if TYPE_CHECKING:
    from detlint.analysis.attributes import SelfAttributes

_BUILTIN_NAMES = frozenset(dir(builtins))
_PARAMETER_ORIGIN = local_origin(Local.PARAMETER, "")  # ``self`` of a method: attributes kept on it
_MAX_ORIGIN_DEPTH = 40

NodeT = TypeVar("NodeT", bound=cst.CSTNode)


class _Unknown:
    """Marker: an argument may be present (hidden in ``**kwargs``)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(eq=False)
class Scope:
    node: cst.CSTNode
    parent: "Scope | None"
    kind: str  # "module" | "function" | "class" | "lambda"
    bindings: dict[str, list["Binding"]] = field(default_factory=lambda: defaultdict(list))


@dataclass(eq=False)
class Binding:
    """One binding of a name: an import, an assignment, a def, a class, a parameter, a loop or with target."""

    name: str
    kind: str
    node: cst.CSTNode
    value: cst.BaseExpression | None
    order: int
    scope: Scope
    fixed_origin: str | None = None  # for imports, defs, classes, params


@dataclass(eq=False)
class FunctionInfo:
    name: str
    node: cst.FunctionDef
    scope: Scope  # the function's own scope
    class_name: str | None
    calls: list["Call"] = field(default_factory=list)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    decorators: list[cst.BaseExpression] = field(default_factory=list)


@dataclass(eq=False)
class ClassInfo:
    name: str
    node: cst.ClassDef
    bases: list[cst.BaseExpression]
    decorators: list[cst.BaseExpression]
    methods: dict[str, cst.FunctionDef]


@dataclass(eq=False)
class Call:
    """A call expression with what rules ask about it."""

    node: cst.Call
    facts: "FileFacts"
    scope: Scope
    function: FunctionInfo | None
    withs: tuple[cst.WithItem, ...]
    statement: cst.CSTNode | None  # the innermost statement holding the call (positions read it)

    @property
    def callee(self) -> str | None:
        """Canonical origin of the called expression: ``sklearn.model_selection.train_test_split``,
        ``keras.Sequential().fit``, ``pandas.read_csv().sample``."""
        return self.facts.origin(self.node.func)

    # The class itself, not isinstance: LibCST's node classes are ABCs, whose isinstance is slow, and
    # these are asked for every call by many rules (no LibCST class derives from Attribute or Name).
    @property
    def method(self) -> str | None:
        func = self.node.func
        return func.attr.value if func.__class__ is cst.Attribute else None  # type: ignore[attr-defined]

    @property
    def receiver(self) -> cst.BaseExpression | None:
        func = self.node.func
        return func.value if func.__class__ is cst.Attribute else None  # type: ignore[attr-defined]

    @property
    def receiver_origin(self) -> str | None:
        receiver = self.receiver
        return None if receiver is None else self.facts.origin(receiver)

    @property
    def receiver_binding(self) -> Binding | None:
        receiver = self.receiver
        return self.facts.binding_of(receiver) if receiver.__class__ is cst.Name else None  # type: ignore[arg-type]

    def argument(self, keyword: str, position: int | None = None) -> cst.Arg | None:
        """The argument passed as ``keyword=`` or at ``position`` (0-based, positional only)."""
        positional = 0
        for arg in self.node.args:
            if arg.keyword is not None:
                if arg.keyword.value == keyword:
                    return arg
            elif arg.star == "":
                if position is not None and positional == position:
                    return arg
                positional += 1
        return None

    def passes(self, keyword: str, position: int | None = None) -> "cst.Arg | _Unknown | None":
        """Like :meth:`argument`, but ``UNKNOWN`` when ``**kwargs`` (or ``*args`` covering the
        position) might carry it. A visible dict literal after ``**`` is looked into."""
        found = self.argument(keyword, position)
        if found is not None:
            return found
        for arg in self.node.args:
            if arg.star == "**":
                keys = _dict_literal_keys(self._once_bound_dict(arg.value))
                if keys is None or keyword in keys:
                    return UNKNOWN
            elif arg.star == "*" and position is not None:
                return UNKNOWN
        return None

    def _once_bound_dict(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """``opts`` in ``f(**opts)`` → its dict literal when the name is bound once, to one (visible kwargs)."""
        if not isinstance(expr, cst.Name):
            return expr
        binding = self.facts.binding_of(expr)
        if binding is None or binding.kind != "assign" or not isinstance(binding.value, cst.Dict):
            return expr
        if len(binding.scope.bindings.get(expr.value, ())) != 1:
            return expr
        if not self.facts.dict_left_as_written(binding):
            return expr
        return binding.value

    def keyword_value(self, keyword: str, position: int | None = None) -> cst.BaseExpression | None:
        arg = self.argument(keyword, position)
        return None if arg is None else arg.value


def _dict_literal_keys(expr: cst.BaseExpression) -> set[str] | None:
    if isinstance(expr, cst.Dict):
        keys: set[str] = set()
        for element in expr.elements:
            if not isinstance(element, cst.DictElement):
                return None
            if not isinstance(element.key, cst.SimpleString):
                return None
            keys.add(element.key.evaluated_value)  # type: ignore[arg-type]
        return keys
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict":
        if any(a.keyword is None for a in expr.args):
            return None
        return {a.keyword.value for a in expr.args if a.keyword is not None}
    return None


# Uses of a dict that cannot change it: non-mutating methods and builtins that only read their argument.
_DICT_READING_METHODS = frozenset({"get", "keys", "values", "items", "copy"})
_DICT_READING_CALLS = frozenset({"builtins." + n for n in (
    "len", "print", "repr", "str", "list", "tuple", "sorted", "dict", "set", "bool", "isinstance")})


def _reads_dict_only(facts: "FileFacts", name: cst.Name) -> bool:
    parent = facts.parent(name)
    if isinstance(parent, cst.Arg):
        if parent.star == "**":
            return True
        call = facts.parent(parent)
        return parent.keyword is not name and isinstance(call, cst.Call) and not parent.star \
            and facts.origin(call.func) in _DICT_READING_CALLS
    if isinstance(parent, cst.Attribute):
        return parent.attr is name or (parent.attr.value in _DICT_READING_METHODS and facts.is_called(parent))
    if isinstance(parent, cst.Subscript):  # a read ``opts[k]``, not a store or a ``del``
        holder = facts.parent(parent)
        return not isinstance(holder, (cst.AssignTarget, cst.Del, cst.AugAssign, cst.AnnAssign, cst.Element))
    if isinstance(parent, cst.ComparisonTarget):
        return isinstance(parent.operator, (cst.In, cst.NotIn))
    return isinstance(parent, cst.FormattedStringExpression)


class FileFacts:
    """Everything the rules know about one file."""

    def __init__(self, module: cst.Module, path: str, module_name: str | None = None) -> None:
        self.module = module
        self.path = path
        self.module_name = module_name
        self.calls: list[Call] = []
        self.functions: list[FunctionInfo] = []
        self.classes: list[ClassInfo] = []
        self.imports: set[str] = set()
        self.module_scope: Scope = Scope(module, None, "module")
        self._parents: dict[int, cst.CSTNode] = {}
        self._order: dict[int, int] = {}
        self._name_scope: dict[int, Scope] = {}
        self._by_type: dict[type, list[cst.CSTNode]] = defaultdict(list)
        self._origin_cache: dict[int, str | None] = {}
        self._function_by_node: dict[int, FunctionInfo] = {}
        self._dicts_as_written: dict[int, bool] = {}
        self.self_attributes: SelfAttributes | None = None  # built on first use
        self.registered_names: frozenset[str] | None = None  # custom-object names, found on first use (ml)
        _Collector(self).collect()

    # -- queries -------------------------------------------------------------
    @property
    def imported_roots(self) -> set[str]:
        return {name.split(".", 1)[0] for name in self.imports}

    def imports_any(self, *roots: str) -> bool:
        mine = self.imported_roots
        return any(r in mine for r in roots)

    def nodes(self, node_type: type[NodeT]) -> list[NodeT]:
        """All nodes of a type, in source order."""
        return self._by_type.get(node_type, [])  # type: ignore[return-value]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(id(node))

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self._parents.get(id(node))
        while current is not None:
            yield current
            current = self._parents.get(id(current))

    def order(self, node: cst.CSTNode) -> int:
        return self._order.get(id(node), -1)

    def function_info(self, node: cst.FunctionDef) -> FunctionInfo | None:
        return self._function_by_node.get(id(node))

    def constant(self, name: str) -> cst.BaseExpression | None:
        """The value of a module-level name assigned exactly once (``SEED = 42``)."""
        bindings = self.module_scope.bindings.get(name)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
            return None
        return bindings[0].value

    def scope_of(self, name: cst.Name) -> Scope | None:
        """The innermost scope a (variable) name occurs in."""
        return self._name_scope.get(id(name))

    def binding_of(self, name: cst.Name) -> Binding | None:
        """The binding a name refers to at its place in the code (the latest one before it)."""
        scope = self._name_scope.get(id(name))
        if scope is None:
            return None
        order = self.order(name)
        own = True
        while scope is not None:
            if own or scope.kind != "class":
                candidates = scope.bindings.get(name.value)
                if candidates:
                    before = [b for b in candidates if b.order < order]
                    if before:
                        return before[-1]
                    if not own:
                        return candidates[-1]
            scope = scope.parent
            own = False
        return None

    def origin(self, expr: cst.CSTNode) -> str | None:
        """Where a value comes from, as a canonical dotted string (see module docstring)."""
        key = id(expr)
        if key in self._origin_cache:
            return self._origin_cache[key]
        self._origin_cache[key] = None  # guards against cycles
        result = self._compute_origin(expr, 0)
        self._origin_cache[key] = result
        return result

    def _compute_origin(self, expr: cst.CSTNode, depth: int) -> str | None:
        if depth > _MAX_ORIGIN_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            binding = self.binding_of(expr)
            if binding is None:
                return f"builtins.{expr.value}" if expr.value in _BUILTIN_NAMES else None
            if binding.fixed_origin is not None:
                return binding.fixed_origin
            if binding.value is None:
                return None
            if binding.kind == "loop":
                base = self.origin(binding.value)
                return None if base is None else base + "[]"
            if binding.kind == "unpack":
                base = self.origin(binding.value)
                return None if base is None else base + "[]"
            return self.origin(binding.value)
        if isinstance(expr, cst.Attribute):
            base = self.origin(expr.value)
            if base is not None and isinstance(expr.value, cst.Name) and base.startswith(_PARAMETER_ORIGIN):
                from detlint.analysis.attributes import stored_attribute_origin  # it builds on this module

                stored = stored_attribute_origin(self, expr)
                if stored is not None:
                    return stored
            return None if base is None else canonical(f"{base}.{expr.attr.value}")
        if isinstance(expr, cst.Call):
            func_origin = self.origin(expr.func)
            if func_origin is None:
                return None
            local = parse_local(func_origin)
            if local is not None and local.kind is Local.FUNCTION and "." not in local.rest:
                returned = self._function_return_origin(local.text, expr)
                if returned is not None:
                    return returned
            if local is not None and local.kind is Local.PARAMETER and isinstance(expr.func, cst.Attribute) \
                    and isinstance(expr.func.value, cst.Name):
                from detlint.analysis.attributes import method_return_origin  # it builds on this module

                returned = method_return_origin(self, expr.func)
                if returned is not None:
                    return returned
            return func_origin + "()"
        if isinstance(expr, cst.Subscript):
            base = self.origin(expr.value)
            return None if base is None else base + "[]"
        if isinstance(expr, cst.Await):
            return self.origin(expr.expression)
        if isinstance(expr, cst.NamedExpr):
            return self.origin(expr.value)
        return None

    def _function_return_origin(self, name: str, call: cst.Call) -> str | None:
        func = call.func
        binding = self.binding_of(func) if isinstance(func, cst.Name) else None
        if binding is None or binding.kind != "def":
            return None
        info = self._function_by_node.get(id(binding.node))
        if info is None:
            return None
        for value in info.returns:
            found = self.origin(value)
            if found is not None:
                return found
        return None

    def dict_left_as_written(self, binding: Binding) -> bool:
        """Whether a name bound to a dict literal only ever reads it: no item stored or deleted, no
        mutating method, not handed to code that could change it (``f(opts)``, ``alias = opts``)."""
        known = self._dicts_as_written.get(id(binding))
        if known is None:
            known = all(_reads_dict_only(self, name) for name in self.nodes(cst.Name)
                        if name.value == binding.name and name is not binding.node and self.binding_of(name) is binding)
            self._dicts_as_written[id(binding)] = known
        return known

    def is_called(self, expr: cst.CSTNode) -> bool:
        parent = self.parent(expr)
        return isinstance(parent, cst.Call) and parent.func is expr


# Fields that hold only whitespace, punctuation or comments: not walked (suppressions are read
# with the tokenizer). Skipping them is most of why our walk costs a fraction of LibCST's
# visitor, which also rebuilds every node it visits.
_SKIPPED_FIELDS = frozenset({
    "lpar", "rpar", "comma", "semicolon", "equal", "colon", "dot", "leading_lines", "lines_after_decorators",
    "header", "footer", "newline", "trailing_whitespace", "first_line", "empty_lines", "indent",
})
# Fields in source order (the order of LibCST's ``children``) where the dataclass order differs.
_FIELD_ORDER: dict[type, tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Arg: ("keyword", "value"),
    cst.Parameters: ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.TypeAlias: ("name", "type_parameters", "value"),
}
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(node_type)
    if names is None:
        names = _FIELD_ORDER.get(node_type) or tuple(
            f.name for f in dataclasses.fields(node_type)
            if not f.name.startswith("whitespace") and f.name not in _SKIPPED_FIELDS
        )
        _CHILD_FIELDS[node_type] = names
    return names


_NODE_TYPES: dict[type, bool] = {}


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of ``node`` as LibCST's ``children`` gives them, less whitespace, comments and most
    punctuation (the fields the facts walk skips), those that hold code in the same order; without
    rebuilding ``node`` as ``children`` does (a copy per call)."""
    return _children_in(node, _child_fields(type(node)))


def _children_in(node: cst.CSTNode, fields: tuple[str, ...]) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    node_types = _NODE_TYPES
    for field_name in fields:
        value = getattr(node, field_name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            for item in value:
                item_type = type(item)
                is_node = node_types.get(item_type)
                if is_node or (is_node is None and _is_node_type(item_type)):
                    found.append(item)
        else:
            is_node = node_types.get(value_type)
            if is_node or (is_node is None and _is_node_type(value_type)):
                found.append(value)
    return found


def _is_node_type(value_type: type) -> bool:
    # isinstance against CSTNode (an ABC) is slow; the answer per type never changes
    found = _NODE_TYPES.get(value_type)
    if found is None:
        found = _NODE_TYPES[value_type] = issubclass(value_type, cst.CSTNode)
    return found


class _Collector:
    """Single traversal that fills a :class:`FileFacts` (``visit_X``/``leave_X`` methods per node type)."""

    def __init__(self, facts: FileFacts) -> None:
        self.f = facts
        # node type -> (visit, leave, child fields, is a statement): looked up once per type
        self._dispatch: dict[type, tuple[Any, Any, tuple[str, ...], bool]] = {}
        self.statements: list[cst.CSTNode] = []
        self.scopes: list[Scope] = [facts.module_scope]
        self.functions: list[FunctionInfo | None] = [None]
        self.withs: list[cst.WithItem] = []
        self.not_variables: set[int] = set()
        self.counter = 0

    def collect(self) -> None:
        facts = self.f
        self._walk(facts.module, None, facts._order, facts._parents, facts._by_type)

    def _walk(self, node: cst.CSTNode, parent: cst.CSTNode | None, order: dict[int, int],
              parents: dict[int, cst.CSTNode], by_type: dict[type, list[cst.CSTNode]]) -> None:
        node_type = type(node)
        handlers = self._dispatch.get(node_type)
        if handlers is None:
            name = node_type.__name__
            handlers = (getattr(self, f"visit_{name}", None), getattr(self, f"leave_{name}", None),
                        _child_fields(node_type),
                        issubclass(node_type, (cst.SimpleStatementLine, cst.BaseCompoundStatement)))
            self._dispatch[node_type] = handlers
        visit, leave, fields, is_statement = handlers
        self.counter += 1
        key = id(node)
        order[key] = self.counter
        if parent is not None:
            parents[key] = parent
        by_type[node_type].append(node)
        if is_statement:
            self.statements.append(node)
        if visit is not None:
            visit(node)
        walk = self._walk
        node_types = _NODE_TYPES
        for field_name in fields:  # ``_children_in``, inline: it runs for every node
            value = getattr(node, field_name)
            value_type = type(value)
            if value_type is tuple or value_type is list:
                for item in value:
                    is_node = node_types.get(type(item))
                    if is_node or (is_node is None and _is_node_type(type(item))):
                        walk(item, node, order, parents, by_type)
            else:
                is_node = node_types.get(value_type)
                if is_node or (is_node is None and _is_node_type(value_type)):
                    walk(value, node, order, parents, by_type)
        if leave is not None:
            leave(node)
        if is_statement:
            self.statements.pop()

    def _bind(self, name: str, kind: str, node: cst.CSTNode, value: cst.BaseExpression | None,
              fixed_origin: str | None = None, scope: Scope | None = None) -> Binding:
        target_scope = scope or self.scopes[-1]
        binding = Binding(name, kind, node, value, self.counter, target_scope, fixed_origin)
        target_scope.bindings[name].append(binding)
        return binding

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None, kind: str) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, kind, target, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                inner = element.value
                if isinstance(inner, cst.StarredElement):
                    inner = inner.value
                self._bind_target(inner, value, "unpack" if kind == "assign" else kind)

    # -- names and scopes ---------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self.not_variables:
            self.f._name_scope[id(node)] = self.scopes[-1]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_variables.add(id(node.attr))  # the `seed` of `cfg.seed` is no variable

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_variables.add(id(node.keyword))  # nor is the `seed` of `f(seed=1)`

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            self.f.imports.add(canonical(dotted))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, "import", node, None, canonical(dotted))
            else:
                top = dotted.split(".", 1)[0]
                self.f.imports.add(top)
                self._bind(top, "import", node, None, top)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = dotted_name(node.module) if node.module is not None else ""
        dots = "." * len(node.relative)
        module = f"{dots}{base or ''}"
        if module and not dots:
            self.f.imports.add(canonical(module))
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            separator = "" if module.endswith(".") or not module else "."
            qualified = f"{module}{separator}{name}"
            qualified = qualified if dots else canonical(qualified)
            self.f.imports.add(qualified)
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            self._bind(local, "import", node, None, qualified)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scopes[-1]
        class_name = outer.node.name.value if outer.kind == "class" else None  # type: ignore[attr-defined]
        scope = Scope(node, outer, "function")
        info = FunctionInfo(node.name.value, node, scope, class_name,
                            decorators=[d.decorator for d in node.decorators])
        self.f.functions.append(info)
        self.f._function_by_node[id(node)] = info
        origin = local_origin(Local.FUNCTION, node.name.value) if outer.kind == "module" else None
        self._bind(node.name.value, "def", node, None, origin)
        self.scopes.append(scope)
        self.functions.append(info)
        for param in _all_params(node.params):
            self._bind(param.name.value, "param", param, None, local_origin(Local.PARAMETER, param.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.functions.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        scope = Scope(node, self.scopes[-1], "lambda")
        self.scopes.append(scope)
        for param in _all_params(node.params):
            self._bind(param.name.value, "param", param, None, local_origin(Local.PARAMETER, param.name.value))

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        methods = {
            stmt.name.value: stmt
            for stmt in (node.body.body if isinstance(node.body, cst.IndentedBlock) else ())
            if isinstance(stmt, cst.FunctionDef)
        }
        self.f.classes.append(ClassInfo(node.name.value, node, [a.value for a in node.bases if a.keyword is None],
                                        [d.decorator for d in node.decorators], methods))
        self._bind(node.name.value, "class", node, None, local_origin(Local.CLASS, node.name.value))
        self.scopes.append(Scope(node, self.scopes[-1], "class"))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    # -- assignments ------------------------------------------------------------
    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._bind_target(target.target, original_node.value, "assign")

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._bind_target(original_node.target, original_node.value, "assign")

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        if isinstance(original_node.target, cst.Name):
            # x += ... keeps x's kind of value; record that it was rebound.
            self._bind(original_node.target.value, "augassign", original_node, original_node.target)

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        self._bind_target(original_node.target, original_node.value, "assign")

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, node.iter, "loop")

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target, node.iter, "loop")

    def visit_WithItem(self, node: cst.WithItem) -> None:
        self.withs.append(node)

    def leave_WithItem(self, original_node: cst.WithItem) -> None:
        if original_node.asname is not None:
            self._bind_target(original_node.asname.name, original_node.item, "with")

    def leave_With(self, original_node: cst.With) -> None:
        del self.withs[len(self.withs) - len(original_node.items):]

    def visit_Return(self, node: cst.Return) -> None:
        info = self.functions[-1]
        if info is not None and node.value is not None:
            info.returns.append(node.value)

    # -- calls ------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        info = self.functions[-1]
        call = Call(node, self.f, self.scopes[-1], info, tuple(self.withs),
                    self.statements[-1] if self.statements else None)
        self.f.calls.append(call)
        if info is not None:
            info.calls.append(call)


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _all_params(params: cst.Parameters) -> Iterable[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    if params.star_kwarg is not None:
        yield params.star_kwarg
