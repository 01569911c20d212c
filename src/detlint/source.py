"""Reading source files faithfully: encoding, BOM and line endings, so fixes can write them back."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceError(Exception):
    """The bytes cannot be turned into Python source text."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[type["SourceError"], tuple[str, int, int]]:
        return type(self), (self.message, self.line, self.column)  # keeps the position across processes


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str  # the codec to write the text back with ("utf-8-sig" keeps a BOM)

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def decode(data: bytes) -> Source:
    """Decode Python source bytes as the interpreter would (BOM, coding cookie, UTF-8 default)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # Invalid UTF-8 in the first lines is reported here too: say where, as for the rest of the file.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            line, column = _position_of_byte(data, decode_error.start)
            raise SourceError(f"file is not valid utf-8: {decode_error.reason} at line {line}, column {column}",
                              line, column) from None
        raise SourceError(f"cannot determine the file's encoding: {getattr(error, 'msg', error)}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        line, column = _position_of_byte(data, getattr(error, "start", 0))
        raise SourceError(f"file is not valid {encoding}: {error}", line, column) from None
    if "\x00" in text:
        line, column = _position_of_byte(data, data.index(b"\x00"))
        raise SourceError("source contains a NUL byte", line, column)
    return Source(text, encoding)


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def line_starts(text: str) -> list[int]:
    """Offsets where each line begins (index 0 is line 1), for LibCST's notion of lines."""
    starts = [0]
    for match in _LINE_BREAK.finditer(text):
        starts.append(match.end())
    return starts


def lines(text: str) -> list[str]:
    """The file's lines without their line breaks, split as LibCST counts them."""
    return _LINE_BREAK.split(text)
