"""DET205 unsorted-file-listing: a directory listing used in the file system's order, which differs
between machines."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.order import OrderUse
from detlint.analysis.origins import Local, is_local
from detlint.analysis.syntax import SyntaxIndex
from detlint.analysis.values import literal
from detlint.knowledge import data
from detlint.rule import FixEdit, InsertAfter, Report, RuleContext, rule
from detlint.edits import sorted_is_shadowed, sorted_replacement


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
    if origin is None or is_local(origin, Local.PARAMETER):
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


# What a listing call is called, last: ``os.walk`` is ``walk``, ``path.rglob(...)`` is ``rglob``.
_LISTING_NAMES = frozenset({*(name.rsplit(".", 1)[-1] for name in data.LISTING_FUNCTIONS), *data.PATH_METHODS})
# The module each listing function is called from: ``listdir`` -> ``os``.
_LISTING_MODULES = {name.rsplit(".", 1)[-1]: name.rsplit(".", 1)[0] for name in data.LISTING_FUNCTIONS}


def _may_list_in_order(index: SyntaxIndex) -> bool:
    """Pre-filter: a call that may list a directory (a listing function of ``os`` or ``glob``, a path's
    listing method) whose result is not consumed where order is discarded (``sorted(os.listdir(d))``)."""
    for name in _LISTING_NAMES:
        calls = index.calls_of((name,))  # also under the names it is bound to
        if calls is None:
            return True
        if any(not _order_discarded(index, call) and _may_be_listing(index, call, name) for call in calls):
            return True
    return False


def _order_discarded(index: SyntaxIndex, call: ast.Call) -> bool:
    """Whether a listing's order is discarded, as ``OrderUse.use`` judges it: where it is consumed, or,
    iterated by a comprehension, where that comprehension is (a set or dict comprehension has no order)."""
    comprehension = index.comprehension_iterating(call)
    if comprehension is None:
        return index.order_discarded(call, container=False)
    if comprehension.__class__ in (ast.SetComp, ast.DictComp):
        return True
    # a list is judged as a built container (also sorted in place later), a generator by where it goes
    return index.order_discarded(comprehension, container=comprehension.__class__ is ast.ListComp)


def _may_be_listing(index: SyntaxIndex, call: ast.Call, name: str) -> bool:
    """Whether the callee may be a listing: any object's ``glob``/``rglob``/``iterdir`` where it may be a
    path, and ``listdir``, ``walk``... only where the name or the receiver may be the module's (imported
    from it, or bound some other way the analysis may follow), not ``file_utils.listdir(d)``."""
    func = call.func
    module = _LISTING_MODULES.get(name)
    if isinstance(func, ast.Attribute):
        # a path's method: the rule takes a receiver for a path only where pathlib is imported or a
        # parameter's annotation names a path
        if name in data.PATH_METHODS and ("pathlib" in index.imported or index.path_annotation):
            return True
        if module is None:
            return False
        if not isinstance(func.value, ast.Name):
            return True
        receiver = func.value.id
        return index.may_be_bound(receiver) or (
            receiver in index.imported and index.import_aliases.get(receiver, receiver) == module)
    if not isinstance(func, ast.Name) or module is None:
        return True
    return index.may_be_bound(func.id) or module in index.imported_from.get(func.id, ())


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
    needs=_may_list_in_order,
)
def unsorted_file_listing(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    orders = OrderUse(facts, ctx.project)
    fixable = not sorted_is_shadowed(facts)
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
                edits = (sorted_replacement(facts, call.node, key),)
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
