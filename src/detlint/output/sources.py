"""The source lines findings point at, numbered as the linter numbered them (for carets and fingerprints)."""

from __future__ import annotations

from detlint.finding import Finding
from detlint.source import lines as split_lines


class SourceLines:
    """Reads each file once: decoded as the linter decodes it (coding cookie, BOM), split at the same
    line breaks (``\\r\\n``, ``\\r``, ``\\n``: not at form feeds), notebooks as their code cells' text."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def line(self, finding: Finding) -> str | None:
        """The line a finding starts on, or None when the file cannot be read (standard input, gone)."""
        lines = self._lines(finding.path)
        number = (finding.notebook_line or finding.line) if finding.cell is not None else finding.line
        if lines is None or not 0 < number <= len(lines):
            return None
        return lines[number - 1]

    def _lines(self, path: str) -> list[str] | None:
        if path not in self._files:
            self._files[path] = _read(path)
        return self._files[path]


def _read(path: str) -> list[str] | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    from detlint.source import SourceError, decode

    try:
        if path.endswith(".ipynb"):
            from detlint.notebook import read_notebook  # its NotebookError is a SourceError

            return split_lines(read_notebook(data).text)
        return split_lines(decode(data).text)
    except (SourceError, ValueError, RecursionError):  # show it as UTF-8 at least
        return split_lines(data.decode("utf-8", errors="replace"))
