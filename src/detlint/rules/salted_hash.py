"""DET207 salted-hash: the built-in ``hash()`` of a string or bytes value whose result must be the
same from run to run (a bucket, a comparison with a constant, a seed, an index, a stored value)."""

from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.order import OrderUse
from detlint.analysis.syntax import SyntaxIndex, first_line
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.knowledge import determinism, numerics, ordering, seeds, splits
from detlint.rule import Report, RuleContext, rule

_MAX_DEPTH = 4
# Types whose hash is the same in every process (and whose constructors return them).
_NUMBER_TYPES = (int, float, bool)
_NUMBER_CONSTRUCTORS = frozenset(f"builtins.{t.__name__}" for t in _NUMBER_TYPES)
# Keywords that take a seed: those of the splitters (``random_state``, ``seed``).
_SEED_KEYWORDS = frozenset(api.seed for api in (*splits.SKLEARN_SPLITTERS.values(), *splits.KERAS_SPLITTERS.values()))
# Containers whose items are positions, and what to call them.
_ORDERED_CONTAINERS = {**ordering.MATERIALISERS, **ordering.LISTING_MATERIALISERS}


def _is_number(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_is_number(item) for item in value)
    return isinstance(value, _NUMBER_TYPES)


def _numbers_only(facts: FileFacts, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """Whether a value is certainly an int, float, bool or a tuple of those (their hash is not salted)."""
    if depth > _MAX_DEPTH:
        return False
    value = literal(expr, facts)
    if value is not NOT_LITERAL:
        return _is_number(value)
    if isinstance(expr, cst.Tuple):
        return all(isinstance(e, cst.Element) and _numbers_only(facts, e.value, depth + 1) for e in expr.elements)
    if isinstance(expr, cst.Call):
        return facts.origin(expr.func) in _NUMBER_CONSTRUCTORS
    if isinstance(expr, cst.Name):
        binding = facts.binding_of(expr)
        if binding is None:
            iterated = ml.comprehension_iterable(facts, expr)
            return iterated is not None and _iterates_numbers(facts, iterated)
        if binding.value is None:
            return False
        if binding.kind == "assign":
            return _numbers_only(facts, binding.value, depth + 1)
        if binding.kind == "loop":
            return _iterates_numbers(facts, binding.value)
    return False


def _iterates_numbers(facts: FileFacts, iterable: cst.BaseExpression) -> bool:
    if isinstance(iterable, cst.Call):
        return facts.origin(iterable.func) == "builtins.range"
    value = literal(iterable, facts)
    return isinstance(value, (list, tuple)) and bool(value) and all(_is_number(item) for item in value)


def _in_hash_method(facts: FileFacts, node: cst.CSTNode) -> bool:
    return any(isinstance(a, cst.FunctionDef) and a.name.value == "__hash__" for a in facts.ancestors(node))


def _container(facts: FileFacts, value: cst.BaseExpression) -> str | None:
    """What a subscripted value is when its items are positions (``"a list"``, ``"an array"``), else None."""
    if isinstance(value, cst.Name):
        binding = facts.binding_of(value)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return None
        value = binding.value
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
        value = value.left  # [0] * n
    if isinstance(value, (cst.List, cst.ListComp)):
        return "a list"
    if isinstance(value, cst.Call):
        return _ORDERED_CONTAINERS.get(facts.origin(value.func) or "")
    return None


class _Uses:
    """How the result of a ``hash()`` call is used, as a phrase for the message."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self.orders = OrderUse(facts)

    def of(self, node: cst.CSTNode, depth: int = 0) -> str | None:
        facts = self.facts
        if depth > _MAX_DEPTH:
            return None
        parent = facts.parent(node)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, (cst.Modulo, cst.FloorDivide)):
            return f"the result is bucketed with `{'%' if isinstance(parent.operator, cst.Modulo) else '//'}`"
        if isinstance(parent, cst.Comparison):
            operands = [parent.left, *(target.comparator for target in parent.comparisons)]
            if any(other is not node and literal(other, facts) is not NOT_LITERAL for other in operands):
                return "the result is compared with a constant"
            return None
        if isinstance(parent, cst.Return):
            return "the result is returned"
        if (isinstance(parent, cst.Element) and isinstance(facts.parent(parent), cst.List)) or (
                isinstance(parent, cst.ListComp) and parent.elt is node):
            return "the result is stored in a list"
        if isinstance(parent, cst.Arg):
            return self._argument(parent, depth)
        if isinstance(parent, cst.Index):
            subscript = facts.parent(facts.parent(parent) or parent)
            container = _container(facts, subscript.value) if isinstance(subscript, cst.Subscript) else None
            return None if container is None else f"the result is used as a position in {container}"
        if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
            targets = parent.targets if isinstance(parent, cst.Assign) else [parent]
            if len(targets) == 1 and isinstance(targets[0].target, cst.Name):
                for used in self.orders.uses_of(targets[0].target):
                    found = self.of(used, depth + 1)
                    if found is not None:
                        return found
        return None

    def _argument(self, arg: cst.Arg, depth: int) -> str | None:
        facts = self.facts
        call = facts.parent(arg)
        if not isinstance(call, cst.Call):
            return None
        callee = facts.origin(call.func) or ""
        if arg.keyword is not None and arg.keyword.value in _SEED_KEYWORDS or callee in seeds.GLOBAL_SEEDS \
                or callee in seeds.GENERATORS:
            return "the result is used as a seed"
        if callee in numerics.PASSTHROUGH_FUNCTIONS:
            return self.of(call, depth + 1)
        if callee in _ORDERED_CONTAINERS:
            return f"the result is stored in {_ORDERED_CONTAINERS[callee]}"
        if isinstance(call.func, cst.Attribute):
            method = call.func.attr.value
            if method in ordering.APPEND_METHODS:
                return "the result is stored in a list"
            if method in ("write", "writelines"):
                return "the result is written to a file"
        return None


def _may_use_a_hash(index: SyntaxIndex) -> bool:
    """Pre-filter: a call of ``hash`` (or a name bound to it) by a plain name with one argument, outside
    every ``__hash__`` method, whose result is not discarded as a statement of its own."""
    calls = index.calls_of(("hash",))
    if calls is None:
        return True
    hash_methods = [f for f in index.function_defs if f.name == "__hash__"]
    for call in calls:
        if call.func.__class__ is not ast.Name or len(call.args) + len(call.keywords) != 1:
            continue  # a method named hash, or not the one argument the rule asks for
        if (call.args and call.args[0].__class__ is ast.Starred) or (call.keywords and call.keywords[0].arg is None):
            continue
        if any(first_line(f) <= call.lineno <= (f.end_lineno or f.lineno) for f in hash_methods):
            continue
        if index.parent(call).__class__ is ast.Expr:
            continue  # ``hash(x)`` alone: its result goes nowhere
        return True
    return False


@rule(
    "DET207",
    "salted-hash",
    summary="Built-in hash() of a string used where the value must be the same on every run",
    severity="warning",
    words=("hash",),
    needs=lambda index: _may_use_a_hash(index),
)
def salted_hash(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    uses: _Uses | None = None
    for call in facts.calls:
        if call.callee != determinism.SALTED_HASH or len(call.node.args) != 1 or call.node.args[0].star:
            continue
        if _numbers_only(facts, call.node.args[0].value) or _in_hash_method(facts, call.node):
            continue
        uses = uses or _Uses(facts)
        use = uses.of(call.node)
        if use is None:
            continue
        yield Report(
            call.node,
            f"`hash()` of a string or bytes value is salted per process (`PYTHONHASHSEED`), and {use}, so it "
            "changes on every run; use a stable hash such as `zlib.crc32(s.encode())` or "
            "`int(hashlib.sha256(s.encode()).hexdigest(), 16)` (`tf.strings.to_hash_bucket_fast` in TensorFlow code)",
            data={"use": use},
        )
