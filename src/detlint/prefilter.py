"""Which rules can match a file at all, decided before the LibCST parse.

Stage one reads the text: a rule declares the words its triggers need and the libraries it is
about; a file that contains none of the words, or imports none of the libraries, is dropped.
Stage two reads the stdlib ``ast`` tree the engine builds anyway (see ``analysis/syntax.py``):
words in docstrings and comments no longer count, and a rule's ``needs`` predicate can ask what
the code calls. A file no rule survives is never parsed by LibCST.
"""

from __future__ import annotations

import ast
import re
import sys
from typing import TYPE_CHECKING, Iterable, Iterator

from detlint.analysis.syntax import build_index
from detlint.knowledge.producers import NON_PROJECT_ROOTS
from detlint.rule import Rule

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex

# An import, also with backslash continuations or spaces inside dotted names; it counts where it starts a
# statement (see _statement_starts). Over-matching only costs a parse.
_IMPORT = re.compile(
    r"from[ \t\f\\\n]+(?P<from>[\w. \t]+?)[ \t\f\\\n]+import\b|import[ \t\f\\\n]+(?P<names>[^#;\n]+)")
_RELATIVE_IMPORT = re.compile(r"from[ \t\f\\\n]+\.")


def _statements(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` (which starts with a keyword) at the start of a line or after ``;`` or
    ``:`` (``x = 1; import os``, ``try: import x``), spaces and tabs aside. That condition is checked
    looking back from each match: as the pattern's first part, it would be tried at every character."""
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return
        if _statement_starts(text, match.start()):
            yield match
            position = match.end()
        else:  # an import may start inside what matched here (``... from a\nimport b``)
            position = match.start() + 1


def _statement_starts(text: str, index: int) -> bool:
    while index and text[index - 1] in " \t\f":
        index -= 1
    return index == 0 or text[index - 1] in "\n;:"


def imported_roots(text: str) -> set[str]:
    roots: set[str] = set()
    if "import" not in text:  # one fast scan spares a slow regex search of a large data file
        return roots
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for match in _statements(_IMPORT, text):
        if match.group("from") is not None:
            module = match.group("from").replace(" ", "").replace("\t", "")
            if not module.startswith("."):
                roots.add(module.split(".", 1)[0])
        else:
            for part in match.group("names").replace("(", " ").replace(")", " ").split(","):
                name = part.strip().split(" ", 1)[0]
                if name:
                    roots.add(name.split(".", 1)[0])
    return roots


def candidate_rules(text: str, rules: Iterable[Rule]) -> list[Rule]:
    """Rules whose words occur in the text and whose libraries the text imports."""
    roots: set[str] | None = None
    present: dict[str, bool] = {}  # each word searched once: on a large file every search is a full scan
    found = []
    for rule in rules:
        meta = rule.meta
        if meta.imports:  # one pass over the text, before the word searches it saves
            if roots is None:
                roots = imported_roots(text)
            if not roots.intersection(meta.imports) and not (
                    meta.project_imports and _may_import_project(roots, text)):
                continue
        if meta.words and not any(_occurs(word, text, present) for word in meta.words):
            continue
        found.append(rule)
    return found


# Roots that are never a module of the project: the standard library and the libraries the rules know.
_NOT_PROJECT_ROOTS = frozenset(sys.stdlib_module_names) | NON_PROJECT_ROOTS


def _may_import_project(roots: set[str], text: str) -> bool:
    """Whether a file may import a module of its project (stage one knows no project: any import that is
    not of the standard library or of a known library, or a relative import, may be one)."""
    return not roots.issubset(_NOT_PROJECT_ROOTS) or next(_statements(_RELATIVE_IMPORT, text), None) is not None


def _occurs(word: str, text: str, present: dict[str, bool]) -> bool:
    found = present.get(word)
    if found is None:
        found = present[word] = word in text
    return found


def rules_needed(tree: "ast.Module", rules: list[Rule], project: "ProjectIndex | None" = None) -> list[Rule]:
    """The second stage, on the stdlib tree the engine parsed anyway: drop the rules whose ``needs``
    predicate says they cannot match this file's code, and those whose libraries only strings
    or comments mention."""
    if not any(rule.meta.needs is not None or rule.meta.imports for rule in rules):
        return rules
    index = build_index(tree)
    if project is not None:
        index.project_packages = project.packages
    return [rule for rule in rules
            if (not rule.meta.imports or not index.imports.isdisjoint(rule.meta.imports)
                or (rule.meta.project_imports and index.imports_project_code()))
            and (rule.meta.needs is None or rule.meta.needs(index))]
