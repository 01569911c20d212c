"""DET204 set-order-dependence and DET205 unsorted-file-listing: an ordered result built from an
iteration whose order is arbitrary (a set, a directory listing).

Both rules ask one question of an expression: does the order in which it yields its items reach
something ordered (a list, an index, a position, a pairing by position)? :class:`OrderUse` answers
it by looking at the expression's parents, following names it is assigned to, and treating lazy
wrappers (``map``, generator expressions, ``iter``) as transparent.
"""

from __future__ import annotations

from typing import Iterator, Literal

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.values import literal
from detlint.knowledge import data, keras, ordering, seeds
from detlint.rule import FixEdit, InsertAfter, Replace, Report, RuleContext, rule

Kind = Literal["set", "listing"]

_MAX_DEPTH = 8

_SET_OPERATORS = (cst.BitOr, cst.BitAnd, cst.Subtract, cst.BitXor)
_SCOPE_NODES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def _short(callee: str) -> str:
    """``sklearn.model_selection.train_test_split`` → ``train_test_split``; ``class:Gen`` → ``Gen``."""
    return callee.rsplit(".", 1)[-1].replace("()", "").split(":", 1)[-1]


def _positional_index(call: cst.Call, arg: cst.Arg) -> int | None:
    index = 0
    for candidate in call.args:
        if candidate.keyword is not None or candidate.star:
            if candidate is arg:
                return None
            continue
        if candidate is arg:
            return index
        index += 1
    return None


