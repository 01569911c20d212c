"""Positions of reported nodes, read from the stdlib parser's tree where it places them exactly.

LibCST's PositionProvider generates the code of the whole module (about 1.5x the parse) to place
every node. We need a handful of nodes. Most are calls, their arguments and statements, whose
LibCST range is the range of the matching node of the stdlib tree the engine has already built
(converted from UTF-8 byte columns to characters): the k-th statement in LibCST's pre-order is the
k-th in ``ast``'s, and the k-th call of a statement is the k-th of the ``ast`` statement in source
order. For the other nodes, and where the two trees could disagree (a node in parentheses, which
LibCST's range includes; calls in f-strings, which older interpreters place loosely), only the
innermost statement around the node is generated, with the indentation of the blocks around it;
when that fails too we fall back to top-level statements, then to the whole-module provider.
"""

from __future__ import annotations

import ast
from typing import Iterable, Mapping

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from detlint.analysis.facts import FileFacts
from detlint.source import lines as split_lines


_FAILURES = (SyntaxError, ValueError, RecursionError, MemoryError, KeyError, IndexError, AttributeError, TypeError)


def node_positions(module: cst.Module, facts: FileFacts, nodes: Iterable[cst.CSTNode], text: str,
                   tree: ast.Module | None) -> Mapping[cst.CSTNode, CodeRange]:
    """``tree`` is the stdlib tree of ``text`` the engine already built (never parsed again here);
    None when the running interpreter cannot parse the file (newer syntax): LibCST places every node."""
    wanted = list(nodes)
    if tree is None:
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    try:
        found, rest = _from_stdlib_tree(module, facts, wanted, text, tree)
    except (_Mismatch, *_FAILURES):
        found, rest = {}, wanted
    if not rest:
        return found
    try:
        # every wanted node may own a reported whitespace node (see _owner), placed or not
        found.update(_by_innermost_statement(module, facts, rest, text, tree, owners=wanted))
        return found
    except (_Mismatch, *_FAILURES):
        pass
    try:
        found.update(_by_statement(module, facts, rest, text, tree))
        return found
    except (_Mismatch, *_FAILURES):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


# Compound statements whose LibCST range (from the keyword, after any decorators, to the end of the
# last statement of the last block) is the stdlib node's range.
_PLACED_STATEMENTS = (cst.FunctionDef, cst.ClassDef, cst.If, cst.For, cst.While, cst.With, cst.Try)


