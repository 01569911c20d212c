"""DET203 hashseed-set-in-process: re-executing exemption and other keys."""

from __future__ import annotations

from lintutil import findings_of

ONLY = {"DET203"}


def test_reexecuting_the_script_makes_it_effective() -> None:
    code = """
        import os
        import sys
        if os.environ.get("PYTHONHASHSEED") != "0":
            os.environ["PYTHONHASHSEED"] = "0"
            os.execv(sys.executable, [sys.executable, *sys.argv])
    """
    assert findings_of(code, select=ONLY) == []


def test_launching_a_child_process_makes_it_effective() -> None:
    code = """
        import os
        import subprocess
        os.environ["PYTHONHASHSEED"] = "0"
        subprocess.run(["python", "train.py"], check=True)
    """
    assert findings_of(code, select=ONLY) == []


def test_other_keys_and_lookalikes() -> None:
    code = """
        import os
        os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
        os.environ.update({"TF_DETERMINISTIC_OPS": "1"})
        os.putenv("OMP_NUM_THREADS", "1")
        env = {}
        env["PYTHONHASHSEED"] = "0"
        env.update(PYTHONHASHSEED="0")
        os.environ.get("PYTHONHASHSEED", "random")
    """
    assert findings_of(code, select=ONLY) == []


def test_multiline_update_is_reported_at_the_call() -> None:
    code = """
        import os
        value = os.environ.update(
            dict(PYTHONHASHSEED="0"),
        )
    """
    assert findings_of(code, select=ONLY) == [("DET203", 2, 9)]
