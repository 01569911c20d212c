"""Regenerate the snapshot files under tests/snapshots/ (rule fixture findings, fixed files, and the
rule catalogue), removing those no fixture produces any more.

    python scripts/update_snapshots.py

Review the diff (``git diff tests/snapshots``) before committing it: every change in it is a change
in what detlint reports or fixes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from snapshotutil import RULE_SNAPSHOTS, all_snapshots  # noqa: E402


def main() -> int:
    expected = all_snapshots()
    changed = 0
    for path, text in sorted(expected.items()):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed += 1
            print(f"wrote {path.relative_to(ROOT)}")
    for path in sorted(RULE_SNAPSHOTS.iterdir()):
        if path not in expected:
            path.unlink()
            changed += 1
            print(f"removed {path.relative_to(ROOT)}")
    print(f"{len(expected)} snapshots, {changed} changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