class OrderUse:
    """Answers whether (and how) the iteration order of an expression reaches something ordered."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self._builder_loops: set[int] | None = None
        self._sorted_attributes: set[str] | None = None
        self._names: dict[str, list[cst.Name]] | None = None

    # -- the question ----------------------------------------------------------
    def use(self, node: cst.CSTNode, kind: Kind, depth: int = 0) -> str | None:
        """How the order of ``node``'s items is used, as a phrase for a message; None when it is
        discarded, fixed by sorting, or not known to matter."""
        facts = self.facts
        parent = facts.parent(node)
        if parent is None or depth > _MAX_DEPTH:
            return None
        if isinstance(parent, cst.IfExp) and node is not parent.test:
            return self.use(parent, kind, depth + 1)
        if isinstance(parent, cst.BooleanOperation):
            return self.use(parent, kind, depth + 1)
        if kind == "listing" and isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
            return self.use(parent, kind, depth + 1)  # two listings concatenated
        if isinstance(parent, cst.Arg):
            call = facts.parent(parent)
            if isinstance(call, cst.Call) and parent.value is node and not parent.star:
                return self._argument_use(call, parent, kind, depth)
            return None
        if isinstance(parent, cst.StarredElement):
            container = facts.parent(parent)
            if isinstance(container, (cst.List, cst.Tuple)) and not self.kept_unordered(container):
                return "unpacked into a list"
            return None
        if isinstance(parent, cst.Subscript) and parent.value is node and kind == "listing":
            return "indexed"
        if isinstance(parent, cst.For) and parent.iter is node:
            return "iterated by a loop that builds an ordered result" if self.builds_ordered(parent) else None
        if isinstance(parent, cst.CompFor) and parent.iter is node:
            return self._comprehension_use(parent, kind, depth)
        if kind == "listing":
            if isinstance(parent, cst.Return) and parent.value is node:
                return "returned"
            if isinstance(parent, cst.Yield) and parent.value is node:
                return "yielded"
            if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in ("index", "pop"):
                return f"searched by position with `.{parent.attr.value}()`"
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            return self._assigned_use(parent, kind, depth)
        if isinstance(parent, cst.WithItem) and parent.item is node and parent.asname is not None:
            target = parent.asname.name
            return self.name_use(target, kind, depth + 1) if isinstance(target, cst.Name) else None
        return None

    def _argument_use(self, call: cst.Call, arg: cst.Arg, kind: Kind, depth: int) -> str | None:
        facts = self.facts
        callee = facts.origin(call.func) or ""
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
        if callee in ordering.ORDER_FREE or method in ordering.ORDER_FREE_METHODS:
            return None
        container = ordering.MATERIALISERS.get(callee) or (ordering.LISTING_MATERIALISERS.get(callee) if kind == "listing" else None)
        if container is not None:
            return None if self.kept_unordered(call) else f"turned into {container}"
        if callee in ordering.POSITIONAL:
            return f"passed to `{_short(callee)}`"
        if callee in ordering.TRANSPARENT:
            return self.use(call, kind, depth + 1)
        if callee == "builtins.next":
            return "reduced to its first item by `next`"
        if callee == "itertools.islice":
            return "sliced by `islice`"
        if method == "join" and not callee.startswith(data.PATH_MODULE_PREFIXES) and _positional_index(call, arg) == 0:
            return "joined into a string"
        if kind != "listing":
            return None
        if callee in seeds.RANDOM_PICKERS or callee.startswith("sklearn.model_selection."):
            return f"passed to `{_short(callee)}`"
        receiver = facts.origin(call.func.value) if isinstance(call.func, cst.Attribute) else None
        if receiver and method in seeds.RNG_METHODS and receiver.startswith(("numpy.random.", "random.Random(")):
            return f"passed to `{method}`"
        if receiver and method == "split" and receiver.startswith("sklearn.model_selection."):
            return "passed to a split"
        if self._is_data_generator(callee):
            return f"passed to the data generator `{_short(callee)}`"
        return None

    def _comprehension_use(self, comp_for: cst.CompFor, kind: Kind, depth: int) -> str | None:
        comprehension: cst.CSTNode | None = comp_for
        while isinstance(comprehension, cst.CompFor):
            comprehension = self.facts.parent(comprehension)
        if isinstance(comprehension, cst.ListComp):
            return None if self.kept_unordered(comprehension) else "iterated by a list comprehension"
        if isinstance(comprehension, cst.GeneratorExp):
            return self.use(comprehension, kind, depth + 1)
        return None  # set and dict comprehensions: a dict keyed by the item does not depend on order

    def _assigned_use(self, assign: cst.Assign | cst.AnnAssign, kind: Kind, depth: int) -> str | None:
        targets = [t.target for t in assign.targets] if isinstance(assign, cst.Assign) else [assign.target]
        for target in targets:
            if isinstance(target, cst.Name):
                found = self.name_use(target, kind, depth + 1)
            elif kind != "listing":
                found = None
            elif isinstance(target, cst.Attribute):
                found = None if self.attribute_sorted(target) else self._attribute_use(target, kind, depth)
            elif isinstance(target, (cst.Tuple, cst.List)):
                found = "unpacked by position"
            else:
                found = None
            if found is not None:
                return found
        return None

    def _attribute_use(self, target: cst.Attribute, kind: Kind, depth: int) -> str | None:
        """The ordered use of a value stored in an attribute (``self.files``), wherever the same
        attribute is read in the module."""
        facts = self.facts
        code = facts.module.code_for_node(target).strip()
        for attribute in facts.nodes(cst.Attribute):
            if attribute is target or attribute.attr.value != target.attr.value:
                continue
            if isinstance(facts.parent(attribute), cst.AssignTarget):
                continue
            if facts.module.code_for_node(attribute).strip() != code:
                continue
            found = self.use(attribute, kind, depth + 1)
            if found is not None:
                return f"stored in `{code}`, which is {found}"
        return None

    def name_use(self, target: cst.Name, kind: Kind, depth: int = 0) -> str | None:
        """How the value bound to ``target`` is used in order, up to a later ``.sort()`` of it."""
        uses = self.uses_of(target)
        sorted_at = min((self.facts.order(u) for u in uses if self.is_sort_receiver(u)), default=None)
        for used in uses:
            if sorted_at is not None and self.facts.order(used) >= sorted_at:
                continue
            found = self.use(used, kind, depth + 1)
            if found is not None:
                return found
        return None

    # -- exemptions ---------------------------------------------------------------
    def kept_unordered(self, node: cst.CSTNode) -> bool:
        """Whether a built container's order is discarded (``len``, ``set``, ``in``...) or fixed
        (``sorted(...)``, a later ``.sort()`` on the name it is bound to)."""
        facts = self.facts
        parent = facts.parent(node)
        if isinstance(parent, cst.Arg):
            call = facts.parent(parent)
            if not isinstance(call, cst.Call):
                return False
            if isinstance(call.func, cst.Attribute) and call.func.attr.value in ordering.ORDER_FREE_METHODS:
                return True
            return facts.origin(call.func) in ordering.ORDER_FREE
        if isinstance(parent, cst.ComparisonTarget) and isinstance(parent.operator, (cst.In, cst.NotIn)):
            return True
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if len(targets) == 1:
                target = targets[0]
                if isinstance(target, cst.Name):
                    return any(self.is_sort_receiver(u) for u in self.uses_of(target))
                if isinstance(target, cst.Attribute):
                    return self.attribute_sorted(target)
        return False

    def is_sort_receiver(self, name: cst.CSTNode) -> bool:
        attribute = self.facts.parent(name)
        return (isinstance(attribute, cst.Attribute) and attribute.value is name and attribute.attr.value == "sort"
                and self.facts.is_called(attribute))

    def attribute_sorted(self, target: cst.BaseExpression) -> bool:
        """``self.files.sort()`` somewhere in the module, for a value stored in ``self.files``."""
        if self._sorted_attributes is None:
            code = self.facts.module.code_for_node
            self._sorted_attributes = {
                code(c.receiver).strip() for c in self.facts.calls
                if c.method == "sort" and isinstance(c.receiver, (cst.Attribute, cst.Subscript))
            }
        return self.facts.module.code_for_node(target).strip() in self._sorted_attributes

    # -- names ---------------------------------------------------------------------
    def names(self, value: str) -> list[cst.Name]:
        """Every ``Name`` node spelled ``value``, in source order."""
        if self._names is None:
            self._names = {}
            for name in self.facts.nodes(cst.Name):
                self._names.setdefault(name.value, []).append(name)
        return self._names.get(value, [])

    def uses_of(self, target: cst.Name) -> list[cst.Name]:
        """The names that read the binding made by ``target``, in source order."""
        facts = self.facts
        found = []
        for name in self.names(target.value):
            if name is target:
                continue
            parent = facts.parent(name)
            if isinstance(parent, cst.Attribute) and parent.attr is name:
                continue
            if isinstance(parent, cst.Arg) and parent.keyword is name:
                continue
            binding = facts.binding_of(name)
            if binding is not None and binding.node is target:
                found.append(name)
        return found

    # -- loops -----------------------------------------------------------------------
    def builds_ordered(self, loop: cst.For) -> bool:
        """Whether the loop body appends to a list, yields, concatenates arrays or counts positions
        (per-item side effects such as copying or printing do not count)."""
        if self._builder_loops is None:
            self._builder_loops = self._find_builder_loops()
        return id(loop) in self._builder_loops

    def _find_builder_loops(self) -> set[int]:
        facts = self.facts
        builders: list[cst.CSTNode] = []
        sorted_bindings = {
            id(b) for c in facts.calls
            if c.method == "sort" and (b := c.receiver_binding) is not None
        }
        for call in facts.calls:
            if call.method in ordering.APPEND_METHODS:
                binding = call.receiver_binding
                if binding is not None and id(binding) in sorted_bindings:
                    continue  # the collected list is sorted afterwards
                if isinstance(call.receiver, cst.Attribute) and self.attribute_sorted(call.receiver):
                    continue
                builders.append(call.node)
            elif call.callee in ordering.ORDERED_BUILDERS:
                builders.append(call.node)
        builders.extend(facts.nodes(cst.Yield))
        loops: set[int] = set()
        for augmented in facts.nodes(cst.AugAssign):
            if not isinstance(augmented.operator, cst.AddAssign):
                continue
            if isinstance(augmented.value, (cst.List, cst.Tuple, cst.ListComp)):
                builders.append(augmented)
            elif isinstance(augmented.value, cst.Integer) and isinstance(augmented.target, cst.Name):
                # a position counter: it builds a mapping from positions when the loop also reads it
                for loop in self._loops_around(augmented):
                    if self._reads_in(loop.body, augmented.target):
                        loops.add(id(loop))
        for node in builders:
            loops.update(id(loop) for loop in self._loops_around(node))
        return loops

    def _loops_around(self, node: cst.CSTNode) -> Iterator[cst.For]:
        """The ``for`` loops whose body (in the same function) contains ``node``."""
        previous = node
        for ancestor in self.facts.ancestors(node):
            if isinstance(ancestor, _SCOPE_NODES):
                return
            if isinstance(ancestor, cst.For) and previous is ancestor.body:
                yield ancestor
            previous = ancestor

    def _reads_in(self, block: cst.CSTNode, counter: cst.Name) -> bool:
        facts = self.facts
        for name in self.names(counter.value):
            if name is counter:
                continue
            parent = facts.parent(name)
            if isinstance(parent, cst.Attribute) and parent.attr is name:
                continue
            if self._is_store(name):
                continue  # reset or incremented, not read
            if any(a is block for a in facts.ancestors(name)):
                return True
        return False

    def _is_store(self, name: cst.Name) -> bool:
        """Whether a name is written (``x = ...``, ``a, x = ...``, ``x += 1``), not read."""
        node: cst.CSTNode = name
        parent = self.facts.parent(node)
        while isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
            node, parent = parent, self.facts.parent(parent)
        if isinstance(parent, cst.AugAssign):
            return parent.target is node
        return isinstance(parent, (cst.AssignTarget, cst.For, cst.CompFor)) and getattr(parent, "target", None) is node

    def _is_data_generator(self, callee: str) -> bool:
        if not callee:
            return False
        name = _short(callee)
        if callee.startswith("class:"):
            info = next((c for c in self.facts.classes if c.name == name), None)
            if info is not None:
                bases = {self.facts.origin(b) for b in info.bases}
                if bases & keras.GENERATOR_BASES:
                    return True
        return name.endswith(keras.GENERATOR_SUFFIXES) and name[:1].isupper()


def _sorted_is_shadowed(facts: FileFacts) -> bool:
    if facts.module_scope.bindings.get("sorted"):
        return True
    return any(info.scope.bindings.get("sorted") for info in facts.functions)


def _sorted_replacement(facts: FileFacts, node: cst.CSTNode, key: str = "") -> FixEdit:
    """``sorted(<node>)``, replacing a ``list(<node>)`` around it (same type, less noise)."""
    code = facts.module.code_for_node(node)
    arg = facts.parent(node)
    if isinstance(arg, cst.Arg) and arg.keyword is None and not arg.star:
        call = facts.parent(arg)
        if isinstance(call, cst.Call) and len(call.args) == 1 and facts.origin(call.func) == "builtins.list":
            return Replace(call, f"sorted({code}{key})")
    return Replace(node, f"sorted({code}{key})")


# ---------------------------------------------------------------------------------------------
# DET204
# ---------------------------------------------------------------------------------------------
def _set_constructions(facts: FileFacts) -> Iterator[cst.BaseExpression]:
    """Every expression that builds a set, widened to the largest set expression around it
    (``set(a) | set(b)``, ``set(a).union(b)``), each once."""
    starts: list[cst.BaseExpression] = [
        c.node for c in facts.calls if c.callee in ("builtins.set", "builtins.frozenset")
    ]
    starts.extend(facts.nodes(cst.Set))
    starts.extend(facts.nodes(cst.SetComp))
    seen: set[int] = set()
    for start in sorted(starts, key=facts.order):
        node = _widen_set(facts, start)
        if id(node) not in seen:
            seen.add(id(node))
            yield node


def _widen_set(facts: FileFacts, node: cst.BaseExpression) -> cst.BaseExpression:
    while True:
        parent = facts.parent(node)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, _SET_OPERATORS):
            node = parent
            continue
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in ordering.SET_METHODS:
            call = facts.parent(parent)
            if isinstance(call, cst.Call) and call.func is parent:
                node = call
                continue
        return node


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers_only(facts: FileFacts, node: cst.CSTNode) -> bool:
    """A set known to hold only numbers, whose hashes (and so iteration order) do not change
    between runs: ``{1, 2}``, ``set(range(n))``, ``set([0.5, 1.5])``."""
    if isinstance(node, cst.Set):
        return all(isinstance(e, cst.Element) and _is_number(literal(e.value, facts)) for e in node.elements)
    if isinstance(node, cst.Call) and facts.origin(node.func) in ("builtins.set", "builtins.frozenset") \
            and len(node.args) == 1:
        inner = node.args[0].value
        if isinstance(inner, cst.Call) and facts.origin(inner.func) == "builtins.range":
            return True
        value = literal(inner, facts)
        return isinstance(value, (list, tuple)) and bool(value) and all(_is_number(v) for v in value)
    return False


def _assigned_name(facts: FileFacts, node: cst.CSTNode) -> cst.Name | None:
    parent = facts.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0].target
        return target if isinstance(target, cst.Name) else None
    if isinstance(parent, cst.AnnAssign) and parent.value is node and isinstance(parent.target, cst.Name):
        return parent.target
    return None


def _elements_comparable(facts: FileFacts, node: cst.CSTNode, reason: str) -> bool:
    """Whether ``sorted`` certainly works on the set's items (so the fix cannot raise TypeError)."""
    if reason == "joined into a string":
        return True  # join needs strings anyway
    if isinstance(node, cst.Set):
        return all(isinstance(e, cst.Element) and isinstance(literal(e.value, facts), str) for e in node.elements)
    if isinstance(node, cst.Call) and facts.origin(node.func) in ("builtins.set", "builtins.frozenset") and node.args:
        inner = node.args[0].value
        if isinstance(literal(inner, facts), str):
            return True
        return (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)
                and inner.func.attr.value in ordering.STRING_LISTS)
    return False


