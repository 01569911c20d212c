"""Seeding facts shared by the seeding rules: global draws and how a seeding call is written."""

from __future__ import annotations

import re

import libcst as cst

from detlint.analysis.facts import Call, FileFacts
from detlint.analysis.syntax import SyntaxIndex
from detlint.knowledge.seeds import GLOBAL_SEEDS, NUMPY_GLOBAL_DRAWS, PYTHON_GLOBAL_DRAWS

# Pre-filter: the last names of global seeding calls and of global draws.
SEED_CALL_NAMES = frozenset(c.rsplit(".", 1)[-1] for c in GLOBAL_SEEDS)
GLOBAL_DRAWS = NUMPY_GLOBAL_DRAWS | PYTHON_GLOBAL_DRAWS


def draws_globally(index: SyntaxIndex) -> bool:
    return not index.random_module_calls.isdisjoint(GLOBAL_DRAWS)


def global_draw_library(callee: str | None) -> str | None:
    """``"numpy"`` or ``"python"`` for a draw from that library's global generator, else None."""
    if callee is None:
        return None
    module, _, name = callee.rpartition(".")
    if module == "numpy.random" and name in NUMPY_GLOBAL_DRAWS:
        return "numpy"
    if module == "random" and name in PYTHON_GLOBAL_DRAWS:
        return "python"
    return None


def callee_text(facts: FileFacts, node: cst.CSTNode) -> str:
    """Source text of a callee for messages, on one line (a chain may be spread over several)."""
    return re.sub(r"\s+", "", facts.module.code_for_node(node))


def in_lambda(call: Call) -> bool:
    scope = call.scope
    while scope is not None:
        if scope.kind == "lambda":
            return True
        scope = scope.parent
    return False
