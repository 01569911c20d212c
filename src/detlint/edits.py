"""Fix intents and where they land in the text.

A rule says what a fix does as an *intent* on LibCST nodes (:class:`Replace`, :class:`InsertAfter`,
:class:`InsertAfterImports`), usually built with the helpers below (:func:`add_keyword`,
:func:`replace_value`, :func:`sorted_replacement`...); the engine turns intents into text edits once
the nodes' positions are known (:func:`insert_lines` places inserted lines), and ``detlint.fixes``
applies them.

Placement of inserted module-level lines: a seeding call a fix inserts must run before the first
randomness the module consumes when it is run (model or layer construction, a split or shuffle, a
draw, a random op, training): placed after it, that randomness already happened, the seed controls
none of it, and DET104 reports the fix itself. The call must also come after the imports and the seed
constant it uses. Within those bounds it goes right after the last top-level import, where people
look for seeding code. Late imports (an import after the model is built, a notebook whose imports sit
in a later cell) are why "after the last import" alone is not enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

import libcst as cst
from libcst.metadata import CodeRange

from detlint.analysis import ml
from detlint.analysis.facts import Call, FileFacts
from detlint.finding import Edit
from detlint.knowledge import keras, seeds
from detlint.analysis.splits import is_split_name

if TYPE_CHECKING:
    from detlint.rule import RuleContext


# -- intents ---------------------------------------------------------------------------------------

@dataclass
class Replace:
    """Fix edit: replace ``node`` with ``new`` (a node or source text)."""

    node: cst.CSTNode
    new: cst.CSTNode | str


@dataclass
class InsertAfter:
    """Fix edit: insert ``text`` right after ``node``."""

    node: cst.CSTNode
    text: str


@dataclass
class InsertAfterImports:
    """Fix edit: insert these lines after the module's last top-level import (or docstring); see
    :func:`insert_lines`."""

    lines: tuple[str, ...]
    # module-level names the inserted lines use: insert after their assignment too
    after_names: tuple[str, ...] = ()
    # the lines must run before this node's module-level statement (default: the reported node's)
    before: cst.CSTNode | None = None


FixEdit = Replace | InsertAfter | InsertAfterImports


# -- builders --------------------------------------------------------------------------------------

def add_keyword(call: Call, keyword: str, value: str) -> tuple[FixEdit, ...]:
    """Edits that append ``keyword=value`` to a call's arguments, keeping its formatting.

    Anchored on the whole last argument (its range includes parentheses around the value, which the
    value's own range does not) or, with no arguments, right after the opening parenthesis."""
    args = call.node.args
    if not args:
        return (InsertAfter(call.node.whitespace_before_args, f"{keyword}={value}"),)
    return (InsertAfter(args[-1], f", {keyword}={value}"),)


def replace_value(arg: cst.Arg, text: str) -> tuple[FixEdit, ...]:
    return (Replace(arg.value, text),)


def seed_fix(ctx: RuleContext, call: Call, keyword: str) -> tuple[FixEdit, ...]:
    """``keyword=<seed>`` added to ``call``, the seed written as :meth:`RuleContext.seed_text` says."""
    return add_keyword(call, keyword, ctx.seed_text())


def sorted_is_shadowed(facts: FileFacts) -> bool:
    if facts.module_scope.bindings.get("sorted"):
        return True
    return any(info.scope.bindings.get("sorted") for info in facts.functions)


def sorted_replacement(facts: FileFacts, node: cst.CSTNode, key: str = "") -> FixEdit:
    """``sorted(<node>)``, replacing a ``list(<node>)`` around it (same type, less noise)."""
    code = facts.module.code_for_node(node)
    arg = facts.parent(node)
    if isinstance(arg, cst.Arg) and arg.keyword is None and not arg.star:
        call = facts.parent(arg)
        if isinstance(call, cst.Call) and len(call.args) == 1 and facts.origin(call.func) == "builtins.list":
            return Replace(call, f"sorted({code}{key})")
    return Replace(node, f"sorted({code}{key})")


# -- placement of inserted lines -------------------------------------------------------------------

# Modules whose lower-case functions draw from (or advance) a global random state. Capitalised names
# there are generator classes, which draw nothing until used.
_RANDOM_MODULES = frozenset({"numpy.random", "random", "tensorflow.random", "tensorflow.compat.v1.random",
                             "keras.random"})
_NOT_DRAWS = frozenset({"seed", "set_seed", "default_rng", "get_state", "getstate", "set_state", "setstate",
                        "get_global_generator", "set_global_generator"})
_SEED_KEYWORDS = ("seed", "random_state")


def consumes_randomness(facts: FileFacts, call: Call) -> bool:
    """Whether a call may consume randomness a global seed controls. Deliberately wider than what
    DET104 reports (any Keras class construction, any split-like call): a seed placed a little
    earlier than needed does no harm, one placed too late does."""
    callee = call.callee
    if callee in seeds.GLOBAL_SEEDS:
        return False
    if ml.is_training_call(facts, call):
        return True
    value = facts.origin(call.node)  # what the call returns: ``keras.Sequential()`` for a local ``build()``
    info = ml.local_class(facts, value)
    if info is not None and ml.is_keras_layer_class(facts, info):
        return True
    if any(_builds_keras_object(origin) for origin in (callee, ml.strip_call(value))):
        return True  # models, layers, initializers, applications: their weights and seeds are drawn here
    if callee is None:
        return False
    module, _, name = callee.rpartition(".")
    if module in _RANDOM_MODULES:
        return name[:1].islower() and name not in _NOT_DRAWS
    if is_split_name(name.replace("()", "")):
        return not any(arg.keyword is not None and arg.keyword.value in _SEED_KEYWORDS for arg in call.node.args)
    return False


def _builds_keras_object(origin: str | None) -> bool:
    if not origin or "(" in origin or not origin.startswith(("keras.", "tf_keras.")):
        return False
    return origin.rsplit(".", 1)[-1][:1].isupper() or origin in keras.KERAS_MODEL_BUILDERS | keras.LOAD_MODEL_FUNCTIONS


def top_statement(facts: FileFacts, node: cst.CSTNode) -> cst.CSTNode:
    """The module-level statement that holds ``node`` (``node`` itself when it is one)."""
    top = node
    for ancestor in facts.ancestors(node):
        if isinstance(ancestor, cst.Module):
            break
        top = ancestor
    return top


def seed_deadline(facts: FileFacts, node: cst.CSTNode) -> cst.CSTNode:
    """The module-level statement a seeding call inserted for ``node`` must come before: the one
    holding ``node`` or, when earlier, the first one that consumes randomness as the module runs
    (code in functions and lambdas runs later, at a time not known here)."""
    deadline = top_statement(facts, node)
    for call in facts.calls:
        if call.function is not None or _in_lambda(facts, call.node):
            continue
        if facts.order(call.node) >= facts.order(deadline):
            break  # calls are in source order
        if consumes_randomness(facts, call):
            return top_statement(facts, call.node)
    return deadline


def _in_lambda(facts: FileFacts, node: cst.CSTNode) -> bool:
    return any(isinstance(ancestor, cst.Lambda) for ancestor in facts.ancestors(node))


def insert_lines(edit: InsertAfterImports, report_node: cst.CSTNode, module: cst.Module, facts: FileFacts,
                 positions: Mapping[cst.CSTNode, CodeRange], text: str) -> Edit | None:
    """The text edit for an :class:`InsertAfterImports` intent: after the last top-level import (or
    docstring, or binding of a name the lines use) that comes before the statement they must precede
    (``edit.before``, else the reported one)."""
    if not module.body:
        return None
    body = list(module.body)
    deadline = top_statement(facts, edit.before if edit.before is not None else report_node)
    stop = body.index(deadline) if deadline in body else len(body)
    anchor = None
    for index, statement in enumerate(body[:stop]):
        if _is_import(statement) or (index == 0 and _is_docstring(statement)):
            anchor = index
    limit = facts.order(body[stop]) if stop < len(body) else None
    for name in edit.after_names:
        for binding in facts.module_scope.bindings.get(name, ()):
            if limit is None or binding.order < limit:
                bound_in = top_statement(facts, binding.node)
                if bound_in in body:
                    anchor = max(anchor if anchor is not None else -1, body.index(bound_in))
    insertion = "".join(f"{line}{module.default_newline}" for line in edit.lines)
    if anchor is None:
        start = positions[body[0]].start
        return Edit(start.line, 0, start.line, 0, insertion)
    end = positions[body[anchor]].end
    line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
    if end.line >= line_count and not text.endswith(("\n", "\r")):
        return Edit(end.line, end.column, end.line, end.column, module.default_newline + insertion.rstrip("\r\n"))
    return Edit(end.line + 1, 0, end.line + 1, 0, insertion)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _is_import(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)
    if isinstance(statement, cst.Try):  # try: import x / except ImportError: ...
        return all(isinstance(s, cst.SimpleStatementLine)
                   and all(isinstance(b, (cst.Import, cst.ImportFrom)) for b in s.body) for s in statement.body.body)
    return False


def keras_seed_statement(facts: FileFacts, seed: str, before: int | None = None) -> tuple[tuple[str, ...], str]:
    """(import lines to add, statement) that seed Python, NumPy and TF through Keras. With ``before``
    (a node order), only imports bound before that point are used: the seed goes in front of it."""
    for origin, attribute in (("keras", "utils"), ("tensorflow", "keras.utils")):
        for name, bindings in facts.module_scope.bindings.items():
            if any(b.fixed_origin == origin and (before is None or b.order < before) for b in bindings):
                return (), f"{name}.{attribute}.set_random_seed({seed})"
    return ("import keras",), f"keras.utils.set_random_seed({seed})"