def _set_report(facts: FileFacts, node: cst.CSTNode, reason: str, what: str, fixable: bool) -> Report:
    edits: tuple[FixEdit, ...] = (_sorted_replacement(facts, node),) if fixable else ()
    safe = _elements_comparable(facts, node, reason)
    return Report(
        node,
        f"{what} is {reason}, but a set's iteration order changes between runs (string hashes are "
        "randomised per process), so positions such as label ids differ from run to run; "
        "iterate `sorted(...)` of it instead",
        fix_title="Wrap the set in `sorted(...)`" if edits else None,
        edits=edits,
        fix_safe=safe,
        data={"reason": reason},
    )


@rule(
    "DET204",
    "set-order-dependence",
    summary="Ordered value built from iterating a set",
    severity="warning",
    fix="sometimes",  # always, unless `sorted` is shadowed in the module
    fix_safe=False,
    # Set literals and comprehensions can only be told from dicts after parsing, hence "{".
    words=("set(", "{"),
    needs=lambda index: index.set_in_ordered_context,
)
def set_order_dependence(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    orders = OrderUse(facts)
    fixable = not _sorted_is_shadowed(facts)
    for node in _set_constructions(facts):
        if _numbers_only(facts, node):
            continue
        name = _assigned_name(facts, node)
        if name is not None:
            # A set kept in a variable: each ordered use is its own finding, fixed where it is used.
            for used in orders.uses_of(name):
                reason = orders.use(used, "set")
                if reason is not None:
                    yield _set_report(facts, used, reason, f"set `{name.value}`", fixable)
            continue
        reason = orders.use(node, "set")
        if reason is not None:
            yield _set_report(facts, node, reason, "a set", fixable)


# ---------------------------------------------------------------------------------------------
# DET205
# ---------------------------------------------------------------------------------------------


def _listing_name(facts: FileFacts, call: Call) -> str | None:
    callee = call.callee
    if callee in data.LISTING_FUNCTIONS:
        return data.LISTING_FUNCTIONS[callee]
    method = call.method
    if method not in data.PATH_METHODS or call.receiver is None:
        return None
    if _is_path(facts, call.receiver):
        return f"Path.{method}"
    return None


def _is_path(facts: FileFacts, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """A ``pathlib`` path, or a value that can only be one in a module that imports pathlib."""
    if depth > 10:
        return False
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return _is_path(facts, expr.left, depth + 1)
    origin = facts.origin(expr)
    if origin is not None and origin.startswith("pathlib."):
        return True
    if origin is None or origin.startswith("param:"):
        if isinstance(expr, cst.Name):
            binding = facts.binding_of(expr)
            if binding is not None and binding.kind == "param":
                annotation = getattr(binding.node, "annotation", None)
                if annotation is not None and "Path" in facts.module.code_for_node(annotation.annotation):
                    return True
        return facts.imports_any("pathlib")
    return False


def _pattern_texts(facts: FileFacts, expr: cst.BaseExpression | None, depth: int = 0) -> list[str]:
    """The literal pieces of a glob pattern that can be seen."""
    if expr is None or depth > 10:
        return []
    value = literal(expr, facts)
    if isinstance(value, str):
        return [value]
    if isinstance(expr, cst.FormattedString):
        texts: list[str] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                texts.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                texts.extend(_pattern_texts(facts, part.expression, depth + 1))
        return texts
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Divide)):
        return _pattern_texts(facts, expr.left, depth + 1) + _pattern_texts(facts, expr.right, depth + 1)
    if isinstance(expr, cst.Call):
        callee = facts.origin(expr.func) or ""
        if callee.endswith(("path.join", "joinpath")) or callee in ("builtins.str", "pathlib.Path"):
            return [t for a in expr.args for t in _pattern_texts(facts, a.value, depth + 1)]
    if isinstance(expr, cst.Name):
        binding = facts.binding_of(expr)
        if binding is not None and binding.kind == "assign" and binding.value is not None:
            return _pattern_texts(facts, binding.value, depth + 1)
    return []


