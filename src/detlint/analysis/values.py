"""Static values of simple expressions: literals, module constants and path tails."""

from __future__ import annotations

from typing import Any

import libcst as cst

from detlint.analysis.facts import FileFacts

NOT_LITERAL: Any = object()


def literal(expr: cst.BaseExpression | None, facts: FileFacts | None = None, _depth: int = 0) -> Any:
    """The Python value of a literal (numbers, strings, True/False/None, tuples/lists of those),
    following module-level constants. ``NOT_LITERAL`` when it is not one."""
    if expr is None or _depth > 20:
        return NOT_LITERAL
    if isinstance(expr, cst.Integer) or isinstance(expr, cst.Float):
        try:
            return expr.evaluated_value
        except ValueError:
            return NOT_LITERAL
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = expr.evaluated_value
        except Exception:  # noqa: BLE001 - malformed escape sequences
            return NOT_LITERAL
        return NOT_LITERAL if value is None else value
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        if facts is not None:
            bound = facts.constant(expr.value)
            if bound is not None and facts.binding_of(expr) is not None:
                binding = facts.binding_of(expr)
                if binding is not None and binding.scope is facts.module_scope:
                    return literal(bound, facts, _depth + 1)
        return NOT_LITERAL
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = literal(expr.expression, facts, _depth + 1)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else NOT_LITERAL
    if isinstance(expr, (cst.Tuple, cst.List)):
        items = [literal(e.value, facts, _depth + 1) for e in expr.elements if isinstance(e, cst.Element)]
        if len(items) != len(expr.elements) or any(i is NOT_LITERAL for i in items):
            return NOT_LITERAL
        return tuple(items) if isinstance(expr, cst.Tuple) else items
    return NOT_LITERAL


def is_none(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def is_false(expr: cst.BaseExpression | None, facts: FileFacts | None = None) -> bool:
    return literal(expr, facts) is False


def string_tail(expr: cst.BaseExpression | None, facts: FileFacts | None = None, _depth: int = 0) -> str | None:
    """The literal text a path expression ends with: a string literal, an f-string whose last part is
    literal, ``a + "x.h5"``, ``Path(d) / "x.h5"``, ``os.path.join(..., "x.h5")``, or a module-level name
    bound once to one of those. None when the end is not known."""
    if expr is None or _depth > 20:
        return None
    value = literal(expr, facts)
    if isinstance(value, str):
        return value
    if isinstance(expr, cst.FormattedString):
        if expr.parts and isinstance(expr.parts[-1], cst.FormattedStringText):
            return expr.parts[-1].value
        return None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Divide)):
        tail = string_tail(expr.right, facts, _depth + 1)
        if tail is None:
            return None
        if isinstance(expr.operator, cst.Divide):
            return "/" + tail
        return tail
    if isinstance(expr, cst.Call) and expr.args and facts is not None:
        callee = facts.origin(expr.func) or ""
        if callee in ("os.path.join", "posixpath.join", "ntpath.join") or callee.endswith("joinpath"):
            last_arg = expr.args[-1]
            if last_arg.star == "":
                tail = string_tail(last_arg.value, facts, _depth + 1)
                return None if tail is None else "/" + tail
        if callee in ("builtins.str", "pathlib.Path", "pathlib.PurePath") and len(expr.args) == 1:
            return string_tail(expr.args[0].value, facts, _depth + 1)
    if isinstance(expr, cst.Name) and facts is not None:
        binding = facts.binding_of(expr)
        if binding is not None and binding.scope is facts.module_scope:
            bound = facts.constant(expr.value)
            if bound is not None:
                return string_tail(bound, facts, _depth + 1)
    return None
