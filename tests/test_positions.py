"""Positions computed per innermost statement must equal LibCST's whole-module PositionProvider."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from detlint.analysis import positions
from detlint.analysis.facts import FileFacts

ROOT = Path(__file__).resolve().parents[1]

TRICKY = '''\
import numpy as np


@decorator(np.random.rand())
class Outer:
    # a comment line before a method
    @staticmethod
    def method(a=np.random.rand(), *, b=f(1)):
        if a:
            g(1)
        elif b:
            g(2); g(3)
        else:
            if a: g(4)
            elif b:
                g(5)
        try:
            g(6)
        except (ValueError,
                TypeError) as error:
            g(7)
        else:
            g(8)
        finally:
            g(9)
        with open(x) as one, \\
                open(y) as two:
            g(10)
        for item in set(g(11)):
            while g(12):
                g(13,
                  g(14))
        match a:
            case [1, *rest]:
                g(15)
            case _:
                g(16)
async def tabbed():
\tawait g(17)
\tasync for x in g(18):
\t\tasync with g(19): g(20)
values = [g(21) for _ in range(3)]; g(22)
'''


def _whole_module(module: cst.Module) -> dict[cst.CSTNode, object]:
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)  # type: ignore[return-value]


def _assert_same_positions(text: str) -> int:
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    wanted = [call.node for call in facts.calls]
    wanted += [node for node in facts.nodes(cst.Arg)]
    wanted += [node for node in module.body]
    if not wanted:
        return 0
    tree = ast.parse(text)
    fast = positions._by_innermost_statement(module, facts, wanted, text, tree)  # must not fall back
    expected = _whole_module(module)
    assert {id(n): fast[n] for n in wanted} == {id(n): expected[n] for n in wanted}
    # and the engine's way: the stdlib tree first, code generation for the rest
    found = positions.node_positions(module, facts, wanted, text, tree)
    assert {id(n): found[n] for n in wanted} == {id(n): expected[n] for n in wanted}
    return len(wanted)


def test_every_statement_kind_is_placed_exactly() -> None:
    assert _assert_same_positions(TRICKY) > 40


def test_reported_whitespace_is_placed_through_its_call() -> None:
    text = "def f():\n    model.fit(x)\n"
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    call = facts.calls[0].node
    found = positions.node_positions(module, facts, [call, call.whitespace_before_args], text, ast.parse(text))
    expected = _whole_module(module)
    assert (found[call].start.line, found[call].start.column) == (2, 4)
    assert found[call.whitespace_before_args] == expected[call.whitespace_before_args]


def test_form_feed_before_a_statement_keeps_the_file_column() -> None:
    """LibCST counts a form feed before a statement as column 0; the file (and an editor) has the
    call one character later, which the top-level fallback reproduces."""
    text = "import os\n\x0cos.listdir(x)\n"
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    call = facts.calls[0].node
    found = positions.node_positions(module, facts, [call], text, ast.parse(text))[call]
    assert (found.start.line, found.start.column) == (2, 1)


def _sample() -> list[Path]:
    files = sorted((ROOT / "examples").rglob("*.py")) + sorted((ROOT / "tests" / "fixtures" / "rules").glob("*.py"))
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
        files += sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)[::40]
    return files


@pytest.mark.slow
def test_real_files_are_placed_exactly() -> None:
    checked = 0
    for path in _sample():
        text = path.read_text(encoding="utf-8")
        try:
            ast.parse(text)
        except SyntaxError:
            continue  # the DET000 fixture
        checked += _assert_same_positions(text)
    assert checked > 1000