def _without_wildcards(facts: FileFacts, call: Call, name: str) -> bool:
    """A ``glob`` whose pattern visibly names one file (``rglob`` still matches at every depth)."""
    if name in ("glob.glob", "glob.iglob"):
        pattern = call.keyword_value("pathname", 0)
    elif name == "Path.glob":
        pattern = call.keyword_value("pattern", 0)
    else:
        return False
    texts = _pattern_texts(facts, pattern)
    return bool(texts) and not any(w in text for text in texts for w in data.GLOB_WILDCARDS)


def _block_indent(facts: FileFacts, block: cst.IndentedBlock) -> str:
    """The absolute indentation of a block's statements."""
    default = facts.module.default_indent
    indent = block.indent if block.indent is not None else default
    for ancestor in facts.ancestors(block):
        if isinstance(ancestor, cst.IndentedBlock):
            indent = (ancestor.indent if ancestor.indent is not None else default) + indent
    return indent


class _Walk:
    """A ``for root, dirs, files in os.walk(...)`` loop."""

    def __init__(self, orders: OrderUse, loop: cst.For) -> None:
        self.orders = orders
        self.loop = loop
        target = loop.target
        elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else ()
        names = [e.value if isinstance(e.value, cst.Name) else None for e in elements]
        self.dirs = names[1] if len(names) == 3 else None
        self.files = names[2] if len(names) == 3 else None

    def _sorted_in_loop(self, target: cst.Name | None) -> bool:
        """``dirs.sort()`` or ``dirs[:] = sorted(dirs)`` in the loop body."""
        if target is None:
            return False
        orders = self.orders
        for used in orders.uses_of(target):
            if orders.is_sort_receiver(used):
                return True
            subscript = orders.facts.parent(used)
            assign_target = orders.facts.parent(subscript) if isinstance(subscript, cst.Subscript) else None
            assign = orders.facts.parent(assign_target) if isinstance(assign_target, cst.AssignTarget) else None
            if (isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call)
                    and orders.facts.origin(assign.value.func) in ("builtins.sorted", "natsort.natsorted")):
                return True
        return False

    def reason(self) -> str | None:
        orders = self.orders
        if orders.builds_ordered(self.loop) and not self._sorted_in_loop(self.dirs):
            return "the loop over it builds an ordered result while `dirs` (the walk order) is unsorted"
        for target in (self.files, self.dirs):
            if target is not None and not self._sorted_in_loop(target):
                found = orders.name_use(target, "listing")
                if found is not None:
                    return f"`{target.value}` is {found}"
        return None

    def fix(self) -> tuple[FixEdit, ...]:
        body = self.loop.body
        if not isinstance(body, cst.IndentedBlock):
            return ()
        lines = [f"{t.value}.sort()" for t in (self.dirs, self.files)
                 if t is not None and t.value != "_" and not self._sorted_in_loop(t)]
        if self.dirs is None or self.dirs.value == "_" or not lines:
            return ()  # without sorting `dirs` in place the walk order stays arbitrary
        indent = _block_indent(self.orders.facts, body)
        newline = self.orders.facts.module.default_newline
        return (InsertAfter(body.header, "".join(f"{indent}{line}{newline}" for line in lines)),)


