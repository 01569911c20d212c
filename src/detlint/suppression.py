"""Inline suppressions: ``# noqa``, ``# noqa: DET101``, ``# detlint: ignore[DET101]``, ``# detlint: skip-file``.

Comments are found with the stdlib tokenizer, so text inside strings never counts. Suppression is
applied after every rule has reported, in one place (:func:`apply`), which is also where the opt-in
DET001 learns which suppressions were used: a named code that suppressed nothing, or a code that
is not a detlint rule, is reported there.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Collection, Iterable

from detlint.finding import Edit, Finding
from detlint.source import lines

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*detlint:\s*ignore\[(?P<codes>[^\]]*)\]")
_SKIP_FILE = re.compile(r"#\s*detlint:\s*skip-file\b")
_NOQA_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_IGNORE_CODE = re.compile(r"[^,\s]+")

ALL = "*"
UNUSED_SUPPRESSION = "DET001"


@dataclass(frozen=True)
class Directive:
    """One ``# noqa[: codes]`` or ``# detlint: ignore[codes]`` inside a comment (offsets into the comment)."""

    own: bool  # detlint's own syntax: every code in it must be a detlint code
    # (code as read, start, end of the word it was read from); empty for a bare ``# noqa``
    codes: tuple[tuple[str, int, int], ...]
    start: int
    end: int

    @property
    def names(self) -> set[str]:
        if not self.codes:
            return {ALL}
        return {ALL if code == ALL else code.upper() for code, _, _ in self.codes}


@dataclass(frozen=True)
class Comment:
    line: int
    column: int  # 0-based offset of the '#' in its line
    text: str
    directives: tuple[Directive, ...]

    @property
    def codes(self) -> set[str]:
        return set().union(*(d.names for d in self.directives))


def _tokenized_comments(text: str) -> list[tuple[int, int, str]] | None:
    """(line, column, text) of every comment; None when the tokenizer cannot read the file."""
    found: list[tuple[int, int, str]] = []
    try:
        # newline="": a lone '\r' ends a line, as it does for the parser and for finding positions
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0], token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return found


def _comments(text: str) -> tuple[list[tuple[int, int, str]], bool]:
    """The comments, and whether they are exact (from the tokenizer, not a per-line guess)."""
    found = _tokenized_comments(text)
    if found is not None:
        return found, True
    # The parser accepted the file, so fall back to a per-line look for comments.
    guessed = []
    for number, line in enumerate(lines(text), start=1):
        index = line.find("#")
        if index >= 0:
            guessed.append((number, index, line[index:]))
    return guessed, False


def _directives(comment: str) -> tuple[Directive, ...]:
    found = []
    for match in _NOQA.finditer(comment):
        codes: tuple[tuple[str, int, int], ...] = ()
        if match.group("codes") is not None:
            offset = match.start("codes")
            codes = tuple((m.group(), offset + m.start(), _word_end(comment, offset + m.end()))
                          for m in _NOQA_CODE.finditer(match.group("codes")))
        found.append(Directive(False, codes, match.start(), match.end()))
    for match in _IGNORE.finditer(comment):
        offset = match.start("codes")
        codes = tuple((m.group(), offset + m.start(), offset + m.end())
                      for m in _IGNORE_CODE.finditer(match.group("codes")))
        if codes:
            found.append(Directive(True, codes, match.start(), match.end()))
    return tuple(sorted(found, key=lambda d: d.start))


def _word_end(comment: str, end: int) -> int:
    """Where the word a code was read from ends: ``# noqa: DET1O1`` reads DET1, but DET1O1 was written."""
    while end < len(comment) and (comment[end].isalnum() or comment[end] == "_"):
        end += 1
    return end


def suppression_comments(text: str) -> tuple[dict[int, Comment], bool]:
    """Line number → the suppression comment on it, and whether comments were found exactly."""
    if "detlint:" not in text and "noqa" not in text.lower():  # each directive holds one or the other
        return {}, True
    found, exact = _comments(text)
    result: dict[int, Comment] = {}
    for line, column, comment in found:
        directives = _directives(comment)
        if directives:
            result[line] = Comment(line, column, comment, directives)
    return result, exact


def skip_file(text: str) -> bool:
    if "skip-file" not in text:
        return False
    return any(_SKIP_FILE.search(comment) for _, _, comment in _comments(text)[0])


def suppressed_codes(text: str) -> dict[int, set[str]]:
    """Line number → codes suppressed on it (``ALL`` for a bare ``# noqa``)."""
    return {line: comment.codes for line, comment in suppression_comments(text)[0].items()}


