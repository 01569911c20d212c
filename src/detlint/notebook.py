"""Jupyter notebooks (``.ipynb``) as Python source: read the code cells, map positions back, write fixes back.

``read_notebook`` turns the notebook's bytes into one Python text, the code cells in order (markdown
and raw cells are skipped), that the linter parses and checks like a script:

* IPython syntax that is not Python is replaced, whole lines only, by a placeholder statement that
  keeps the line's indentation (``pass  # detlint-magic-<n>``): line magics (``%time f()``), shell
  escapes (``!pip install x``), assignments from them (``files = !ls``, ``t = %timeit -o f()``),
  help (``?obj``, ``obj?``, ``obj??``), auto-call escapes (``/f x``, ``,f x``, ``;f x``), and the
  backslash-continued lines of any of these. Only the start of a logical line counts, so a ``%``
  or ``!`` inside a string, a comment or an open bracket is left alone.
* A cell whose first line is a cell magic (``%%bash``, ``%%writefile f``, ...) is not Python: all of
  its lines become comments (``# detlint-magic-<n>``). ``%%time``, ``%%timeit`` and ``%%capture``
  run their body as Python: only their first line is replaced.
* Consecutive code cells are separated by a boundary comment line (``# detlint-cell-boundary <n>``).
  Cells keep their own lines and columns, so a ``# noqa: DET101`` comment stays on its line.

``NotebookSource.position`` maps a line of that text back to (cell number, line in cell), where the
cell number is the 1-based index of the cell among *all* cells of the notebook, markdown and raw
cells included (for nbformat 3, the cells of all worksheets in order). Columns are unchanged.

``NotebookSource.write_back`` takes the text after fixes (edits may insert lines: a line inserted at
the start of a boundary line lands at the end of the cell before it) and returns the notebook's new
bytes: the original magic lines restored, only the ``source`` of the cells that changed replaced,
everything else (outputs, metadata, execution counts, key order, JSON layout) byte for byte as it
was. The JSON layout is found by re-serialising the parsed notebook and comparing with the original
bytes; if no layout reproduces them, ``NotebookWriteError`` is raised instead of reformatting the file.

Only the standard library (``json``, ``re``, ``dataclasses``) is imported: no nbformat, nothing heavy
at start-up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from detlint.source import SourceError

__all__ = ["NotebookError", "NotebookWriteError", "NotebookSource", "read_notebook"]

# Cell magics whose body is Python that IPython runs (only the first line is replaced).
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture"})

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")  # line breaks as LibCST counts them
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CELL_MAGIC = re.compile(r"[ \t]*%%(\w*)")
# `=` that is an assignment (not part of ==, !=, <=, +=, ...) followed by a magic or shell escape.
_MAGIC_ASSIGN = re.compile(r"(?<![=!<>+\-*/%&|^@:])=(?!=)[ \t]*[!%]")
_MAGIC_START = frozenset("%!?/,;")  # no Python logical line starts with one of these


class NotebookError(SourceError):
    """The bytes are not a notebook that can be linted (invalid JSON, not a notebook, bad cell); its
    ``line`` and ``column`` are in the .ipynb file itself (for invalid JSON)."""


class NotebookWriteError(NotebookError):
    """Fixed text cannot be written back without damaging the notebook: the JSON layout cannot be
    reproduced, or a fix changed a cell boundary or an IPython magic line."""


@dataclass(frozen=True)
class _Cell:
    number: int  # 1-based among all cells
    worksheet: int | None  # nbformat 3: index of the worksheet; nbformat 4: None
    index: int  # index in its cells list
    key: str  # "source" (nbformat 4) or "input" (nbformat 3)
    original: str  # the cell's source, joined
    as_list: bool  # the source was stored as a list of lines
    magic_lines: dict[int, str]  # placeholder id -> original line (without its line break)
    added_newline: bool  # "\n" appended so that the next boundary starts a line


@dataclass(frozen=True)
class _Layout:
    indent: str | None
    separators: tuple[str, str]
    ensure_ascii: bool
    newline: str
    trailing: str


@dataclass(frozen=True, eq=False)
class NotebookSource:
    """A notebook read as Python source. ``text`` is what the linter parses."""

    text: str
    language: str  # the kernel's language ("python" when the notebook does not say)
    nbformat: int
    _cells: tuple[_Cell, ...] = field(repr=False)
    _lines: tuple[tuple[int, int], ...] = field(repr=False)  # per line of text: (cell, line in cell)
    _boundary: str = field(repr=False)
    _magic: str = field(repr=False)
    _notebook: dict[str, Any] = field(repr=False)
    _raw: str = field(repr=False)
    _bom: bool = field(repr=False)
    _data: bytes = field(repr=False)

    @property
    def code_cells(self) -> tuple[int, ...]:
        """The numbers (1-based among all cells) of the code cells, in order."""
        return tuple(cell.number for cell in self._cells)

    def position(self, line: int) -> tuple[int, int]:
        """(cell number, line within the cell), both 1-based, for a 1-based line of ``text``.

        The cell number counts all cells of the notebook (markdown and raw ones too). A boundary
        line maps to the last line of the cell before it, a line past the end to the last line of
        the last code cell; a notebook without code cells maps everything to (1, 1)."""
        if not self._lines:
            return (1, 1)
        return self._lines[min(max(line, 1), len(self._lines)) - 1]

    def write_back(self, fixed_text: str) -> bytes:
        """The notebook file's bytes with ``fixed_text`` (``text`` after edits) in its code cells."""
        if fixed_text == self.text:
            return self._data
        changed: dict[tuple[int | None, int], str | list[str]] = {}
        for cell, part in zip(self._cells, self._split(fixed_text)):
            new = self._restore(cell, part)
            if new != cell.original:
                changed[(cell.worksheet, cell.index)] = _lines_keepends(new) if cell.as_list else new
        if not changed:
            return self._data
        layout = self._layout
        if layout is None:
            raise NotebookWriteError(
                "cannot write the fixes: the notebook's JSON layout is not one detlint can reproduce "
                "exactly (it is written as json.dumps with an indent, as Jupyter does); the file was left "
                "unchanged so as not to reformat it")
        text = _dump(_with_sources(self._notebook, changed, self.nbformat), layout)
        try:
            return (("\ufeff" if self._bom else "") + text).encode("utf-8")
        except UnicodeEncodeError as error:
            raise NotebookWriteError(f"cannot write the fixes: {error}") from None

    # -- internals -------------------------------------------------------------------------

    def _split(self, fixed_text: str) -> list[str]:
        """The fixed text cut at the cell boundaries, one part per code cell."""
        if not self._cells:
            if fixed_text.strip():
                raise NotebookWriteError("cannot write the fixes: the notebook has no code cell to hold them")
            return []
        if fixed_text.count(f"# {self._boundary} ") != len(self._cells) - 1:
            raise NotebookWriteError("cannot write the fixes: a fix changed a boundary between cells")
        parts: list[str] = []
        start = 0
        for cell in self._cells[1:]:
            marker = f"# {self._boundary} {cell.number}\n"
            found = fixed_text.find(marker, start)
            if found < 0 or (found > 0 and fixed_text[found - 1] not in "\r\n"):
                raise NotebookWriteError(
                    f"cannot write the fixes: a fix changed the boundary before cell {cell.number}")
            parts.append(fixed_text[start:found])
            start = found + len(marker)
        parts.append(fixed_text[start:])
        return parts

    def _restore(self, cell: _Cell, part: str) -> str:
        """A cell's part of the fixed text with its magic lines put back and the added newline removed."""
        if cell.added_newline and part.endswith("\n"):
            part = part[:-1]
        if not cell.magic_lines:
            return part
        placeholder = re.compile(rf"[ \t]*(?:pass  )?# {re.escape(self._magic)}-(\d+)")
        seen: set[int] = set()
        out: list[str] = []
        for content, ending in _split_lines(part):
            match = placeholder.fullmatch(content)
            if match and int(match.group(1)) in cell.magic_lines and int(match.group(1)) not in seen:
                seen.add(int(match.group(1)))
                content = cell.magic_lines[int(match.group(1))]
            out.append(content + ending)
        if len(seen) != len(cell.magic_lines):
            raise NotebookWriteError(
                f"cannot write the fixes: a fix changed an IPython magic or shell line in cell {cell.number}")
        return "".join(out)

    @cached_property
    def _layout(self) -> _Layout | None:
        return _detect_layout(self._notebook, self._raw)


