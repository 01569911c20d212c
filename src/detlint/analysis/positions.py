"""Positions of reported nodes, computed only for the top-level statements that contain them.

LibCST's PositionProvider generates the code of the whole module (about 1.5x the parse) to place
every node. We need a handful of nodes, so each containing top-level statement is generated on
its own in a one-statement module, and its line offset in the file comes from the stdlib parser
(``ast``, about a tenth of the cost). When the two parsers disagree on the file's top-level
statements, we fall back to the whole-module provider.
"""

from __future__ import annotations

import ast
from typing import Iterable, Mapping

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from detlint.analysis.facts import FileFacts
from detlint.source import lines as split_lines


def node_positions(module: cst.Module, facts: FileFacts, nodes: Iterable[cst.CSTNode], text: str
                   ) -> Mapping[cst.CSTNode, CodeRange]:
    wanted = list(nodes)
    try:
        return _by_statement(module, facts, wanted, text)
    except (_Mismatch, SyntaxError, ValueError, RecursionError, MemoryError, KeyError, IndexError):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


class _Mismatch(Exception):
    pass


def _first_token_lines(module: cst.Module, text: str) -> list[int]:
    """The line of the first token of each LibCST top-level statement, from the stdlib parser."""
    tree = ast.parse(text)
    lines: list[int] = []
    index = 0
    for statement in module.body:
        if index >= len(tree.body):
            raise _Mismatch
        node = tree.body[index]
        decorators = getattr(node, "decorator_list", None)
        lines.append(min([d.lineno for d in decorators] + [node.lineno]) if decorators else node.lineno)
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    if index != len(tree.body):
        raise _Mismatch
    return lines


def _top_statement(facts: FileFacts, node: cst.CSTNode, module: cst.Module) -> cst.CSTNode:
    top = node
    for ancestor in facts.ancestors(node):
        if ancestor is module:
            return top
        top = ancestor
    if top is module or node is module:
        raise _Mismatch
    return top


def _by_statement(module: cst.Module, facts: FileFacts, nodes: list[cst.CSTNode], text: str
                  ) -> dict[cst.CSTNode, CodeRange]:
    index_of = {id(statement): i for i, statement in enumerate(module.body)}
    groups: dict[int, list[cst.CSTNode]] = {}
    for node in nodes:
        top = node if id(node) in index_of else _top_statement(facts, node, module)
        groups.setdefault(index_of[id(top)], []).append(node)
    lines = _first_token_lines(module, text)
    real_lines = split_lines(text)
    found: dict[cst.CSTNode, CodeRange] = {}
    for index, members in groups.items():
        statement = module.body[index]
        single = module.with_changes(body=[statement], header=[], footer=[])
        local = MetadataWrapper(single, unsafe_skip_copy=True).resolve(PositionProvider)
        decorators = getattr(statement, "decorators", ())
        first = local[decorators[0]] if decorators else local[statement]  # a def's own range starts at `def`
        offset = lines[index] - first.start.line
        local_lines = split_lines(single.code)

        def place(position: CodePosition) -> CodePosition:
            # The statement's text must be the file's text on that line; whitespace the file keeps
            # outside the statement (a form feed before it) shifts its columns.
            line = position.line + offset
            mine, real = local_lines[position.line - 1], real_lines[line - 1]
            if mine == real:
                return CodePosition(line, position.column)
            if real.endswith(mine):
                return CodePosition(line, position.column + len(real) - len(mine))
            raise _Mismatch

        for node in members:
            where = local[node]
            found[node] = CodeRange(place(where.start), place(where.end))
    return found