@dataclass(frozen=True)
class UnusedSuppression:
    """A suppression comment naming codes that suppressed nothing or are not detlint codes."""

    line: int
    column: int  # 0-based, the comment's '#'
    end_column: int  # 0-based, the end of the comment
    unused: tuple[str, ...]
    unknown: tuple[str, ...]
    edits: tuple[Edit, ...]  # empty when no safe edit removes just the offending codes

    @property
    def message(self) -> str:
        parts = []
        if self.unused:
            verb = "reports" if len(self.unused) == 1 else "report"
            parts.append(f"{', '.join(self.unused)} {verb} nothing on this line")
        if self.unknown:
            noun = "is not a detlint rule code" if len(self.unknown) == 1 else "are not detlint rule codes"
            parts.append(f"{', '.join(self.unknown)} {noun}")
        return "Suppression that does not apply: " + "; ".join(parts)


def apply(findings: Iterable[Finding], comments: dict[int, Comment]) -> tuple[list[Finding], set[tuple[int, str]]]:
    """The findings no comment suppresses, and the (line, code) pairs that suppressed something
    (code ``ALL`` for a bare ``# noqa``)."""
    kept: list[Finding] = []
    used: set[tuple[int, str]] = set()
    for finding in findings:
        comment = comments.get(finding.line)
        codes = comment.codes if comment is not None else ()
        if finding.code in codes:
            used.add((finding.line, finding.code))
        elif ALL in codes:
            used.add((finding.line, ALL))
        else:
            kept.append(finding)
    return kept, used


def unused_suppressions(comments: dict[int, Comment], used: set[tuple[int, str]], enabled: Collection[str],
                        known: Collection[str], line_texts: list[str]) -> list[UnusedSuppression]:
    """Codes named in suppression comments that suppressed nothing. A code is judged only when it is
    enabled for the file (a disabled rule cannot report); codes of other tools in a ``# noqa`` are
    theirs, and a bare ``# noqa`` may be another tool's, so neither is reported. DET001 itself never
    is: naming it is how an intended suppression is kept."""
    problems = []
    for line, comment in sorted(comments.items()):
        unused: list[str] = []
        unknown: list[str] = []
        drop: list[set[int]] = []  # per directive: the indexes of the codes that do not apply
        for directive in comment.directives:
            dropped: set[int] = set()
            for index, (read, start, end) in enumerate(directive.codes):
                code = read.upper()
                if code == ALL or code == UNUSED_SUPPRESSION:
                    continue
                if code in known:
                    if code in enabled and (line, code) not in used:
                        unused.append(code)
                        dropped.add(index)
                elif directive.own or code.startswith("DET"):
                    unknown.append(comment.text[start:end])
                    dropped.add(index)
            drop.append(dropped)
        if unused or unknown:
            edits = _removal_edits(comment, drop, line_texts[line - 1] if line <= len(line_texts) else "")
            problems.append(UnusedSuppression(line, comment.column, comment.column + len(comment.text),
                                              tuple(dict.fromkeys(unused)), tuple(dict.fromkeys(unknown)), edits))
    return problems


def _removal_edits(comment: Comment, drop: list[set[int]], line_text: str) -> tuple[Edit, ...]:
    """Edits that take the dropped codes out of the comment: the codes alone when others stay, the
    whole directive when it ends the comment; () when neither can be done without touching other text."""
    edits: list[Edit] = []
    body_end = len(comment.text.rstrip())
    for directive, dropped in zip(comment.directives, drop):
        if not dropped:
            continue
        remaining = [comment.text[start:end] for index, (_, start, end) in enumerate(directive.codes)
                     if index not in dropped]
        if remaining:
            start, end = directive.codes[0][1], directive.codes[-1][2]
            edits.append(_edit(comment, start, end, ", ".join(remaining)))
        elif directive.end >= body_end:
            # the directive ends the comment: remove it with the blanks before it (the whole comment
            # when it starts it, leaving the code on the line untouched)
            start = comment.column + directive.start
            while start > 0 and line_text[start - 1] in " \t":
                start -= 1
            end = comment.column + len(comment.text)
            edits.append(Edit(comment.line, start, comment.line, end, ""))
        else:
            return ()
    return tuple(edits)


def _edit(comment: Comment, start: int, end: int, text: str) -> Edit:
    return Edit(comment.line, comment.column + start, comment.line, comment.column + end, text)