def read_notebook(data: bytes) -> NotebookSource:
    """Read a ``.ipynb`` file's bytes (nbformat 4, or 3 with worksheets). Raises ``NotebookError``
    with a message for the user when the bytes are not a notebook."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        raw = data[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (3 if bom else 0)
        line, column = _position_of(data, offset)
        raise NotebookError(f"notebook is not valid UTF-8: {error.reason} at byte {offset}", line, column) from None
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError as error:
        raise NotebookError(f"notebook is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                            error.lineno, error.colno) from None
    except RecursionError:
        raise NotebookError("notebook is not valid JSON: nested too deeply") from None
    if not isinstance(notebook, dict):
        raise NotebookError(f"not a Jupyter notebook: the JSON top level is {_json_kind(notebook)}, not an object")
    version = notebook.get("nbformat")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise NotebookError(f"not a Jupyter notebook: 'nbformat' is {_json_kind(version)}, not an integer")
    if version is not None and version < 3:
        raise NotebookError(f"nbformat {version} notebooks are not supported (only nbformat 3 and 4); "
                            "open and save it in Jupyter to upgrade it")
    if "cells" not in notebook and ("worksheets" in notebook or version == 3):
        cell_lists = _worksheet_cells(notebook)
        version, key = 3, "input"
    elif not isinstance(notebook.get("cells"), list):
        problem = "has no 'cells' list" if "cells" not in notebook else f"has 'cells' that is {_json_kind(notebook['cells'])}"
        raise NotebookError(f"not a Jupyter notebook: the JSON object {problem}")
    else:
        cell_lists = [(None, notebook["cells"])]
        version, key = version if version is not None else 4, "source"

    found: list[tuple[int, int | None, int, str, bool]] = []  # number, worksheet, index, source, as list
    number = 0
    for worksheet, cell_list in cell_lists:
        for index, cell in enumerate(cell_list):
            number += 1
            if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
                raise NotebookError(f"not a Jupyter notebook: cell {number} has no 'cell_type'")
            if cell["cell_type"] == "code":
                found.append((number, worksheet, index, *_cell_source(cell, key, number)))

    everything = "".join(source for *_, source, _ in found)
    boundary = _unique_marker("detlint-cell-boundary", everything)
    magic = _unique_marker("detlint-magic", everything)
    cells: list[_Cell] = []
    pieces: list[str] = []
    lines: list[tuple[int, int]] = []
    counter = [0]
    for number, worksheet, index, original, as_list in found:
        python, magic_lines = _to_python(original, magic, counter)
        added = not python.endswith(("\n", "\r"))
        if added:
            python += "\n"
        if cells:
            pieces.append(f"# {boundary} {number}\n")
            lines.append(lines[-1])  # the boundary line: the last line of the cell before it
        pieces.append(python)
        lines.extend((number, n) for n in range(1, len(_LINE_BREAK.findall(python)) + 1))
        cells.append(_Cell(number, worksheet, index, key, original, as_list, magic_lines, added))
    if lines:
        lines.append(lines[-1])  # the empty line after the final line break
    return NotebookSource(
        text="".join(pieces), language=_language(notebook, cell_lists), nbformat=version,
        _cells=tuple(cells), _lines=tuple(lines), _boundary=boundary, _magic=magic,
        _notebook=notebook, _raw=raw, _bom=bom, _data=data)


# -- reading ---------------------------------------------------------------------------------


def _worksheet_cells(notebook: dict[str, Any]) -> list[tuple[int | None, list[Any]]]:
    worksheets = notebook.get("worksheets")
    if not isinstance(worksheets, list):
        raise NotebookError("not a Jupyter notebook: nbformat 3 notebook without a 'worksheets' list")
    result: list[tuple[int | None, list[Any]]] = []
    for index, worksheet in enumerate(worksheets):
        if not isinstance(worksheet, dict) or not isinstance(worksheet.get("cells", []), list):
            raise NotebookError(f"not a Jupyter notebook: worksheet {index + 1} has no 'cells' list")
        result.append((index, worksheet.get("cells", [])))
    return result


def _cell_source(cell: dict[str, Any], key: str, number: int) -> tuple[str, bool]:
    source = cell.get(key, "")
    if isinstance(source, str):
        return source, False
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source), True
    raise NotebookError(f"not a Jupyter notebook: the '{key}' of cell {number} is neither a string nor a list of strings")


def _language(notebook: dict[str, Any], cell_lists: list[tuple[int | None, list[Any]]]) -> str:
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict):
        for section, key in (("language_info", "name"), ("kernelspec", "language")):
            value = metadata.get(section)
            if isinstance(value, dict) and isinstance(value.get(key), str) and value[key]:
                return value[key].lower()
    for _, cells in cell_lists:  # nbformat 3 names the language per code cell
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code" and isinstance(cell.get("language"), str):
                return cell["language"].lower()
    return "python"


def _unique_marker(base: str, sources: str) -> str:
    """``base``, or ``base`` with a suffix, that occurs in no code cell."""
    marker, suffix = base, 0
    while marker in sources:
        suffix += 1
        marker = f"{base}-{suffix}"
    return marker


def _split_lines(text: str) -> list[tuple[str, str]]:
    """(content, line break) pairs; the last pair has an empty break unless the text ends with one."""
    pairs = [(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    if pairs and pairs[-1] == ("", ""):
        pairs.pop()
    return pairs


def _lines_keepends(text: str) -> list[str]:
    """A changed cell's source as Jupyter stores it: ``str.splitlines(keepends=True)``, as nbformat does."""
    return text.splitlines(keepends=True)