class _Columns:
    """Converts the stdlib parser's UTF-8 byte columns into the characters LibCST counts."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)  # the tokenizer's lines: it breaks lines where LibCST does

    def position(self, line: int, byte_column: int) -> CodePosition:
        text = self.lines[line - 1]
        if text.isascii():
            return CodePosition(line, byte_column)
        return CodePosition(line, len(text.encode("utf-8")[:byte_column].decode("utf-8")))

    def range(self, node: ast.AST, last: ast.AST | None = None) -> CodeRange:
        end = last if last is not None else node
        return CodeRange(self.position(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                         self.position(end.end_lineno, end.end_col_offset))  # type: ignore[attr-defined]


def _parenthesized(node: cst.CSTNode) -> bool:
    return bool(getattr(node, "lpar", None))


def _ast_calls(statements: list[ast.stmt]) -> list[ast.Call] | None:
    """The calls of statements (not of the statements nested in their blocks), in source order; None
    when one of them holds an f-string (the stdlib parser places its parts loosely on some versions)."""
    calls: list[ast.Call] = []
    stack: list[ast.AST] = []
    for statement in statements:
        for name, value in ast.iter_fields(statement):
            if name in _AST_FIELDS:
                for item in value:
                    if isinstance(item, (ast.excepthandler, ast.match_case)):  # their header, not their body
                        stack.extend(child for child in ast.iter_child_nodes(item) if not isinstance(child, ast.stmt))
            elif isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.JoinedStr):
            return None
        if isinstance(node, ast.Call):
            calls.append(node)
        stack.extend(ast.iter_child_nodes(node))
    calls.sort(key=lambda call: (call.lineno, call.col_offset, -call.end_lineno,  # type: ignore[operator]
                                 -call.end_col_offset))  # type: ignore[operator]
    return calls


def _from_stdlib_tree(module: cst.Module, facts: FileFacts, nodes: list[cst.CSTNode], text: str,
                      tree: ast.Module) -> tuple[dict[cst.CSTNode, CodeRange], list[cst.CSTNode]]:
    """The positions of the calls, arguments and statements among ``nodes``, read from the stdlib
    tree; and the nodes it does not place."""
    statements = _ast_preorder(tree)
    order, count = _cst_preorder(module)
    if len(statements) != count:
        raise _Mismatch
    columns = _Columns(text)
    calls_of: dict[int, list[cst.Call]] = {}  # id of a statement -> its calls, in source order
    for call in facts.calls:
        if call.statement is not None:
            calls_of.setdefault(id(call.statement), []).append(call.node)
    matched: dict[int, list[tuple[cst.Call, ast.Call]] | None] = {}

    def call_pairs(statement: cst.CSTNode) -> list[tuple[cst.Call, ast.Call]] | None:
        key = id(statement)
        if key not in matched:
            first = order.get(key)
            mine = calls_of.get(key, [])
            theirs = None
            if first is not None:
                width = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
                theirs = _ast_calls(statements[first:first + width])
            matched[key] = list(zip(mine, theirs)) if theirs is not None and len(theirs) == len(mine) else None
        return matched[key]

    def call_of(call: cst.Call) -> ast.Call | None:
        statement = next((n for n in facts.ancestors(call)
                          if isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement))), None)
        pairs = call_pairs(statement) if statement is not None else None
        return next((theirs for mine, theirs in pairs or () if mine is call), None)

    found: dict[cst.CSTNode, CodeRange] = {}
    rest: list[cst.CSTNode] = []
    for node in nodes:
        where = None
        if isinstance(node, cst.Call) and not _parenthesized(node):
            theirs = call_of(node)
            if theirs is not None:
                where = columns.range(theirs)
        elif isinstance(node, cst.Arg) and not _parenthesized(node.value) and not isinstance(
                node.value, cst.GeneratorExp):
            parent = facts.parent(node)
            theirs = call_of(parent) if isinstance(parent, cst.Call) else None
            if theirs is not None:
                arguments = sorted([*theirs.args, *theirs.keywords],
                                   key=lambda item: (item.lineno, item.col_offset))  # type: ignore[attr-defined]
                index = next((i for i, arg in enumerate(parent.args) if arg is node), None)  # type: ignore[union-attr]
                if index is not None and len(arguments) == len(parent.args):  # type: ignore[union-attr]
                    where = columns.range(arguments[index])
        elif isinstance(node, cst.SimpleStatementLine):
            first = order.get(id(node))
            if first is not None and not isinstance(node.body[-1].semicolon, cst.Semicolon):
                where = columns.range(statements[first], statements[first + len(node.body) - 1])
        elif isinstance(node, _PLACED_STATEMENTS):
            first = order.get(id(node))
            if first is not None:
                where = columns.range(statements[first])
                # a block whose last line ends in `;`: the stdlib range takes it in, LibCST's does not
                if columns.lines[where.end.line - 1][where.end.column - 1:where.end.column] == ";":
                    where = None
        if where is None:
            rest.append(node)
        else:
            found[node] = where
    return found, rest


_SUITE_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")  # in source order, as ast has them


def _cst_suites(statement: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """The statements directly inside a compound statement, in source order (``elif`` is one).
    Read from the fields: LibCST's ``children`` rebuilds the child list by visiting the node."""
    for name in _SUITE_FIELDS:
        value = getattr(statement, name, None)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if child is None:
                continue
            if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite)):
                yield from child.body
            elif isinstance(child, (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.MatchCase)):
                yield from child.body.body
            elif isinstance(child, cst.If):  # elif
                yield child


def _cst_preorder(module: cst.Module) -> tuple[dict[int, int], int]:
    """id of each LibCST statement -> index of its (first) statement in ast's pre-order; and how many
    statements ast has."""
    order: dict[int, int] = {}
    count = 0
    stack: list[cst.CSTNode] = list(reversed(module.body))
    while stack:
        statement = stack.pop()
        order[id(statement)] = count
        if isinstance(statement, (cst.SimpleStatementLine,)):
            count += len(statement.body)
        elif isinstance(statement, cst.BaseSmallStatement):
            count += 1
        else:
            count += 1
            stack.extend(reversed(list(_cst_suites(statement))))
    return order, count


_AST_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")


