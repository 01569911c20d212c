"""DET306 exact-prediction-comparison: predictions or weights compared bit for bit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from detlint.analysis import kinds, ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, LocalOrigin, parse_local
from detlint.analysis.values import NOT_LITERAL, literal
from detlint.knowledge import keras, numerics
from detlint.rule import Report, RuleContext, rule

if TYPE_CHECKING:  # pragma: no cover
    from detlint.analysis.project import ProjectIndex

_ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide)


class _Sources:
    """Tells whether an expression holds a model's predictions or weights."""

    def __init__(self, facts: FileFacts, project: "ProjectIndex | None" = None) -> None:
        self.facts = facts
        self.project = project
        self.keras_module = ml.imports_keras_family(facts)

    def of(self, expr: cst.BaseExpression, depth: int = 0) -> str | None:
        """``"predictions"``, ``"weights"`` or None."""
        facts = self.facts
        if depth > 12:
            return None
        if isinstance(expr, cst.Call):
            return self._call(expr, depth)
        if isinstance(expr, cst.Subscript):
            return self.of(expr.value, depth + 1)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, _ARITHMETIC):
            return self.of(expr.left, depth + 1) or self.of(expr.right, depth + 1)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            return self.of(expr.expression, depth + 1)
        if isinstance(expr, (cst.Tuple, cst.List)):
            return self._first(e.value for e in expr.elements)
        if isinstance(expr, cst.Name):
            binding = facts.binding_of(expr)
            if binding is None:
                iterated = ml.comprehension_iterable(facts, expr)
                return None if iterated is None else self._element_of(iterated, depth)
            if binding.value is None or binding.kind == "augassign":
                return None
            if binding.kind in ("loop", "unpack"):
                return self._element_of(binding.value, depth)
            return self.of(binding.value, depth + 1)
        return None

    def _element_of(self, iterated: cst.BaseExpression, depth: int) -> str | None:
        """What an item of ``iterated`` holds: ``for a, b in zip(m1.get_weights(), ...)``."""
        if isinstance(iterated, cst.Call) and self.facts.origin(iterated.func) in numerics.ITERATION_HELPERS:
            return self._first(a.value for a in iterated.args)
        return self.of(iterated, depth + 1)

    def _first(self, exprs: Iterator[cst.BaseExpression] | object) -> str | None:
        for expr in exprs:  # type: ignore[attr-defined]
            found = self.of(expr, 1)
            if found is not None:
                return found
        return None

    def _call(self, call: cst.Call, depth: int) -> str | None:
        facts = self.facts
        func = call.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in keras.PREDICT_METHODS:
                receiver = facts.origin(func.value)
                if ml.is_sklearn(receiver):
                    return None  # scikit-learn `predict` returns labels, which compare exactly
                return "predictions" if self.keras_module or ml.is_keras_model(facts, receiver) else None
            if method == "get_weights":
                return "weights"
            if method == "numpy" and self._weight_variable(func.value):
                return "weights"  # model.weights[0].numpy(): the variable's values
            if method in numerics.PASSTHROUGH_METHODS:
                return self.of(func.value, depth + 1)
        callee = facts.origin(func)
        if callee in numerics.PASSTHROUGH_FUNCTIONS and call.args:
            return self.of(call.args[0].value, depth + 1)
        if self._is_model(func):
            return "predictions"
        return None

    def _weight_variable(self, expr: cst.BaseExpression) -> bool:
        while isinstance(expr, cst.Subscript):
            expr = expr.value
        return isinstance(expr, cst.Attribute) and expr.attr.value in keras.WEIGHT_ATTRIBUTES and self._is_model(expr.value)

    def _is_model(self, expr: cst.BaseExpression) -> bool:
        """A Keras model instance itself (not one of its methods or attributes)."""
        origin = self.facts.origin(expr)
        return ml.is_model_instance(self.facts, origin) or kinds.is_project_model_instance(self.facts, origin, self.project)


def _reducer(facts: FileFacts, node: cst.CSTNode) -> str | None:
    """``"all"``/``"any"`` when ``node`` is reduced by an all/any reducer (directly, as the element
    of a comprehension passed to one, or through ``(...).all()``)."""
    parent = facts.parent(node)
    if isinstance(parent, (cst.GeneratorExp, cst.ListComp)) and parent.elt is node:
        return _reducer(facts, parent)
    if isinstance(parent, cst.Arg):
        call = facts.parent(parent)
        if isinstance(call, cst.Call):
            callee = facts.origin(call.func)
            if callee in numerics.ALL_REDUCERS:
                return "all"
            if callee in numerics.ANY_REDUCERS:
                return "any"
        return None
    if isinstance(parent, cst.Attribute) and parent.value is node and facts.is_called(parent):
        if parent.attr.value == "all":
            return "all"
        if parent.attr.value == "any":
            return "any"
    return None