def _to_python(source: str, magic: str, counter: list[int]) -> tuple[str, dict[int, str]]:
    """The cell with its IPython-only lines replaced by placeholders, and placeholder id -> original line."""
    lines = _split_lines(source)
    replaced: dict[int, str] = {}

    def placeholder(content: str, statement: bool, indent: str) -> str:
        counter[0] += 1
        replaced[counter[0]] = content
        return f"{indent}pass  # {magic}-{counter[0]}" if statement else f"# {magic}-{counter[0]}"

    out: list[str] = []
    first = next((i for i, (content, _) in enumerate(lines) if content.strip()), None)
    cell_magic = _CELL_MAGIC.match(lines[first][0]) if first is not None else None
    if cell_magic is not None and cell_magic.group(1) not in PYTHON_BODY_CELL_MAGICS:
        # Not Python at all (%%bash, %%writefile, %%html, ...): every non-blank line becomes a comment.
        for content, ending in lines:
            out.append((placeholder(content, False, "") if content.strip() else content) + ending)
        return "".join(out), replaced

    state = _ScanState()
    index = 0
    while index < len(lines):
        content, ending = lines[index]
        if state.at_logical_start and content.strip() and (
                index == first and cell_magic is not None or _is_ipython_line(content)):
            indent = content[:len(content) - len(content.lstrip())]
            out.append(placeholder(content, True, indent) + ending)
            while content.endswith("\\") and index + 1 < len(lines):  # continued magic or shell line
                index += 1
                content, ending = lines[index]
                out.append(placeholder(content, True, indent) + ending)
            index += 1
            continue
        _scan(content, state)
        out.append(content + ending)
        index += 1
    return "".join(out), replaced


