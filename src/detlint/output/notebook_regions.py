"""Where a position in a notebook cell is in the ``.ipynb`` file itself (its JSON text), for SARIF.

A cell's source is stored as JSON strings (a list of lines, or one string); a JSON string never
spans lines of the file, so a position in a cell is one position in the file: on the line of the
string that holds it, after that string's quote and the escaped characters before it."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class _String:
    value: str
    start: int  # index of the opening quote in the raw text


class _Parser:
    """A JSON reader that keeps where each string starts (json.loads forgets it)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def value(self, i: int) -> tuple[Any, int]:
        i = _WHITESPACE.match(self.raw, i).end()  # type: ignore[union-attr]
        char = self.raw[i:i + 1]
        if char == '"':
            text, end = json.decoder.scanstring(self.raw, i + 1)  # type: ignore[attr-defined]
            return _String(text, i), end
        if char == "{":
            return self._container(i + 1, "}", keyed=True)
        if char == "[":
            return self._container(i + 1, "]", keyed=False)
        match = _SCALAR.match(self.raw, i)
        if match is None:
            raise ValueError(f"unexpected {char!r} at {i}")
        return None, match.end()

    def _container(self, i: int, close: str, keyed: bool) -> tuple[Any, int]:
        items: Any = {} if keyed else []
        i = _WHITESPACE.match(self.raw, i).end()  # type: ignore[union-attr]
        if self.raw[i:i + 1] == close:
            return items, i + 1
        while True:
            if keyed:
                key, i = self.value(i)
                i = _WHITESPACE.match(self.raw, i).end() + 1  # type: ignore[union-attr]  # the ':'
                items[key.value], i = self.value(i)
            else:
                item, i = self.value(i)
                items.append(item)
            i = _WHITESPACE.match(self.raw, i).end()  # type: ignore[union-attr]
            if self.raw[i:i + 1] == close:
                return items, i + 1
            i += 1  # the ','


class NotebookFile:
    """The code cells' source strings of one ``.ipynb`` file, with their places in the file."""

    def __init__(self, data: bytes) -> None:
        raw = data.decode("utf-8-sig")
        self._raw = raw
        self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(raw)]
        top, _ = _Parser(raw).value(0)
        if "cells" in top:
            cell_lists, key = [top["cells"]], "source"
        else:
            cell_lists, key = [sheet.get("cells", []) for sheet in top.get("worksheets", [])], "input"
        self._cells: dict[int, list[_String]] = {}
        number = 0
        for cells in cell_lists:
            for cell in cells:
                number += 1
                source = cell.get(key) if isinstance(cell, dict) else None
                strings = [source] if isinstance(source, _String) else source if isinstance(source, list) else []
                self._cells[number] = strings if all(isinstance(s, _String) for s in strings) else []

    def position(self, cell: int, line: int, column: int) -> tuple[int, int] | None:
        """The 1-based (line, column) in the file of a 1-based line and column in a cell, or None."""
        strings = self._cells.get(cell)
        if not strings:
            return None
        text = "".join(s.value for s in strings)
        starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        if not 0 < line <= len(starts):
            return None
        offset = min(starts[line - 1] + column - 1, len(text))
        for index, string in enumerate(strings):
            if offset < len(string.value) or index == len(strings) - 1:
                return self._file_position(string.start + 1 + self._escaped_length(string, offset))
            offset -= len(string.value)
        return None

    def _escaped_length(self, string: _String, decoded: int) -> int:
        """How many characters of the raw JSON string the first ``decoded`` characters of its value take."""
        raw, i, count = self._raw, string.start + 1, 0
        while count < decoded:
            if raw[i] != "\\":
                i += 1
            elif raw[i + 1] != "u":
                i += 2
            else:
                pair = 0xD800 <= int(raw[i + 2:i + 6], 16) <= 0xDBFF and raw[i + 6:i + 8] == "\\u"
                i += 12 if pair else 6
            count += 1
        return i - (string.start + 1)

    def _file_position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1
