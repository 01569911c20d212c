"""detlint's LibCST parse skips LibCST's per-node validation, and only while it parses: the trees are the
ones LibCST builds with it, and nodes built outside a parse (fixes) are still validated."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path

import libcst
import pytest

from detlint import cst_parse

ROOT = Path(__file__).resolve().parents[1]
TRICKY = """\
from __future__ import annotations
import os, sys as system
x: "int" = (1 if not a else -b) ** ~c @ d
y = [i async for i in g() if i not in s and i is not None]
async def f(*a, b=1, **k) -> None:
    async with ctx() as (p, q):
        await q; del p[1:2, ...]
    global z
    lambda *_, __=(yield): __
class C(B, metaclass=M):
    @decorator(1)
    def m(self, /, a, *, b): return f"{a!r:>{b}}" u"é", rb'\\x00' b"\\n"
match command:
    case [Point(x=0, y=0), *rest] | {"k": _, **kw} if rest: pass
try:
    raise E from None
except* (A, B) as group:
    pass
while (n := n - 1) > 0: break
else: ...
"""


def _samples() -> list[str]:
    texts = [TRICKY, "", "\n", "x = 1", "if a:\r\n    b  # c\r\n"]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").rglob("*.py"))]
    return texts


@pytest.mark.parametrize("text", _samples(), ids=lambda text: str(len(text)))
def test_the_tree_is_the_validated_parse(text: str) -> None:
    unvalidated = cst_parse.parse_module(text)
    validated = libcst.parse_module(text)
    assert unvalidated.deep_equals(validated)
    assert unvalidated.code == text


def test_nodes_built_after_a_parse_are_validated() -> None:
    cst_parse.parse_module(TRICKY)
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("not a name")  # a Name with a space fails validation


def test_nodes_built_after_a_failed_parse_are_validated() -> None:
    with pytest.raises(libcst.ParserSyntaxError):
        cst_parse.parse_module("def (:\n")
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("not a name")


def test_threads_parse_one_at_a_time_and_restore_validation() -> None:
    errors: list[BaseException] = []

    def parse_many() -> None:
        try:
            for _ in range(20):
                cst_parse.parse_module(TRICKY)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=parse_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with pytest.raises(libcst.CSTValidationError):
        libcst.Name("not a name")


def test_only_the_base_node_defines_post_init() -> None:
    """The switch replaces CSTNode.__post_init__: a node class with its own would escape it (and would
    then be validated, still correct, only slower)."""
    classes = [cls for _, cls in inspect.getmembers(libcst, inspect.isclass) if issubclass(cls, libcst.CSTNode)]
    assert len(classes) > 100
    assert [cls.__name__ for cls in classes if cls is not libcst.CSTNode and "__post_init__" in vars(cls)] == []


def test_the_classes_the_facts_compare_exactly_have_no_subclasses() -> None:
    # Call.method, Call.receiver and Call.receiver_binding test `node.__class__ is cst.Attribute` (or
    # cst.Name) instead of isinstance, which is slow on LibCST's ABC node classes: sound only while
    # no LibCST class derives from them.
    for node_class in (libcst.Attribute, libcst.Name):
        assert node_class.__subclasses__() == []
