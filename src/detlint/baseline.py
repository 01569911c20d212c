"""Baselines: record today's findings, then report only new ones.

A finding is recognised by a fingerprint that survives unrelated edits: its rule, its file,
the whitespace-normalised source of the lines it spans and its occurrence index among
findings with the same rule and source in that file, never its line number. Entries that no
longer occur are reported, so the baseline shrinks as the code is fixed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from detlint.finding import Finding
from detlint.noqa import source_lines

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read: the message names it and says why."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    path: str
    code: str
    line: int  # where it was when recorded (for people; matching ignores it)
    message: str


def _normalised(text: str) -> str:
    return " ".join(text.split())


def fingerprints(findings: Iterable[Finding], read_text: Callable[[str], str | None]) -> list[tuple[Finding, str]]:
    """Each finding with its fingerprint; ``read_text(path)`` gives the linted text of a file
    (for notebooks the code cells joined, as the findings' ``notebook_line`` counts them)."""
    texts: dict[str, list[str] | None] = {}
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.path not in texts:
            text = read_text(finding.path)
            texts[finding.path] = None if text is None else source_lines(text)
        lines = texts[finding.path]
        first = finding.notebook_line if finding.notebook_line is not None else finding.line
        last = first + (finding.end_line - finding.line)
        snippet = _normalised("".join(lines[first - 1:last])) if lines else finding.message
        occurrence = seen.get((finding.path, finding.code, snippet), 0)
        seen[(finding.path, finding.code, snippet)] = occurrence + 1
        digest = hashlib.sha256("\0".join((finding.path.replace("\\", "/"), finding.code, snippet,
                                           str(occurrence))).encode("utf-8", "surrogateescape")).hexdigest()
        result.append((finding, digest[:20]))
    return result


def write_baseline(path: Path, findings: Iterable[Finding], read_text: Callable[[str], str | None]) -> int:
    entries = [{"fingerprint": fp, "path": f.path, "code": f.code, "line": f.line, "message": f.message}
               for f, fp in fingerprints(findings, read_text)]
    data = json.dumps({"detlint-baseline": FORMAT_VERSION, "findings": entries}, indent=2, ensure_ascii=True) + "\n"
    temp = path.with_name(f".{path.name}.detlint-tmp")
    temp.write_text(data, encoding="utf-8")
    temp.replace(path)
    return len(entries)


def read_baseline(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("detlint-baseline") != FORMAT_VERSION or not isinstance(
            data.get("findings"), list):
        raise BaselineError(f"baseline {path} is not a detlint baseline (version {FORMAT_VERSION})")
    entries = []
    for item in data["findings"]:
        try:
            entries.append(Entry(str(item["fingerprint"]), str(item["path"]), str(item["code"]), int(item["line"]),
                                 str(item.get("message", ""))))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"baseline {path} has a malformed entry: {item!r:.80}") from None
    return entries


def apply_baseline(findings: list[Finding], entries: list[Entry],
                   read_text: Callable[[str], str | None]) -> tuple[list[Finding], list[Entry]]:
    """The findings not in the baseline, and the baseline entries that no longer occur."""
    known = {entry.fingerprint: entry for entry in entries}
    new, matched = [], set()
    for finding, fingerprint in fingerprints(findings, read_text):
        if fingerprint in known:
            matched.add(fingerprint)
        else:
            new.append(finding)
    return sorted(new, key=Finding.sort_key), [e for e in entries if e.fingerprint not in matched]