def _is_plain_constant(facts: FileFacts, expr: cst.BaseExpression) -> bool:
    value = literal(expr, facts)
    return value is not NOT_LITERAL and not isinstance(value, (list, tuple))


def _is_difference(facts: FileFacts, expr: cst.BaseExpression) -> bool:
    """``a - b`` or ``abs(a - b)``: comparing it with a constant compares ``a`` and ``b``."""
    if isinstance(expr, cst.Call) and facts.origin(expr.func) in numerics.ABSOLUTE_VALUE and expr.args:
        return _is_difference(facts, expr.args[0].value)
    return isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Subtract)


def _compared(sources: _Sources, left: cst.BaseExpression, right: cst.BaseExpression) -> str | None:
    """What is compared exactly, when a side holds predictions or weights. Comparing one against a
    sentinel constant (``w == 0``) is exact by design, unless it is a difference of two results."""
    facts = sources.facts
    for side, other in ((left, right), (right, left)):
        found = sources.of(side)
        if found is None:
            continue
        if _is_plain_constant(facts, other) and not _is_difference(facts, side):
            return None
        return found
    return None


def _single_operator(comparison: cst.Comparison) -> tuple[cst.BaseCompOp, cst.BaseExpression] | None:
    if len(comparison.comparisons) != 1:
        return None
    target = comparison.comparisons[0]
    return target.operator, target.comparator


def _display(callee: str) -> str:
    """``numpy.testing.assert_array_equal`` → ``np.testing.assert_array_equal``, as users write it."""
    local = parse_local(callee)
    if local is not None and local.kind is Local.PARAMETER:
        return local.text  # self.assertEqual
    for long, short in (("numpy.", "np."), ("tensorflow.", "tf.")):
        if callee.startswith(long):
            return short + callee[len(long):]
    return callee


def _message(what: str, how: str) -> str:
    return (
        f"{what} compared with {how}: float results differ in the last bits across devices, batch sizes "
        "and reloads, so the check fails (or passes) by accident; compare with a tolerance, e.g. "
        "`np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)` or `np.allclose`"
    )


@rule(
    "DET306",
    "exact-prediction-comparison",
    summary="Predictions or weights compared with exact equality",
    severity="error",
    default=False,
    imports=("tensorflow", "keras", "tf_keras", "autokeras", "numpy"),
    words=("==", "!=", "equal", "Equal"),
)
def exact_prediction_comparison(ctx: RuleContext) -> Iterator[Report]:
    facts = ctx.facts
    sources = _Sources(facts, ctx.project)
    for comparison in facts.nodes(cst.Comparison):
        single = _single_operator(comparison)
        if single is None:
            continue
        operator, right = single
        if isinstance(operator, cst.Equal):
            parent = facts.parent(comparison)
            exact = (isinstance(parent, cst.Assert) and parent.test is comparison) or \
                _reducer(facts, comparison) == "all"
        elif isinstance(operator, cst.NotEqual):
            exact = _reducer(facts, comparison) == "any"
        else:
            continue
        what = _compared(sources, comparison.left, right) if exact else None
        if what is not None:
            yield Report(comparison, _message(what.capitalize(), "exact equality"))
    for call in facts.calls:
        callee = call.callee or ""
        if callee in numerics.ELEMENTWISE_EQUAL:
            exact = _reducer(facts, call.node) == "all"
        elif callee in numerics.ELEMENTWISE_NOT_EQUAL:
            exact = _reducer(facts, call.node) == "any"
        else:
            exact = callee in numerics.EQUALITY_FUNCTIONS or (
                call.method in numerics.EQUALITY_ASSERT_METHODS
                and parse_local(call.receiver_origin) == LocalOrigin(Local.PARAMETER, "self"))
        if not exact:
            continue
        first, second = call.argument("a1", 0), call.argument("a2", 1)
        if first is None or second is None:
            continue
        what = _compared(sources, first.value, second.value)
        if what is not None:
            yield Report(call.node, _message(what.capitalize(), f"`{_display(callee) or call.method}`"))
