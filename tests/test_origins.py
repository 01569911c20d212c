"""Local origins (a function, class or parameter of the linted module) are typed values: written and
read only by ``detlint.analysis.origins``."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst

from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, LocalOrigin, is_local, local_origin, parse_local

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "detlint"
TAGS = tuple(f"{kind.value}:" for kind in Local)


def test_the_analysis_gives_local_origins() -> None:
    source = "class Net:\n    pass\n\ndef build(path):\n    return path\n\nNet().fit()\nbuild(1)\n"
    facts = FileFacts(cst.parse_module(source), "x.py", None)
    callees = [parse_local(call.callee) for call in facts.calls]
    assert callees == [LocalOrigin(Local.CLASS, "Net", "().fit"), LocalOrigin(Local.CLASS, "Net"),
                       LocalOrigin(Local.FUNCTION, "build")]
    returned = facts.functions[0].returns[0]
    assert parse_local(facts.origin(returned)) == LocalOrigin(Local.PARAMETER, "path")


def test_round_trip() -> None:
    assert parse_local(local_origin(Local.CLASS, "Net")) == LocalOrigin(Local.CLASS, "Net")
    assert parse_local("class:Net().fit()") == LocalOrigin(Local.CLASS, "Net", "().fit()")
    assert parse_local("def:build()").text == "build()"  # type: ignore[union-attr]
    assert str(LocalOrigin(Local.PARAMETER, "self", ".x")) == "param:self.x"


def test_library_origins_are_not_local() -> None:
    assert parse_local("sklearn.model_selection.KFold()") is None
    assert parse_local(None) is None
    assert parse_local("") is None
    assert not is_local("numpy.random.seed")
    assert is_local("param:x", Local.PARAMETER)
    assert not is_local("param:x", Local.CLASS, Local.FUNCTION)
    assert is_local("def:f().g")


def _tagged_literals(path: Path) -> list[str]:
    """String constants in code (docstrings aside) that spell a local origin's tag."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and node.value.startswith(TAGS)]


def test_only_the_origins_module_spells_the_tags() -> None:
    found = {str(path.relative_to(PACKAGE)): _tagged_literals(path) for path in PACKAGE.rglob("*.py")
             if path.name != "origins.py"}
    assert {path: literals for path, literals in found.items() if literals} == {}


def test_a_tagged_literal_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""class:Doc is fine in a docstring."""\nx = origin.startswith("param:")\n')
    assert _tagged_literals(module) == ["param:"]