def _walk_use(orders: OrderUse, call: Call) -> tuple[str | None, tuple[FixEdit, ...] | None]:
    """The ordered use of an ``os.walk`` and, when it is a plain loop, the fix that sorts in place."""
    facts = orders.facts
    parent = facts.parent(call.node)
    if isinstance(parent, cst.For) and parent.iter is call.node:
        walk = _Walk(orders, parent)
        reason = walk.reason()
        return reason, walk.fix() if reason else ()
    if isinstance(parent, cst.Arg):
        outer = facts.parent(parent)
        if isinstance(outer, cst.Call) and facts.origin(outer.func) == "builtins.next":
            # next(os.walk(d)): the top folder's `dirs` and `files`, both unsorted lists
            holder = facts.parent(outer)
            if isinstance(holder, cst.Subscript) and holder.value is outer:
                found = orders.use(holder, "listing")
                return (None if found is None else f"its first `dirs`/`files` list is {found}"), ()
            if isinstance(holder, cst.Assign) and holder.value is outer:
                target = holder.targets[0].target
                if isinstance(target, (cst.Tuple, cst.List)):
                    for element in target.elements[1:3]:
                        if isinstance(element.value, cst.Name):
                            found = orders.name_use(element.value, "listing")
                            if found is not None:
                                return f"`{element.value.value}` is {found}", ()
            return None, ()
    found = orders.use(call.node, "listing")
    return (None if found is None else f"the result is {found}"), None


