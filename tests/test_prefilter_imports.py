"""Stage one of the pre-filter reads a file's imports with keyword-first patterns and a look back for
where a statement starts; it must find exactly what the single line-anchored patterns it replaced
found (``(?:^|[;:])[ \\t\\f]*...``, which the regular expression engine tries at every character)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from detlint import prefilter

ROOT = Path(__file__).resolve().parents[1]

# The patterns as they were: the specification the faster reading must keep.
LINE_ANCHORED_IMPORT = re.compile(
    r"(?:^|[;:])[ \t\f]*(?:from[ \t\f\\\n]+(?P<from>[\w. \t]+?)[ \t\f\\\n]+import\b|import[ \t\f\\\n]+(?P<names>[^#;\n]+))",
    re.MULTILINE)
LINE_ANCHORED_RELATIVE_IMPORT = re.compile(r"(?:^|[;:])[ \t\f]*from[ \t\f\\\n]+\.", re.MULTILINE)


def _read(matches: "Iterable[re.Match[str]]") -> list[tuple[int, str | None, str | None]]:
    """Where each import's module or names start, and what they are."""
    return [(match.start("from") if match.group("from") is not None else match.start("names"), match.group("from"),
             match.group("names")) for match in matches]


def _imports(text: str) -> list[tuple[int, str | None, str | None]]:
    return _read(prefilter._statements(prefilter._IMPORT, text))


def _reference_imports(text: str) -> list[tuple[int, str | None, str | None]]:
    return _read(LINE_ANCHORED_IMPORT.finditer(text))


def _relative(text: str) -> bool:
    return prefilter._may_import_project(set(), text)


PIECES = ["from", "import", " ", "\t", "\f", "\n", "\r\n", "\r", "\\\n", ";", ":", ".", "..", "#", ",", "(", ")",
          "os", "a.b", "keras", "x = 1", "try", "as np", "_x", "fromage", "imports", "'from a import b'"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_imports_are_read_as_the_line_anchored_patterns_read_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _imports(text) == _reference_imports(text)
    assert _relative(text) == (LINE_ANCHORED_RELATIVE_IMPORT.search(text) is not None)


def test_imports_of_real_files_are_read_as_before() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "src").rglob("*.py"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").rglob("*.py"))]
    tricky = [
        "x = 1; import os\ntry: import numpy as np\nexcept ImportError: pass\n",
        "data from a\nimport keras\n",  # an import starting inside a rejected match
        "from \\\n  sklearn . model_selection import (train_test_split,\n KFold)\n",
        "if True:from . import sibling\n",
        '"""Text from the import of data."""\nimport pandas\n',
    ]
    for text in texts + tricky:
        assert _imports(text) == _reference_imports(text), text[:80]
        assert _relative(text) == (LINE_ANCHORED_RELATIVE_IMPORT.search(text) is not None), text[:80]
    assert prefilter.imported_roots(tricky[1]) == {"keras"}
    assert _relative(tricky[3])
