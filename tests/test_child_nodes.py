"""``facts.child_nodes`` stands in for LibCST's ``children`` (which rebuilds the node on every call) in
the expression walks of provenance, ``names_in`` and ``subexpressions``: every child that holds code,
in LibCST's order; what it leaves out is whitespace, comments and punctuation."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from detlint.analysis.facts import child_nodes
from detlint.cst_parse import parse_module

ROOT = Path(__file__).resolve().parents[1]

# Every construct whose fields LibCST declares in another order than they are written, and more.
SYNTAX = '''\
"""doc"""
from __future__ import annotations
from . import sibling as s, other
from ..pkg.mod import (a, b as c)
import os.path as osp, sys

@decorate(arg=1)
@other.decorator
async def fetch[T: int, *Ts, **P](x, /, y: int = f(), *args: T, z=g(k=h()), **kwargs) -> list[T]:
    async with open(p) as fh, lock:
        async for item in aiter(fh):
            await process(item, key=lambda q, /, r=m(), *, w=n(): q + r)
    return [i async for i in source() if i if not i]

class Model[T](Base, metaclass=Meta, **extra):
    attribute: int = field(default=0)
    def method(self, *, seed=None): ...

type Alias[K] = dict[K, list[int]]

try:
    risky(split(x, random_state=rng()))
except (ValueError, KeyError) as error:
    handle(error)
else:
    done()
finally:
    cleanup()
try:
    pass
except* OSError as group:
    log(group.exceptions)

match command.split():
    case [action, *rest] if allowed(action):
        run(action, *rest)
    case {"name": str(name), **others} | Point(x=0, y=named) as whole:
        pass
    case _:
        pass

value = (yield_ := f(x)) if cond(y)[1:2:g()] else {k: v for k, v in items() if k} | {*s, 1}
total = a @ b ** -c // d is not e not in f and g or h
text = f"{value!r:>{width}} {call(x)=}" "plain" f"{more}"
del x[0], y.z
global_name = [*first, *second]; other_name = {**d1, **d2}
assert check(), message()
raise Error(code) from cause()
for i, (j, k) in enumerate(pairs(), start=1):
    while not done(i):
        break
    else:
        continue
with ctx() as (a, b), other() as c: pass
print(*args, sep="", **kwargs)
nonlocal_free = lambda: (yield)
'''


def _trees() -> list[cst.Module]:
    texts = [SYNTAX] + [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").rglob("*.py"))]
    return [parse_module(text) for text in texts]


def _has_code(node: cst.CSTNode) -> bool:
    """Whether a name or an expression is anywhere in ``node`` (whitespace and punctuation hold none)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Name, cst.BaseExpression)):
            return True
        stack.extend(current.children)
    return False


@pytest.mark.parametrize("tree", _trees(), ids=lambda tree: tree.code.splitlines()[0][:30] or "empty")
def test_children_are_libcsts_in_its_order_less_whitespace_and_punctuation(tree: cst.Module) -> None:
    checked = 0
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        children = node.children
        ours = child_nodes(node)
        kept = {id(child) for child in ours}
        with_code = {id(child) for child in children if _has_code(child)}
        assert ([id(child) for child in children if id(child) in with_code]
                == [id(child) for child in ours if id(child) in with_code]), (
            f"{type(node).__name__}: children out of LibCST's order")
        assert len(kept) == len(ours) and kept <= {id(child) for child in children}
        left_out = [type(child).__name__ for child in children if id(child) not in kept and _has_code(child)]
        assert left_out == [], f"{type(node).__name__} leaves out code: {left_out}"
        checked += 1
        stack.extend(children)
    assert checked > 50


def test_the_syntax_sample_has_the_constructs_declared_out_of_order() -> None:
    tree = parse_module(SYNTAX)
    found = set()
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        found.add(type(node))
        stack.extend(node.children)
    wanted = {cst.Arg, cst.Parameters, cst.ExceptHandler, cst.ExceptStarHandler, cst.MatchCase, cst.TypeAlias,
              cst.FunctionDef, cst.ClassDef, cst.IfExp, cst.TypeParam, cst.Lambda, cst.NamedExpr}
    assert wanted <= found, wanted - found
