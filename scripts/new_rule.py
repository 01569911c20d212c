"""Scaffold a new rule: its module, its doc page, its fixture and the fixture's snapshot.

    python scripts/new_rule.py DET208 some-rule-name

The generated rule reports calls of a placeholder API (``example_library.unstable_call()``), so the
generated files pass the test suite as they are; then make them say what the rule is about:

1. knowledge: add the API names the rule needs to a table in ``src/detlint/knowledge/`` (one per subject);
2. rule: ``src/detlint/rules/<name>.py`` (trigger, ``needs=`` pre-filter predicate, fix), sharing code
   only through ``detlint.analysis`` and ``detlint.knowledge``;
3. doc: ``rules/<CODE>.md`` (its examples are run by the tests);
4. fixture: ``tests/fixtures/rules/<CODE>.py`` with ``# expect: CODE@COLUMN`` annotations and look-alikes;
5. snapshots: ``python scripts/update_snapshots.py``, then review ``git diff tests/snapshots``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODULE = '''"""{code} {name}: TODO what the rule reports, in one line."""

from __future__ import annotations

from typing import Iterator

from detlint.rule import Report, RuleContext, rule

# TODO: read the API names from a table in detlint.knowledge instead of this placeholder.
_PLACEHOLDER_CALL = "example_library.unstable_call"


@rule(
    "{code}",
    "{name}",
    summary="TODO one-line summary",
    severity="warning",
    words=("unstable_call",),  # the file's text must contain one of these
    needs=lambda index: index.may_call(frozenset({{"unstable_call"}})),  # False: the rule cannot report here
)
def {function}(ctx: RuleContext) -> Iterator[Report]:
    for call in ctx.facts.calls:
        if call.callee == _PLACEHOLDER_CALL:
            yield Report(call.node, "TODO what is wrong, why it matters for reproducibility, and what to do instead")
'''

DOC = '''# {code}: {name}

## What it does
TODO: what the rule reports, and what it does not.

## Why is this bad?
TODO: why it makes results differ between runs or breaks save/load, measured where possible.

## Example
```python
import example_library

example_library.unstable_call()
```

## Use instead
```python
import example_library

example_library.stable_call()
```

## Fix
No automatic fix.

## References
- TODO
'''

FIXTURE = '''"""{code} {name}: TODO one line."""
import example_library

example_library.unstable_call()  # expect: {code}@1

# Look-alikes that stay clean.
example_library.stable_call()
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("code", help="the new rule's code, e.g. DET208")
    parser.add_argument("name", help="the new rule's name in kebab-case, e.g. unseeded-sampler")
    args = parser.parse_args(argv)
    code, name = args.code.upper(), args.name
    if not re.fullmatch(r"DET\d{3}", code):
        parser.error(f"code {args.code!r}: expected DET followed by three digits")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        parser.error(f"name {name!r}: expected lowercase words joined by '-'")
    module_name = name.replace("-", "_")
    files = {
        ROOT / "src" / "detlint" / "rules" / f"{module_name}.py": MODULE,
        ROOT / "rules" / f"{code}.md": DOC,
        ROOT / "tests" / "fixtures" / "rules" / f"{code}.py": FIXTURE,
    }
    existing = [str(path.relative_to(ROOT)) for path in files if path.exists()]
    taken = [path.name for path in (ROOT / "src" / "detlint" / "rules").glob("*.py") if f'"{code}"' in path.read_text()]
    if existing or taken:
        print(f"not created: {', '.join(existing + taken)} already exist(s) or use(s) {code}", file=sys.stderr)
        return 2
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(code=code, name=name, function=module_name), encoding="utf-8")
        print(f"created {path.relative_to(ROOT)}")

    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
    from snapshotutil import snapshots_of

    for path, text in snapshots_of(ROOT / "tests" / "fixtures" / "rules" / f"{code}.py").items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"created {path.relative_to(ROOT)}")
    print("next: the knowledge table, the rule, its doc and fixture (see CONTRIBUTING.md), then "
          "`python scripts/update_snapshots.py` and the catalogue snapshot it updates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
