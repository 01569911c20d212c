"""detlint stays light: linting never imports the ML frameworks, the runtime probe or rich (unless
colour output needs it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ["tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "tensorflow_hub", "sklearn", "torch",
         "runtime_probe", "rich", "numpy", "pandas"]

SCRIPT = """
import json, sys
from detlint.cli import main
code = main(["check", "--no-cache", "--format", "json", sys.argv[1]])
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in %r)), file=sys.stderr)
""" % (HEAVY,)


def test_check_imports_no_framework(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text(
        "import tensorflow as tf\nimport keras\nfrom sklearn.model_selection import train_test_split\n"
        "a, b = train_test_split([1, 2])\nm = keras.Sequential([])\nm.fit([1], [1])\n")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(target)], capture_output=True, text=True, timeout=60)
    imported = json.loads(result.stderr.strip().splitlines()[-1])
    assert imported == []
    assert [f["code"] for f in json.loads(result.stdout)] == ["DET101", "DET103"]


# Imported only by the runs that need them: notebooks, --fix/--diff, parallel runs' summary exchange.
ON_DEMAND = ["detlint.notebook", "detlint.patch", "detlint.fixes", "detlint.analysis.exchange", "difflib",
             "pickle", "tempfile"]
ON_DEMAND_SCRIPT = """
import json, sys
from detlint.cli import main
code = main(["check", "--no-cache", *sys.argv[1:]])
print(json.dumps(sorted(m for m in sys.modules if m in %r)), file=sys.stderr)
""" % (ON_DEMAND,)


def _on_demand_imports(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", ON_DEMAND_SCRIPT, *args], capture_output=True, text=True,
                            timeout=60)
    assert "train.py:2:8: DET101" in result.stdout or "+a, b = train_test_split([1, 2], random_state=42)" in result.stdout, (
        result.stdout + result.stderr)
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_checking_a_script_imports_nothing_that_only_other_runs_need(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text("from sklearn.model_selection import train_test_split\na, b = train_test_split([1, 2])\n")
    assert _on_demand_imports(str(target)) == []
    assert _on_demand_imports("--diff", str(target)) == ["detlint.fixes", "detlint.notebook", "detlint.patch",
                                                         "difflib"]