def _inside_with(facts: FileFacts, node: cst.CSTNode) -> bool:
    return isinstance(facts.parent(node), cst.WithItem)


@rule(
    "DET205",
    "unsorted-file-listing",
    summary="Directory listing used in filesystem order",
    severity="warning",
    fix="sometimes",
    fix_safe=True,
    imports=("os", "glob", "pathlib"),
    words=("listdir", "scandir", "walk", "glob", "iterdir"),
)
def unsorted_file_listing(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    orders = OrderUse(facts)
    fixable = not _sorted_is_shadowed(facts)
    for call in facts.calls:
        name = _listing_name(facts, call)
        if name is None or _without_wildcards(facts, call, name):
            continue
        edits: tuple[FixEdit, ...] | None
        if name == "os.walk":
            reason, edits = _walk_use(orders, call)
        else:
            found = orders.use(call.node, "listing")
            reason, edits = (None if found is None else f"the result is {found}"), None
        if reason is None:
            continue
        if edits is None:
            if name == "os.scandir" and _inside_with(facts, call.node):
                edits = ()
            else:
                key = ", key=lambda entry: entry.name" if name == "os.scandir" else ""
                edits = (_sorted_replacement(facts, call.node, key),)
        if not fixable:
            edits = ()
        if name == "os.walk":
            advice = "sort in place with `dirs.sort()` and `files.sort()` at the top of the loop"
            title = "Sort `dirs` and `files` in place"
        else:
            advice = "wrap the call in `sorted(...)`"
            title = "Wrap the listing in `sorted(...)`"
        yield Report(
            call.node,
            f"`{name}` returns entries in filesystem order, which differs between machines and file "
            f"systems, and {reason}; {advice}",
            fix_title=title if edits else None,
            edits=edits,
            fix_safe=True,
            data={"listing": name, "reason": reason},
        )
