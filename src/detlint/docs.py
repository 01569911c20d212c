"""Rule documentation: one Markdown page per rule in the top-level ``rules/`` folder.

The same pages are rendered by ``detlint explain``, embedded as help in SARIF, and
their code examples are linted by the test suite, so the docs cannot drift from the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix", "References")
_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
DOCS_URL = "https://github.com/detlint/detlint/blob/main/rules/{code}.md"


def docs_dir() -> Path:
    """Where the rule pages are: inside the installed package, or the source checkout's ``rules/``."""
    packaged = resources.files("detlint") / "_rule_docs"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class RuleDoc:
    code: str
    title: str  # "DET101: unseeded-split"
    text: str
    sections: dict[str, str]

    @property
    def bad_examples(self) -> list[str]:
        return _CODE_BLOCK.findall(self.sections.get("Example", ""))

    @property
    def good_examples(self) -> list[str]:
        return _CODE_BLOCK.findall(self.sections.get("Use instead", ""))

    @property
    def summary(self) -> str:
        body = self.sections.get("What it does", "").strip()
        return body.split("\n\n", 1)[0].replace("\n", " ")


def parse_doc(code: str, text: str) -> RuleDoc:
    first = text.splitlines()[0] if text else ""
    title = first.lstrip("# ").strip()
    sections: dict[str, str] = {}
    matches = list(_HEADING.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections[match.group(1)] = text[match.end():end].strip("\n")
    return RuleDoc(code, title, text, sections)


def load_doc(code: str) -> RuleDoc | None:
    path = docs_dir() / f"{code}.md"
    if not path.is_file():
        return None
    return parse_doc(code, path.read_text(encoding="utf-8"))


def doc_url(code: str) -> str:
    return DOCS_URL.format(code=code)
