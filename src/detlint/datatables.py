"""Large literal data (generated tables of numbers and strings) blanked out before LibCST parses a file.

LibCST needs several hundred bytes of memory per byte of source; a table of ten thousand tuples costs
it far more than all the code around it, and no rule looks inside such data. For a large file, the
elements of a list, tuple, set or dict display made only of constants, with at least
``MIN_ELEMENTS`` of them, are blanked: the lines strictly between the first and the last element are
emptied (their line breaks kept), so every other line and column stays where it was and findings
and fixes need no mapping back. The first and last elements stay, so the display keeps its type.
The result is checked with the stdlib parser; when a display does not come out as the same kind of
node (unusual comma placement), nothing is blanked.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from detlint.source import line_starts

MIN_ELEMENTS = 1000
_NOT_A_LINE_BREAK = re.compile(r"[^\r\n]+")
_CONTAINERS = (ast.List, ast.Tuple, ast.Set, ast.Dict)


@dataclass(frozen=True)
class Blanked:
    """The text LibCST gets, its stdlib tree, and the 1-based line ranges that were emptied."""

    text: str
    tree: ast.Module
    ranges: tuple[tuple[int, int], ...]

    def touches(self, start_line: int, end_line: int) -> bool:
        return any(start_line <= last and end_line >= first for first, last in self.ranges)


def blank_data(text: str, tree: ast.Module) -> Blanked | None:
    """``text`` with its large constant displays blanked, or None when there is nothing to blank."""
    targets = _large_constant_displays(tree)
    ranges: list[tuple[int, int]] = []
    for node in targets:
        span = _inner_lines(node)
        if span is not None:
            ranges.append(span)
    if not ranges:
        return None
    starts = line_starts(text)  # the parsers' own line breaks (not str.splitlines's many others)
    parts: list[str] = []
    done = 0
    for first, last in sorted(ranges):
        begin, end = starts[first - 1], starts[last] if last < len(starts) else len(text)
        parts.append(text[done:begin])
        parts.append(_NOT_A_LINE_BREAK.sub("", text[begin:end]))
        done = end
    parts.append(text[done:])
    blanked = "".join(parts)
    try:
        new_tree = ast.parse(blanked)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    kinds = {(n.lineno, n.col_offset): type(n) for n in ast.walk(new_tree) if isinstance(n, _CONTAINERS)}
    if any(kinds.get((node.lineno, node.col_offset)) is not type(node) for node in targets):
        return None
    return Blanked(blanked, new_tree, tuple(ranges))


def _large_constant_displays(tree: ast.Module) -> list[ast.expr]:
    """The outermost displays of at least MIN_ELEMENTS elements made only of constants."""
    found: list[ast.expr] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _CONTAINERS) and len(_elements(node)) >= MIN_ELEMENTS and _is_constant_data(node):
            found.append(node)  # type: ignore[arg-type]
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _elements(node: ast.AST) -> list[tuple[ast.expr, ast.expr]]:
    """(first node, last node) of each element: a dict entry runs from its key to its value."""
    if isinstance(node, ast.Dict):
        return [(key, value) for key, value in zip(node.keys, node.values) if key is not None]
    return [(element, element) for element in node.elts]  # type: ignore[attr-defined]


def _is_constant_data(node: ast.AST) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Constant):
            continue
        if isinstance(current, ast.UnaryOp) and isinstance(current.op, (ast.USub, ast.UAdd)) \
                and isinstance(current.operand, ast.Constant):
            continue
        if isinstance(current, ast.Dict):
            if any(key is None for key in current.keys):  # ``**other``
                return False
            stack.extend(current.keys)  # type: ignore[arg-type]
            stack.extend(current.values)
        elif isinstance(current, (ast.List, ast.Tuple, ast.Set)):
            stack.extend(current.elts)
        else:
            return False
    return True


def _inner_lines(node: ast.expr) -> tuple[int, int] | None:
    """The lines strictly between those of the display's first and last elements (and of any element
    sharing a line with them), or None when there are none."""
    elements = _elements(node)
    first = elements[0][1].end_lineno + 1  # type: ignore[operator]
    for start, end in elements:
        if start.lineno >= first:
            break
        first = max(first, end.end_lineno + 1)  # type: ignore[operator]
    last = elements[-1][0].lineno - 1
    for start, end in reversed(elements):
        if end.end_lineno <= last:  # type: ignore[operator]
            break
        last = min(last, start.lineno - 1)
    return (first, last) if first <= last else None