def _is_ipython_line(content: str) -> bool:
    """Whether a line that starts a logical line is IPython syntax rather than Python."""
    stripped = content.lstrip()
    if stripped[0] in _MAGIC_START:
        return True
    code = _scan(content, _ScanState())  # strings masked, comment dropped
    return "?" in code or _MAGIC_ASSIGN.search(code) is not None


@dataclass
class _ScanState:
    depth: int = 0  # open brackets
    quote: str | None = None  # the open string's quote, when a string continues onto the next line
    continued: bool = False  # the line ended with a backslash

    @property
    def at_logical_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued


def _scan(line: str, state: _ScanState) -> str:
    """Advance ``state`` over one line of Python; returns the line's code with strings masked and
    the comment dropped. A small tokenizer: brackets, strings (also triple-quoted, continued) and
    comments are all it needs to know where logical lines start."""
    code: list[str] = []
    i, n = 0, len(line)
    quote = state.quote
    while i < n or quote is not None:
        if quote is not None:
            j = i
            while j < n and not line.startswith(quote, j):
                j += 2 if line[j] == "\\" else 1
            if j >= n:
                if len(quote) == 1 and j == n:  # unterminated one-line string: a syntax error; recover
                    quote = None
                code.append("_")
                break
            i, quote = j + len(quote), None
            code.append("_")
            continue
        char = line[i]
        if char == "#":
            break
        if char in "'\"":
            quote = char * 3 if line.startswith(char * 3, i) else char
            i += len(quote)
            continue
        if char in "([{":
            state.depth += 1
        elif char in ")]}":
            state.depth = max(0, state.depth - 1)
        code.append(char)
        i += 1
    state.quote = quote
    text = "".join(code)
    state.continued = quote is None and text.endswith("\\")
    return text


