"""The pre-filter's index finds a node's parent by descending through source spans instead of mapping
the whole tree: it must agree with the tree itself on every node that has a position."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from detlint.analysis.syntax import build_index

ROOT = Path(__file__).resolve().parents[1]
# Shapes where spans nest unusually: f-strings, decorators, comprehensions in defaults, lambdas,
# match statements, chained comparisons, implicit tuples, starred targets, walrus in comprehensions.
SYNTAX_SAMPLE = '''
import os, sys as system
from a.b import (c as d, e)

@decorator(arg=[x for x in range(3)])
class A(Base, metaclass=Meta):
    field: int = 1
    def method(self, a, /, b=lambda q: q + 1, *args, c: "C" = {1, 2}, **kw) -> None:
        return f"{a!r:>{b}} and {c}" + f'{"nested"}'

async def main():
    async with open(p) as (f, g):
        async for item in stream():
            await item
    try:
        x = [y, *rest] = other
        z = [w := 1, *rest]
    except* ValueError as error:
        pass

match command.split():
    case [action, *others] if action in {"go", "run"}:
        pass
    case {"key": value, **extra}:
        pass
    case Point(x=0, y=yy) | None:
        pass

result = 1 < a <= b in c not in d
pair = 1, 2
first, *middle, last = sorted(list(set(v for v in values if v)))
print(*args, sep="", **options)
total = sum(n for row in grid for n in row if (m := n) > 0)
del first, pair[0]
global_value = {k: v for k, v in zip(a, b)}
'''


def _samples() -> list[tuple[str, str]]:
    sources = [("syntax sample", SYNTAX_SAMPLE)]
    for path in [*sorted((ROOT / "examples").rglob("*.py")), ROOT / "src" / "detlint" / "analysis" / "syntax.py"]:
        sources.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return sources


@pytest.mark.parametrize(("name", "source"), _samples(), ids=[name for name, _ in _samples()])
def test_parent_agrees_with_the_tree(name: str, source: str) -> None:
    tree = ast.parse(source)
    index = build_index(tree)
    expected = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    checked = 0
    for node in ast.walk(tree):
        if getattr(node, "end_lineno", None) is None or node is tree:
            continue
        assert index.parent(node) is expected[id(node)], (name, ast.dump(node)[:80])
        checked += 1
    assert checked > 10


def test_module_level_is_outside_every_function_class_and_lambda() -> None:
    tree = ast.parse("X = 1\nif c:\n    Y = 2\ndef f():\n    Z = 3\nclass K:\n    W = 4\nL = lambda: (V := 5)\n")
    index = build_index(tree)
    levels = {node.id: index.at_module_level(node) for node in ast.walk(tree)
              if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
    assert levels == {"X": True, "Y": True, "Z": False, "W": False, "L": True, "V": False}
