"""Files written for a newer Python than the one running detlint (PEP 695 generics, PEP 701
f-strings on 3.11): the stdlib parser rejects them, LibCST, whose grammar follows newer Python,
parses them.

The stdlib parser's nesting guards stay in force: code it refuses as nested too deeply is never
handed to LibCST, whose native parser recurses once per bracket and overflows its stack (or runs
out of memory) on a few thousand. An older tokenizer can read a PEP 701 f-string's code as string
text and so miss nesting inside it; the raw text's bracket depth is checked as well.
"""

from __future__ import annotations

import re

import libcst as cst

from detlint.deep import on_big_stack

# The interpreter's own limit on nested brackets. Brackets in strings and comments count too.
MAX_BRACKET_DEPTH = 200
_BRACKETS = re.compile(r"[()\[\]{}]")


def parse_newer_syntax(text: str) -> cst.Module | None:
    """LibCST's tree of ``text`` when LibCST accepts it and it is not nested too deeply; else None."""
    if bracket_depth(text) > MAX_BRACKET_DEPTH:
        return None
    try:
        # LibCST's node validation stays on here (see detlint.cst_parse): it is the part of LibCST that
        # refuses some code the interpreter refuses too, such as a str literal joined to a bytes one.
        return on_big_stack(cst.parse_module, text)
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError, ValueError, TypeError, MemoryError):
        return None


def bracket_depth(text: str) -> int:
    """The deepest nesting of brackets in the raw text."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest
