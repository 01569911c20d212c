"""DET207 salted-hash: the built-in ``hash()`` of a string or bytes value whose result must be the
same from run to run (a bucket, a comparison with a constant, a seed, an index, a stored value)."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.order import OrderUse
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.knowledge import determinism, ordering, seeds
from detlint.rule import Report, RuleContext, rule

_MAX_DEPTH = 4
_SEED_KEYWORDS = frozenset({"seed", "random_state"})
# Calls whose result is the hash itself, so their own use decides (``abs(hash(s)) % 10``).
_TRANSPARENT = frozenset({"builtins.abs", "builtins.int"})
_NUMBER_BUILDERS = frozenset({"builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.id",
                              "builtins.ord", "builtins.round", "builtins.hash"})
_ARRAY_BUILDERS = frozenset({"numpy.array", "numpy.asarray"})
_LIST_BUILDERS = frozenset({"builtins.list"})


def _is_number(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_is_number(item) for item in value)
    return isinstance(value, (int, float))  # bool is an int


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
        return facts.origin(expr.func) in _NUMBER_BUILDERS
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


def _container_kind(facts: FileFacts, container: cst.BaseExpression) -> str | None:
    """``"list"`` or ``"array"`` when a subscripted value is known to be one (its items are positions)."""
    value: cst.BaseExpression | None = container
    if isinstance(container, cst.Name):
        binding = facts.binding_of(container)
        value = binding.value if binding is not None and binding.kind == "assign" else None
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
        value = value.left  # [0] * n
    if isinstance(value, (cst.List, cst.ListComp)):
        return "list"
    if isinstance(value, cst.Call):
        origin = facts.origin(value.func)
        if origin in _LIST_BUILDERS:
            return "list"
        if origin in _ARRAY_BUILDERS or (origin or "").startswith("numpy.zeros"):
            return "array"
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
            if isinstance(subscript, cst.Subscript):
                kind = _container_kind(facts, subscript.value)
                article = "a" if kind == "list" else "an"
                return None if kind is None else f"the result is used as a position in {article} {kind}"
            return None
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
        if callee in _TRANSPARENT:
            return self.of(call, depth + 1)
        if callee in _ARRAY_BUILDERS:
            return "the result is stored in an array"
        if isinstance(call.func, cst.Attribute):
            method = call.func.attr.value
            if method in ordering.APPEND_METHODS:
                return "the result is stored in a list"
            if method in ("write", "writelines"):
                return "the result is written to a file"
        return None


@rule(
    "DET207",
    "salted-hash",
    summary="Built-in hash() of a string used where the value must be the same on every run",
    severity="warning",
    words=("hash",),
    needs=lambda index: index.may_call(frozenset({"hash"})),
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
