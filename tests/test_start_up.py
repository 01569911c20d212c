"""``python -m detlint`` run inside a repository never imports that repository's modules in place of
the standard library's."""

from __future__ import annotations

import json
from pathlib import Path

from cliutil import BAD, detlint

SHADOW = """\
import os
open(os.path.join(os.path.dirname(__file__), "imported-{name}"), "w").close()
raise SystemExit(99)
"""


def test_modules_of_the_checked_folder_shadow_nothing(tmp_path: Path) -> None:
    for name in ("tomllib", "fnmatch", "pathspec"):
        (tmp_path / f"{name}.py").write_text(SHADOW.format(name=name))
    (tmp_path / "pyproject.toml").write_text("[tool.detlint]\nignore = []\n")
    (tmp_path / "train.py").write_text(BAD)
    result = detlint("check", "--no-cache", "--format", "json", "train.py", cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("imported-")) == []
    assert result.returncode == 1, result.stderr
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)] == [("DET101", 5, 15)]
