"""Positions read from the stdlib tree equal LibCST's whole-module PositionProvider, on inputs where
the two parsers count differently (bytes vs characters, tabs, continuation lines, f-strings...)."""

from __future__ import annotations

import ast
import json

import pytest

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from detlint.analysis import positions
from detlint.analysis.facts import FileFacts
from detlint.notebook import read_notebook

TRICKY = '''\
import numpy as np  # ünïcödé comment: 日本語


@decorator(np.random.rand())
@other.decorator
class Wide(Base, metaclass=Meta):
    label = "日本語"; value = f(  "é" )
    def method(self, a=np.random.rand(), *, b=f(1)):
        if a:
            g("😀", h(1))
        elif b:
            g(2); g(3)
        else:
            x = [g(4) for _ in range(3)]
        total = g(5) \\
            + g(6) \\
            + g("ß")
        g(*args, **kwargs)
        g(a, (b), c=(d), e=f)
        g(x for x in y)
        (g)(7)
        (g(8))
        g(9)(10)
        g(11).h(12)
async def tabbed():
\tawait g("\\t😀", 13)
\tif x:\tg(14)
\tasync with g(15) as y: g(16)
try:
    g(17)
except (ValueError, g(18)) as error:
    g(19)
finally:
    g(20)
while g(21):
    g(22); g(23);
with g(24), g(25):
    pass
for item in g(26):
    print(f"{g(27)} and {h(28)!r:>{w(29)}}")
'''


def _wanted(module: cst.Module, facts: FileFacts) -> list[cst.CSTNode]:
    wanted: list[cst.CSTNode] = [call.node for call in facts.calls]
    wanted += facts.nodes(cst.Arg)
    wanted += list(module.body)
    for kind in (cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With, cst.Try,
                 cst.SimpleStatementLine):
        wanted += facts.nodes(kind)
    return wanted


def _compare(text: str) -> tuple[int, list[cst.CSTNode]]:
    """How many nodes the stdlib tree placed (each checked against LibCST), and those it left."""
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    wanted = _wanted(module, facts)
    found, rest = positions._from_stdlib_tree(module, facts, wanted, text, ast.parse(text))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert {id(n): found[n] for n in found} == {id(n): expected[n] for n in found}
    # what is left goes to code generation, and node_positions still places everything exactly
    together = positions.node_positions(module, facts, wanted, text, ast.parse(text))
    assert {id(n): together[n] for n in wanted} == {id(n): expected[n] for n in wanted}
    return len(found), rest


def test_wide_characters_tabs_continuations_and_decorators_are_placed_from_the_stdlib_tree() -> None:
    placed, rest = _compare(TRICKY)
    assert placed > 90
    # what the stdlib tree does not place: calls in parentheses, the arguments in parentheses, a lone
    # generator or of a class, a block ending in a semicolon, the calls of an f-string's statement and
    # of one-line blocks (LibCST counts them to the compound statement, the stdlib to its block)
    left = sorted({cst.Module([]).code_for_node(node).strip() for node in rest})
    assert left == sorted([
        "(g(8))", "(b),", "c=(d),", "x for x in y", "Base,", "metaclass=Meta",
        "g(22); g(23);", "while g(21):\n    g(22); g(23);",
        "g(14)", "g(15)", "g(16)", "14", "15", "16",
        'print(f"{g(27)} and {h(28)!r:>{w(29)}}")', "g(27)", "h(28)", "w(29)", "27", "28", "29",
        'f"{g(27)} and {h(28)!r:>{w(29)}}"',
    ])


def test_multibyte_columns_become_characters() -> None:
    text = 'x = "日本語"; y = g("é", h(1))\n'
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    inner = facts.calls[1].node
    found, rest = positions._from_stdlib_tree(module, facts, [inner], text, ast.parse(text))
    assert rest == []
    # h( is at byte 29 (the three ideographs take three bytes each, é two), character 22
    assert (found[inner].start.line, found[inner].start.column, found[inner].end.column) == (1, 22, 26)


def test_a_form_feed_before_a_statement_keeps_the_file_column() -> None:
    text = "import os\n\x0cos.listdir(x)\n"
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    call = facts.calls[0].node
    found = positions.node_positions(module, facts, [call], text, ast.parse(text))[call]
    assert (found.start.line, found.start.column) == (2, 1)


def test_notebook_cells_are_placed_from_the_stdlib_tree() -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["%matplotlib inline\n", "import numpy as np\n", "np.random.seed(0)  # 日本語\n"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["!pip install x\n", "def f():\n", "\treturn np.random.rand(\"😀\", k=(1))\n"]},
    ]
    data = json.dumps({"cells": cells, "metadata": {"language_info": {"name": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}).encode()
    text = read_notebook(data).text
    placed, rest = _compare(text)
    assert placed >= 8
    assert [cst.Module([]).code_for_node(node) for node in rest] == ["k=(1)"]


def test_reported_whitespace_of_a_call_placed_from_the_stdlib_tree_is_generated_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "import os\n\n\ndef f():\n    model.fit (x)\n"
    module = cst.parse_module(text)
    facts = FileFacts(module, "x.py", None)
    call = facts.calls[0].node
    # the whole-module provider is the last resort: the call's own statement is enough here
    monkeypatch.setattr(positions, "MetadataWrapper", None)
    found = positions.node_positions(module, facts, [call, call.whitespace_before_args], text, ast.parse(text))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert found[call] == expected[call]
    where = found[call.whitespace_before_args]
    assert where == expected[call.whitespace_before_args]
    assert (where.start.line, where.start.column, where.end.column) == (5, 15, 15)  # right after `(`
