"""Running the detlint CLI as users do, for the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"
BAD = """\
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("data.csv")
train, test = train_test_split(df, test_size=0.2)
"""
CLEAN = """\
from sklearn.model_selection import train_test_split

def split(df):
    return train_test_split(df, test_size=0.2, random_state=42)
"""


def detlint(*args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "detlint", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, env=full_env, timeout=120)
