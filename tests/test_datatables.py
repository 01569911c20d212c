"""Large constant tables are blanked before LibCST parses a large file: same findings at the same
places, the table never rewritten by a fix, and a fraction of the memory."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from detlint.datatables import MIN_ELEMENTS, blank_data
from detlint.limits import ISOLATE_ABOVE
from cliutil import detlint


def _blank(text: str) -> str | None:
    found = blank_data(text, ast.parse(text))
    return None if found is None else found.text


def test_lines_between_the_first_and_last_element_are_emptied() -> None:
    rows = "".join(f"    ({i}, 'r{i}'),  # row {i}\n" for i in range(MIN_ELEMENTS))
    text = f"import numpy as np\nTABLE = [\n{rows}]\nx = np.random.rand()\n"
    kept_first, kept_last = "    (0, 'r0'),  # row 0\n", f"    ({MIN_ELEMENTS - 1}, 'r{MIN_ELEMENTS - 1}'),  # row 999\n"
    assert _blank(text) == ("import numpy as np\nTABLE = [\n" + kept_first + "\n" * (MIN_ELEMENTS - 2) + kept_last
                            + "]\nx = np.random.rand()\n")


def test_elements_sharing_a_line_with_the_first_or_last_stay_whole() -> None:
    middle = "".join(f" {i},\n" for i in range(3, MIN_ELEMENTS - 2))
    text = f"S = {{0, 1, (2,\n 2.5),\n{middle} {MIN_ELEMENTS - 2}, {MIN_ELEMENTS - 1}}}\r\nfor s in S: pass\r\n"
    lines = text.split("\n")
    assert _blank(text) == "\n".join([lines[0], lines[1], *[""] * (len(lines) - 5), lines[-3], lines[-2], lines[-1]])


def test_small_or_computed_tables_are_kept() -> None:
    small = "T = [\n" + "".join(f" {i},\n" for i in range(MIN_ELEMENTS - 1)) + "]\n"
    computed = "T = [\n" + "".join(f" {i},\n" for i in range(MIN_ELEMENTS)) + " f(),\n 1,\n]\n"
    assert _blank(small) is None and _blank(computed) is None


def test_a_table_whose_commas_would_not_survive_is_kept() -> None:
    # The commas sit at the start of the blanked lines: `(1 999)` would be no tuple at all.
    text = "T = (1\n" + "".join(f", {i}\n" for i in range(2, MIN_ELEMENTS)) + ",\n999)\n"
    assert _blank(text) is None


def _large_training_file() -> str:
    rows = "".join(f'    ({i}, {i * 0.5}, "label-{i}"),\n' for i in range(12_000))
    words = "".join(f'    "w{i}",\n' for i in range(MIN_ELEMENTS))
    return ("import keras\n"
            f"TABLE = [\n{rows}]\n"
            "vocabulary = []\n"
            f"for word in {{\n{words}}}:\n"
            "    vocabulary.append(word)\n"
            "model = keras.Sequential([keras.layers.Dense(1)])\n"
            "model.fit([[0.0]], [0.0])\n")


def test_large_file_with_tables_same_findings_and_tables_never_rewritten(tmp_path: Path) -> None:
    text = _large_training_file()
    assert len(text) > ISOLATE_ABOVE
    path = tmp_path / "train.py"
    path.write_text(text)
    table_end = 2 + 12_000 + 1
    result = detlint("check", "--no-cache", "--format", "json", "train.py", cwd=tmp_path)
    found = [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"], f["fixable"])
             for f in json.loads(result.stdout)]
    # DET204's fix would write the set back from blanked text: it is dropped. DET103's seed is inserted.
    assert found == [
        ("DET204", table_end + 2, 13, table_end + 2 + MIN_ELEMENTS + 1, 2, False),
        ("DET103", table_end + MIN_ELEMENTS + 6, 1, table_end + MIN_ELEMENTS + 6, 26, True),
    ]
    fixed = detlint("check", "--fix", "--no-cache", "train.py", cwd=tmp_path)
    assert fixed.returncode == 1, fixed.stderr
    assert path.read_text() == text.replace("import keras\n", "import keras\nkeras.utils.set_random_seed(42)\n", 1)


def test_large_table_file_peak_memory(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(_large_training_file())
    measure = textwrap.dedent("""\
        import resource, subprocess, sys
        subprocess.run([sys.executable, "-m", "detlint", "check", "--no-cache", "train.py"], capture_output=True)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """)
    result = subprocess.run([sys.executable, "-c", measure], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "NO_COLOR": "1"})
    peak_mib = int(result.stdout.strip()) // 1024
    assert peak_mib < 200, f"peak RSS {peak_mib} MB"  # LibCST on the whole file: about 390 MB, 5 s
