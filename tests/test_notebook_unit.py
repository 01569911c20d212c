"""Unit tests for detlint.notebook: notebooks read as Python, positions mapped back, fixes written back."""

from __future__ import annotations

import json
from typing import Any

import libcst as cst
import pytest

from detlint.finding import Edit, Finding, Fix
from detlint.fixes import apply_edits
from detlint.notebook import NotebookError, NotebookSource, NotebookWriteError, read_notebook

# -- building notebooks the way Jupyter writes them ------------------------------------------------


def code(source: str, count: int | None = 1, outputs: list[Any] | None = None, as_list: bool = True) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": f"cell-{count}",
        "metadata": {"tags": ["x"]},
        "outputs": outputs if outputs is not None else [],
        "source": source.splitlines(keepends=True) if as_list else source,
    }


def markdown(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": "md", "metadata": {}, "source": source.splitlines(keepends=True)}


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "cells": list(cells),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def jupyter_bytes(nb: dict[str, Any]) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def source_block(source: list[str] | str, depth: int = 3, indent: int = 1) -> str:
    """How a cell's ``"source": ...`` value appears in the file, nested ``depth`` levels deep."""
    rendered = json.dumps(source, indent=indent, ensure_ascii=False).replace("\n", "\n" + " " * indent * depth)
    return f'"source": {rendered}'


def lines_of(source: NotebookSource) -> list[str]:
    return source.text.split("\n")


def line_number(source: NotebookSource, content: str) -> int:
    """The 1-based line of ``source.text`` that is exactly ``content`` (which must be unique)."""
    found = [n for n, line in enumerate(lines_of(source), start=1) if line == content]
    assert len(found) == 1, (content, found)
    return found[0]


def insert(text: str, line: int, column: int, new: str) -> str:
    """Apply one edit through detlint's own fix machinery."""
    return replace(text, line, column, line, column, new)


def replace(text: str, line: int, column: int, end_line: int, end_column: int, new: str) -> str:
    finding = Finding("nb.ipynb", line, column + 1, end_line, end_column + 1, "DET999", "test", "warning", "m",
                      fix=Fix("test", (Edit(line, column, end_line, end_column, new),)))
    fixed, applied = apply_edits(text, [finding])
    assert applied == 1
    return fixed


IMAGE = {"data": {"image/png": "iVBORw0KGgo=\n", "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
         "metadata": {"needs_background": "light"}, "output_type": "display_data"}
STREAM = {"name": "stdout", "output_type": "stream", "text": ["accuracy 0.93 – ✓\n"]}

MAGIC_CELL = (
    "%matplotlib inline\n"
    "!pip install -q scikit-learn\n"
    "files = !ls data\n"
    "import os\n"
    "for name in files:\n"
    "    %time print(name)\n"
    "    t = %timeit -o os.path.exists(name)\n"
    "    !echo {name} \\\n"
    "        && echo done\n"
    "os.path?\n"
    "??os\n"
    "message = '''\n"
    "%this is text in a string\n"
    "!and so is this\n"
    "'''\n"
    "ok = (1\n"
    "      != 2)\n"
    "rate = 10 % 3  # what?\n"
    "print(message)"
)


IPYTHON_LINES = {line for line in MAGIC_CELL.split("\n") if line.lstrip()[:1] in "%!?" or "= %" in line
                 or "= !" in line or line.endswith(("?", "done"))}


def realistic() -> dict[str, Any]:
    return notebook(
        markdown("# Training\n\nSome *text* with `code`."),
        code("import random\nimport numpy as np", count=1),
        code(MAGIC_CELL, count=2, outputs=[STREAM]),
        markdown("## Plot"),
        code("%%bash\necho \"not python (\"\n\nls -l", count=3, outputs=[STREAM]),
        code("%%time\nvalues = np.random.rand(3)  # noqa: DET101\nprint(values)", count=4, outputs=[IMAGE]),
        code("", count=None),
        {"cell_type": "raw", "metadata": {}, "source": ["raw text\n"]},
        code("model.fit(values, values)\n", count=5),
    )


# -- reading ---------------------------------------------------------------------------------------


def test_code_cells_in_order_and_parse() -> None:
    source = read_notebook(jupyter_bytes(realistic()))
    cst.parse_module(source.text)
    assert source.code_cells == (2, 3, 5, 6, 7, 9)
    assert source.language == "python" and source.nbformat == 4
    lines = lines_of(source)
    assert lines.index("import random") < lines.index("import os") < lines.index("print(values)") < lines.index(
        "model.fit(values, values)")
    assert "Training" not in source.text and "raw text" not in source.text and "Plot" not in source.text


def test_magics_and_shell_escapes_are_placeholders() -> None:
    source = read_notebook(jupyter_bytes(realistic()))
    text = source.text
    for ipython in ("%matplotlib", "!pip", "!ls", "%time print", "%timeit", "!echo", "&& echo done", "os.path?",
                    "??os", "%%bash", "echo \"not", "ls -l", "%%time"):
        assert ipython not in text, ipython
    # Python around them is untouched, and the placeholders keep the indentation.
    assert "for name in files:\n    pass  # detlint-magic-" in text
    for python in ("import os", "print(message)", "ok = (1", "      != 2)", "rate = 10 % 3  # what?",
                   "%this is text in a string", "!and so is this", "values = np.random.rand(3)  # noqa: DET101"):
        assert python in lines_of(source), python
    cell = [line for number, line in enumerate(lines_of(source), start=1) if source.position(number)[0] == 3
            and not line.startswith("# detlint-cell-boundary")]
    assert cell == [
        "pass  # detlint-magic-1", "pass  # detlint-magic-2", "pass  # detlint-magic-3", "import os",
        "for name in files:", "    pass  # detlint-magic-4", "    pass  # detlint-magic-5",
        "    pass  # detlint-magic-6", "    pass  # detlint-magic-7",  # the shell line and its continuation
        "pass  # detlint-magic-8", "pass  # detlint-magic-9", *MAGIC_CELL.split("\n")[11:],
    ]
    # Every line of the %%bash cell is a comment (blank lines stay blank).
    bash = [line for number, line in enumerate(lines_of(source), start=1)
            if source.position(number)[0] == 5 and not line.startswith("# detlint-cell-boundary")]
    assert len(bash) == 4
    assert bash and all(line == "" or line.startswith("# detlint-magic-") for line in bash)


@pytest.mark.parametrize("line, is_magic", [
    ("%load_ext autoreload", True),
    ("  %autoreload 2", True),
    ("!ls", True),
    ("!!ls", True),
    ("out = !ls -l", True),
    ("a, b = %who_ls", True),
    ("x=%env HOME", True),
    ("np.random.seed?", True),
    ("np.random.seed??", True),
    ("?np.random", True),
    ("%pip install numpy", True),
    ("/print 1 2", True),
    (",print a b", True),
    (";print a b", True),
    ("x = 5 % 3", False),
    ("x %= 3", False),
    ("y = x != 3", False),
    ("ok = a == !b", False),  # not an assignment: a syntax error for Python and IPython alike
    ("s = '%s?' % name", False),
    ("s = \"!x\"  # !shell?", False),
    ("print('a?')", False),
    ("d = {'k': 1}", False),
])
def test_one_line(line: str, is_magic: bool) -> None:
    source = read_notebook(jupyter_bytes(notebook(code(line))))
    assert (source.text.strip().lstrip() .startswith("pass  # detlint-magic-")) is is_magic
    if not is_magic:
        assert source.text == line + "\n"
    else:
        indent = line[:len(line) - len(line.lstrip())]
        assert source.text == f"{indent}pass  # detlint-magic-1\n"


def test_magic_text_inside_brackets_strings_and_continuations_is_python() -> None:
    cell = ("x = [1,\n"
            "     %2]\n"  # not a magic: inside brackets (a syntax error, but Python's to report)
            "y = 1 + \\\n"
            "    !z\n"  # after a backslash continuation
            "z = \"\"\"\n"
            "?help\n"
            "\"\"\"\n"
            "w = 'it''s' \\\n"
            "    + 'fine'\n"
            "%who\n")
    source = read_notebook(jupyter_bytes(notebook(code(cell))))
    assert source.text.splitlines() == cell.splitlines()[:-1] + ["pass  # detlint-magic-1"]


def test_cell_magics() -> None:
    nb = notebook(
        code("%%capture out\nimport os"),
        code("%%timeit -n 3\nsum(range(10))"),
        code("\n%%writefile helper.py\ndef f(:\n    pass"),
        code("%%html\n<div>(</div>"),
        code("%%\nnot python ("),
    )
    source = read_notebook(jupyter_bytes(nb))
    cst.parse_module(source.text)
    lines = lines_of(source)
    assert "import os" in lines and "sum(range(10))" in lines
    assert "def f(:" not in source.text and "<div>" not in source.text and "not python" not in source.text
    assert source.write_back(source.text) == jupyter_bytes(nb)


def test_noqa_comment_stays_on_its_line() -> None:
    source = read_notebook(jupyter_bytes(realistic()))
    line = line_number(source, "values = np.random.rand(3)  # noqa: DET101")
    assert source.position(line) == (6, 2)  # the %%time cell, second line
    cell = realistic()["cells"][5]["source"]
    assert cell[1].rstrip("\n") == lines_of(source)[line - 1]


def test_language_and_versions() -> None:
    nb = notebook(code("x <- 1"))
    nb["metadata"] = {"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}}
    assert read_notebook(jupyter_bytes(nb)).language == "r"
    del nb["metadata"]
    assert read_notebook(jupyter_bytes(nb)).language == "python"


# -- positions -------------------------------------------------------------------------------------


def test_positions_map_every_line_back_exactly() -> None:
    nb = realistic()
    source = read_notebook(jupyter_bytes(nb))
    cells = {n: "".join(cell["source"]).split("\n") for n, cell in enumerate(nb["cells"], start=1)}
    lines = lines_of(source)
    checked = 0
    for number, line in enumerate(lines[:-1], start=1):
        if line.startswith("# detlint-cell-boundary"):
            continue
        cell, in_cell = source.position(number)
        original = cells[cell][in_cell - 1]
        if "detlint-magic" in line:
            assert original in IPYTHON_LINES or cell == 5 or original == "%%time", (line, original)
        else:
            assert line == original
        checked += 1
    assert checked == sum(len("".join(nb["cells"][n - 1]["source"]).splitlines()) or 1 for n in source.code_cells)
    # Known spots.
    assert source.position(line_number(source, "import random")) == (2, 1)
    assert source.position(line_number(source, "import numpy as np")) == (2, 2)
    assert source.position(line_number(source, "import os")) == (3, 4)
    assert source.position(line_number(source, "model.fit(values, values)")) == (9, 1)


def test_positions_of_boundaries_and_past_the_end() -> None:
    source = read_notebook(jupyter_bytes(notebook(markdown("m"), code("a = 1\nb = 2"), code("c = 3\n"))))
    assert source.text == "a = 1\nb = 2\n# detlint-cell-boundary 3\nc = 3\n"
    assert [source.position(n) for n in range(1, 6)] == [(2, 1), (2, 2), (2, 2), (3, 1), (3, 1)]
    assert source.position(99) == (3, 1) and source.position(0) == (2, 1)
    empty = read_notebook(jupyter_bytes(notebook(markdown("only text"))))
    assert empty.text == "" and empty.position(1) == (1, 1)
    assert empty.write_back("") == jupyter_bytes(notebook(markdown("only text")))


def test_crlf_cells_keep_their_line_numbers() -> None:
    nb = notebook(code("import os\r\nx = 1\r\n%ls\r\ny = 2"), code("z = 3\r\n"))
    source = read_notebook(jupyter_bytes(nb))
    assert source.text == "import os\r\nx = 1\r\npass  # detlint-magic-1\r\ny = 2\n# detlint-cell-boundary 2\nz = 3\r\n"
    cst.parse_module(source.text)
    assert [source.position(n) for n in range(1, 7)] == [(1, 1), (1, 2), (1, 3), (1, 4), (1, 4), (2, 1)]
    fixed = insert(source.text, 2, 0, "import random\r\n")
    out = json.loads(source.write_back(fixed))
    assert out["cells"][0]["source"] == ["import os\r\n", "import random\r\n", "x = 1\r\n", "%ls\r\n", "y = 2"]
    assert out["cells"][1] == nb["cells"][1]


# -- writing back ----------------------------------------------------------------------------------


@pytest.mark.parametrize("nb", [realistic(), notebook(), notebook(markdown("x")), notebook(code(""), code("\n\n"))])
def test_unchanged_text_gives_the_original_bytes(nb: dict[str, Any]) -> None:
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    assert source.write_back(source.text) is data or source.write_back(source.text) == data


def test_edit_in_one_line_changes_only_that_cells_source() -> None:
    nb = realistic()
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    line = line_number(source, "print(message)")
    fixed = replace(source.text, line, 6, line, 13, "repr(message)")
    out = source.write_back(fixed).decode("utf-8")
    old_source = nb["cells"][2]["source"]
    new_source = [*old_source[:-1], "print(repr(message))"]
    # Byte for byte: the only difference is that cell's source; its magics are back as they were.
    assert data.decode().count(source_block(old_source)) == 1
    assert out == data.decode().replace(source_block(old_source), source_block(new_source))
    parsed = json.loads(out)
    assert parsed["cells"][2]["outputs"] == [STREAM] and parsed["cells"][2]["execution_count"] == 2
    assert "".join(parsed["cells"][2]["source"]) == MAGIC_CELL.replace("print(message)", "print(repr(message))")


def test_inserted_line_after_imports_lands_in_the_import_cell() -> None:
    nb = realistic()
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    # As the engine inserts after the last import: at column 0 of the next line, here the boundary.
    line = line_number(source, "import numpy as np") + 1
    assert lines_of(source)[line - 1].startswith("# detlint-cell-boundary")
    fixed = insert(source.text, line, 0, "random.seed(42)\n")
    cst.parse_module(fixed)
    out = source.write_back(fixed).decode("utf-8")
    old_source = ["import random\n", "import numpy as np"]
    new_source = ["import random\n", "import numpy as np\n", "random.seed(42)"]  # still no final newline
    assert nb["cells"][1]["source"] == old_source
    assert out == data.decode().replace(source_block(old_source), source_block(new_source))


def test_edits_in_two_cells_and_a_magic_cell_body() -> None:
    nb = realistic()
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    text = insert(source.text, line_number(source, "print(values)"), 0, "values.sort()\n")
    line = line_number(source, "import os") + 1
    text = insert(text, line, 0, "import sys\n")
    out = json.loads(source.write_back(text))
    expected = json.loads(data)
    expected["cells"][2]["source"].insert(4, "import sys\n")
    expected["cells"][5]["source"].insert(2, "values.sort()\n")
    assert out == expected
    # the notebook written back reads back to the fixed text
    assert read_notebook(source.write_back(text)).text == text


def test_real_engine_fix_round_trip() -> None:
    """The engine's own seeding fix, applied to the concatenated text, goes into the import cell."""
    from detlint.api import lint_text
    from detlint.fixes import applicable

    nb = notebook(
        markdown("# Train"),
        code("%load_ext autoreload\nimport tensorflow as tf\nimport numpy as np", count=1),
        code("!nvidia-smi\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
             "model.compile(loss='mse')", count=2),
        code("%%time\nmodel.fit(np.zeros((2, 1)), np.zeros(2))", count=3, outputs=[STREAM]),
    )
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    findings = [f for f in lint_text(source.text, "train.ipynb") if f.code == "DET103"]
    assert findings and source.position(findings[0].line) == (4, 2)
    fixed, applied = apply_edits(source.text, applicable(findings, unsafe=False))
    assert applied == 1
    out = json.loads(source.write_back(fixed))
    assert out["cells"][1]["source"] == ["%load_ext autoreload\n", "import tensorflow as tf\n",
                                         "import numpy as np\n", "tf.keras.utils.set_random_seed(42)"]
    assert out["cells"][0] == nb["cells"][0] and out["cells"][2:] == nb["cells"][2:]
    assert out["metadata"] == nb["metadata"]
    # A suppression comment in a cell is on the same line of the text, so the engine honours it.
    nb["cells"][3]["source"][1] += "  # noqa: DET103"
    suppressed = read_notebook(jupyter_bytes(nb))
    assert "model.fit(np.zeros((2, 1)), np.zeros(2))  # noqa: DET103" in lines_of(suppressed)
    assert not [f for f in lint_text(suppressed.text, "train.ipynb") if f.code == "DET103"]


def test_two_space_indent_and_string_sources_round_trip() -> None:
    nb = notebook(code("import random\nx = 1\n%who", as_list=False),
                  markdown("text"), code("y = random.random()", as_list=False, outputs=[IMAGE, STREAM]))
    data = json.dumps(nb, indent=2).encode()  # ASCII escapes, no final newline
    source = read_notebook(data)
    assert source.write_back(source.text) == data
    fixed = insert(source.text, line_number(source, "import random") + 1, 0, "random.seed(0)\n")
    out = source.write_back(fixed).decode()
    new_cell = "import random\nrandom.seed(0)\nx = 1\n%who"
    assert out == data.decode().replace(json.dumps(nb["cells"][0]["source"]), json.dumps(new_cell))
    assert not out.endswith("\n") and "\\u2013" in out  # the output's non-ASCII stays escaped


@pytest.mark.parametrize("indent, ensure_ascii, trailing, newline", [
    (1, False, "\n", "\n"), (1, True, "\n", "\n"), (2, False, "", "\n"), (4, True, "\n", "\n"),
    (1, False, "\r\n", "\r\n"), (0, False, "\n", "\n"), (None, False, "", "\n"), ("\t", False, "\n", "\n"),
])
def test_layouts_are_reproduced(indent: int | str | None, ensure_ascii: bool, trailing: str, newline: str) -> None:
    nb = realistic()
    data = (json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii).replace("\n", newline) + trailing).encode()
    source = read_notebook(data)
    assert source.write_back(source.text) == data
    line = line_number(source, "model.fit(values, values)")
    fixed = replace(source.text, line, 10, line, 16, "values[:1]")
    expected = json.loads(data)
    expected["cells"][8]["source"] = ["model.fit(values[:1], values)\n"]
    wanted = (json.dumps(expected, indent=indent, ensure_ascii=ensure_ascii).replace("\n", newline) + trailing).encode()
    assert source.write_back(fixed) == wanted


def test_bom_is_kept() -> None:
    data = b"\xef\xbb\xbf" + jupyter_bytes(notebook(code("x = 1")))
    source = read_notebook(data)
    assert source.text == "x = 1\n"
    out = source.write_back("x = 2\n")
    assert out == b"\xef\xbb\xbf" + jupyter_bytes(notebook(code("x = 2")))


def test_unreproducible_layout_refuses_to_write() -> None:
    nb = notebook(code("x = 1"))
    text = jupyter_bytes(nb).decode().replace('"nbformat": 4', '"nbformat":   4')
    source = read_notebook(text.encode())
    assert source.write_back(source.text) == text.encode()  # nothing to write: the file as it was
    with pytest.raises(NotebookWriteError, match="layout"):
        source.write_back("x = 2\n")
    floats = jupyter_bytes(notebook(code("x = 1"))).decode().replace('"nbformat_minor": 5', '"nbformat_minor": 5, "v": 1.50')
    with pytest.raises(NotebookWriteError, match="layout"):
        read_notebook(floats.encode()).write_back("x = 2\n")


def test_fix_that_breaks_a_boundary_or_a_magic_is_refused() -> None:
    source = read_notebook(jupyter_bytes(notebook(code("%time f()\nimport os"), code("x = 1"))))
    assert source.text == "pass  # detlint-magic-1\nimport os\n# detlint-cell-boundary 2\nx = 1\n"
    with pytest.raises(NotebookWriteError, match="boundary"):
        source.write_back(source.text.replace("# detlint-cell-boundary 2\n", ""))
    with pytest.raises(NotebookWriteError, match="cell 1"):
        source.write_back(source.text.replace("pass  # detlint-magic-1\n", ""))
    # A re-indented placeholder is still recognised, and the original line comes back.
    out = json.loads(source.write_back(source.text.replace("pass  #", "    pass  #").replace("x = 1", "x = 2")))
    assert out["cells"][0]["source"] == ["%time f()\n", "import os"] and out["cells"][1]["source"] == ["x = 2"]


def test_cells_that_contain_the_marker_texts() -> None:
    nb = notebook(code("# detlint-cell-boundary 2\n# detlint-magic-1\n%ls"), code("y = 1"))
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    assert source.write_back(source.text) == data
    out = json.loads(source.write_back(source.text.replace("y = 1", "y = 2")))
    assert out["cells"][0] == nb["cells"][0] and out["cells"][1]["source"] == ["y = 2"]


def test_nbformat_3_worksheets() -> None:
    nb = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {"cells": [
                {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Title"]},
                {"cell_type": "code", "collapsed": False, "input": ["%pylab inline\n", "import random"],
                 "language": "python", "metadata": {}, "outputs": [], "prompt_number": 1},
            ], "metadata": {}},
            {"cells": [
                {"cell_type": "code", "collapsed": False, "input": "x = random.random()", "language": "python",
                 "metadata": {}, "outputs": [], "prompt_number": 2},
            ], "metadata": {}},
        ],
    }
    data = jupyter_bytes(nb)
    source = read_notebook(data)
    assert source.nbformat == 3 and source.code_cells == (2, 3)
    assert source.text == "pass  # detlint-magic-1\nimport random\n# detlint-cell-boundary 3\nx = random.random()\n"
    assert source.position(4) == (3, 1)
    assert source.write_back(source.text) == data
    out = json.loads(source.write_back(insert(source.text, 3, 0, "random.seed(0)\n")))
    assert out["worksheets"][0]["cells"][1]["input"] == ["%pylab inline\n", "import random\n", "random.seed(0)"]
    assert out["worksheets"][1] == nb["worksheets"][1]


@pytest.mark.parametrize("data, message", [
    (b"", "not valid JSON"),
    (b'{"cells": [', "not valid JSON: .*line 1"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    (b"[1, 2]", "top level is an array"),
    (b'{"metadata": {}, "nbformat": 4}', "no 'cells' list"),
    (b'{"cells": {}, "nbformat": 4}', "'cells' that is an object"),
    (b'{"cells": [{"source": "x"}], "nbformat": 4}', "cell 1 has no 'cell_type'"),
    (b'{"cells": [1], "nbformat": 4}', "cell 1 has no 'cell_type'"),
    (b'{"cells": [{"cell_type": "code", "source": [1]}], "nbformat": 4}', "'source' of cell 1"),
    (b'{"cells": [], "nbformat": "4"}', "'nbformat' is a string"),
    (b'{"nbformat": 2, "worksheets": []}', "nbformat 2 notebooks are not supported"),
    (b'{"nbformat": 3}', "without a 'worksheets' list"),
    (b'{"nbformat": 3, "worksheets": [{"cells": 5}]}', "worksheet 1 has no 'cells' list"),
])
def test_not_a_notebook(data: bytes, message: str) -> None:
    with pytest.raises(NotebookError, match=message) as raised:
        read_notebook(data)
    assert raised.value.message == str(raised.value)
    assert not isinstance(raised.value, NotebookWriteError)


def test_invalid_json_reports_where() -> None:
    with pytest.raises(NotebookError) as raised:
        read_notebook(b'{\n "cells": [\n  {"cell_type": "code",}\n ]\n}\n')
    assert (raised.value.line, raised.value.column) == (3, 24)


def test_only_json_is_imported() -> None:
    import subprocess
    import sys

    code_ = ("import sys, detlint; before = set(sys.modules); import detlint.notebook; "
             "print(sorted(m for m in set(sys.modules) - before if not m.startswith('detlint')))")
    result = subprocess.run([sys.executable, "-c", code_], capture_output=True, text=True, check=True)
    loaded = eval(result.stdout)  # noqa: S307 - our own printed list
    assert not [m for m in loaded if m.split(".")[0] in {"libcst", "rich", "nbformat", "numpy", "tensorflow"}], loaded


# -- many generated notebooks ---------------------------------------------------------------------

PIECES = [
    "import os", "x = 1", "y = x % 2", "s = '%d!' % x", "print('?')  # why?", "", "   ", "%matplotlib inline",
    "!ls -l", "out = !ls", "t = %timeit -o f()", "os.path?", "?os", "%ls \\\n  -a", "if x:\n    %time f()\n    y = 2",
    "z = '''\n%no\n!no\n'''", "w = (1,\n     2)", "def f():\n    return 1", "q = 1  # noqa: DET101", "é = 'ü – ✓'",
]


def generated(rng: Any) -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        if kind < 0.2:
            cells.append(markdown("text %s\n!x" * rng.randint(0, 2)))
            continue
        newline = "\r\n" if rng.random() < 0.15 else "\n"
        body = newline.join(rng.choice(PIECES).replace("\n", newline) for _ in range(rng.randint(0, 5)))
        if kind < 0.3:
            body = rng.choice(["%%bash\n", "%%time\n", "%%capture\n", "\n%%writefile a.py\n"]) + body
        if rng.random() < 0.3:
            body += newline
        cells.append(code(body, count=rng.choice([None, 1, 7]), outputs=rng.choice([[], [STREAM], [IMAGE]]),
                          as_list=rng.random() < 0.7))
    return notebook(*cells)


def test_generated_notebooks() -> None:
    import random

    for seed in range(150):
        rng = random.Random(seed)
        nb = generated(rng)
        indent, ensure_ascii = rng.choice([1, 2, 4]), rng.random() < 0.3
        data = (json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii) + rng.choice(["\n", ""])).encode()
        source = read_notebook(data)
        cst.parse_module(source.text)
        assert source.write_back(source.text) == data, seed
        sources = {n: "".join(cell["source"]) for n, cell in enumerate(nb["cells"], start=1)}
        # Every line maps to its own line of its cell (or to a magic line there).
        text_lines = source.text.splitlines()
        for number, line in enumerate(text_lines, start=1):
            if line.startswith("# detlint-cell-boundary"):
                continue
            cell, in_cell = source.position(number)
            original = sources[cell].splitlines()[in_cell - 1] if sources[cell] else ""
            assert line == original or "detlint-magic" in line, (seed, line, original)
        # Insert a line before a random line of a random code cell: only that cell changes.
        candidates = [n for n, line in enumerate(text_lines, start=1) if not line.startswith("# detlint-cell-boundary")]
        if not candidates:
            continue
        number = rng.choice(candidates)
        cell, in_cell = source.position(number)
        out = json.loads(source.write_back(insert(source.text, number, 0, "seeded = 1\n")))
        expected = json.loads(data)
        lines = sources[cell].splitlines(keepends=True)
        changed = "".join([*lines[:in_cell - 1], "seeded = 1\n", *lines[in_cell - 1:]])
        cell_json = expected["cells"][cell - 1]
        cell_json["source"] = changed.splitlines(keepends=True) if isinstance(cell_json["source"], list) else changed
        assert out == expected, seed