def _ast_preorder(tree: ast.Module) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        statement = stack.pop()
        found.append(statement)
        children: list[ast.stmt] = []
        for name in _AST_FIELDS:
            for item in getattr(statement, name, ()):
                if isinstance(item, ast.stmt):
                    children.append(item)
                elif isinstance(item, (ast.excepthandler, ast.match_case)):
                    children.extend(item.body)
        stack.extend(reversed(children))
    return found


def _first_line(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None)
    return min([d.lineno for d in decorators] + [statement.lineno]) if decorators else statement.lineno


def _owner(node: cst.CSTNode, others: list[cst.CSTNode]) -> cst.CSTNode:
    """The wanted node that holds ``node`` as a child or grandchild: the analysis does not record the
    parents of whitespace, which fixes anchor on (``whitespace_before_args`` of a reported call)."""
    for other in others:
        for child in other.children:
            if child is node or any(grandchild is node for grandchild in child.children):
                return other
    raise _Mismatch


def _innermost(facts: FileFacts, node: cst.CSTNode, module: cst.Module, others: list[cst.CSTNode] | tuple = ()
               ) -> tuple[cst.CSTNode, list[str]]:
    """The innermost statement around ``node`` (itself if it is one) and the indentation of its blocks."""
    chain = [node, *facts.ancestors(node)]
    if chain[-1] is not module:
        if node is module or not others:
            raise _Mismatch
        return _innermost(facts, _owner(node, [o for o in others if o is not node]), module)
    statement = next((n for n in chain if isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement))), None)
    if statement is None:
        raise _Mismatch
    # An `elif` is an If inside its parent's orelse and cannot be generated on its own.
    while isinstance(statement, cst.If):
        parent = chain[chain.index(statement) + 1]
        if not (isinstance(parent, cst.If) and parent.orelse is statement):
            break
        statement = parent
    # Blocks indent their statements; a `match` indents its `case`s itself.
    indents = [n.indent if n.indent is not None else module.default_indent
               for n in chain[chain.index(statement) + 1:] if isinstance(n, (cst.IndentedBlock, cst.Match))]
    return statement, list(reversed(indents))


def _by_innermost_statement(module: cst.Module, facts: FileFacts, nodes: list[cst.CSTNode], text: str,
                            tree: ast.Module, owners: list[cst.CSTNode] | None = None) -> dict[cst.CSTNode, CodeRange]:
    statements = _ast_preorder(tree)
    order, count = _cst_preorder(module)
    if len(statements) != count:
        raise _Mismatch
    groups: dict[int, tuple[cst.CSTNode, list[str], list[cst.CSTNode]]] = {}
    for node in nodes:
        statement, indents = _innermost(facts, node, module, owners if owners is not None else nodes)
        groups.setdefault(id(statement), (statement, indents, []))[2].append(node)
    real_lines = split_lines(text)
    found: dict[cst.CSTNode, CodeRange] = {}
    for statement, indents, members in groups.values():
        provider = PositionProvider()
        state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                              default_newline=module.default_newline, provider=provider)
        state.indent_tokens = indents
        statement._codegen(state)
        local = provider._computed  # noqa: SLF001 - the provider's own result table
        decorators = getattr(statement, "decorators", ())
        first = local[decorators[0]] if decorators else local[statement]
        offset = _first_line(statements[order[id(statement)]]) - first.start.line
        local_lines = split_lines("".join(state.tokens))

        def place(position: CodePosition) -> CodePosition:
            line = position.line + offset
            if local_lines[position.line - 1] != real_lines[line - 1]:
                raise _Mismatch
            return CodePosition(line, position.column)

        for node in members:
            where = local[node]
            found[node] = CodeRange(place(where.start), place(where.end))
    return found


class _Mismatch(Exception):
    pass


def _first_token_lines(module: cst.Module, tree: ast.Module) -> list[int]:
    """The line of the first token of each LibCST top-level statement, from the stdlib parser."""
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


def _by_statement(module: cst.Module, facts: FileFacts, nodes: list[cst.CSTNode], text: str,
                  tree: ast.Module
                  ) -> dict[cst.CSTNode, CodeRange]:
    index_of = {id(statement): i for i, statement in enumerate(module.body)}
    groups: dict[int, list[cst.CSTNode]] = {}
    for node in nodes:
        top = node if id(node) in index_of else _top_statement(facts, node, module)
        groups.setdefault(index_of[id(top)], []).append(node)
    lines = _first_token_lines(module, tree)
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
