"""scripts/new_rule.py scaffolds a rule whose module, doc, fixture and snapshot pass as generated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import json, sys
from pathlib import Path
from detlint.docs import load_doc
from detlint.engine import Selection, lint_bytes
from detlint.rules import all_rules
root = Path(sys.argv[1])
fixture = root / "tests" / "fixtures" / "rules" / "DET299.py"
selection = Selection(frozenset(all_rules()))
found = lint_bytes(fixture.read_bytes(), fixture.name, selection).findings
doc = load_doc("DET299")
bad = [[f.code for f in lint_bytes(e.encode(), "x.py", selection).findings] for e in doc.bad_examples]
good = [[f.code for f in lint_bytes(e.encode(), "x.py", selection).findings] for e in doc.good_examples]
meta = all_rules()["DET299"].meta
print(json.dumps({"fixture": [[f.code, f.line, f.column] for f in found], "bad": bad, "good": good,
                  "name": meta.name, "module": all_rules()["DET299"].check.__module__}))
"""


def _copy_project(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "src", target / "src", ignore=ignore)
    shutil.copytree(ROOT / "scripts", target / "scripts", ignore=ignore)
    shutil.copytree(ROOT / "rules", target / "rules")
    (target / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "snapshotutil.py", target / "tests")


def test_scaffold_generates_a_rule_that_passes_as_generated(tmp_path: Path) -> None:
    _copy_project(tmp_path)
    created = subprocess.run([sys.executable, str(tmp_path / "scripts" / "new_rule.py"), "DET299", "example-rule"],
                             capture_output=True, text=True, cwd=tmp_path, check=False)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "src" / "detlint" / "rules" / "example_rule.py").is_file()
    assert (tmp_path / "rules" / "DET299.md").is_file()
    snapshot = json.loads((tmp_path / "tests" / "snapshots" / "rules" / "DET299.findings.json").read_text())
    assert [(f["code"], f["line"], f["column"]) for f in snapshot] == [("DET299", 4, 1)]
    checked = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path)], capture_output=True, text=True,
                             cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "src")}, check=False)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == {"fixture": [["DET299", 4, 1]], "bad": [["DET299"]], "good": [[]],
                                          "name": "example-rule", "module": "detlint.rules.example_rule"}


def test_scaffold_refuses_an_existing_code(tmp_path: Path) -> None:
    _copy_project(tmp_path)
    created = subprocess.run([sys.executable, str(tmp_path / "scripts" / "new_rule.py"), "DET101", "other-name"],
                             capture_output=True, text=True, cwd=tmp_path, check=False)
    assert created.returncode == 2
    assert "DET101" in created.stderr
    assert not (tmp_path / "src" / "detlint" / "rules" / "other_name.py").exists()