def _position_of(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# -- writing ---------------------------------------------------------------------------------


def _with_sources(notebook: dict[str, Any], changed: dict[tuple[int | None, int], str | list[str]],
                  version: int) -> dict[str, Any]:
    """A copy of the notebook (sharing everything that did not change) with new cell sources."""
    def replace_cells(cells: list[Any], worksheet: int | None, key: str) -> list[Any]:
        new = list(cells)
        for (sheet, index), source in changed.items():
            if sheet == worksheet:
                new[index] = {**cells[index], key: source}
        return new

    if version == 3:
        worksheets = [
            {**sheet, "cells": replace_cells(sheet.get("cells", []), i, "input")}
            if any(w == i for w, _ in changed) else sheet
            for i, sheet in enumerate(notebook["worksheets"])
        ]
        return {**notebook, "worksheets": worksheets}
    return {**notebook, "cells": replace_cells(notebook["cells"], None, "source")}


def _dump(notebook: Any, layout: _Layout) -> str:
    text = json.dumps(notebook, indent=layout.indent, separators=layout.separators, ensure_ascii=layout.ensure_ascii)
    if layout.newline != "\n":
        text = text.replace("\n", layout.newline)
    return text + layout.trailing


def _detect_layout(notebook: Any, raw: str) -> _Layout | None:
    """The json.dumps settings (indent, separators, ensure_ascii, line breaks, final newline) that
    reproduce ``raw`` exactly from the parsed notebook, or None."""
    newline = "\r\n" if "\r\n" in raw else "\n"
    trailing = newline if raw.endswith(newline) else ""
    body = raw[:len(raw) - len(trailing)]
    if newline not in body:
        candidates: list[tuple[str | None, tuple[str, str]]] = [(None, (", ", ": ")), (None, (",", ":"))]
    else:
        match = re.match(r"[\[{]" + re.escape(newline) + r"([ \t]*)", body)
        if match is None:
            return None
        candidates = [(match.group(1), (",", ": ")), (match.group(1), (", ", ": "))]
    ascii_options = (True, False) if raw.isascii() else (False,)
    for indent, separators in candidates:
        for ensure_ascii in ascii_options:
            layout = _Layout(indent, separators, ensure_ascii, newline, trailing)
            try:
                if _dump(notebook, layout) == raw:
                    return layout
            except (ValueError, RecursionError):
                return None
    return None
