"""DET207 salted-hash: which arguments may be strings, and which uses need a stable value."""

from __future__ import annotations

from lintutil import findings_of, lint_snippet

ONLY = {"DET207"}


def test_message_names_the_use_and_the_stable_alternatives() -> None:
    result = lint_snippet("def split(name):\n    return hash(name) % 10 < 8\n", select=ONLY)
    assert [(f.code, f.line, f.column, f.end_line, f.end_column) for f in result.findings] == [("DET207", 2, 12, 2, 22)]
    message = result.findings[0].message
    assert "salted per process (`PYTHONHASHSEED`), and the result is bucketed with `%`" in message
    assert "`zlib.crc32(s.encode())`" in message and "`tf.strings.to_hash_bucket_fast`" in message


def test_result_followed_through_a_name() -> None:
    code = """
        def assign(path):
            bucket = hash(path)
            label = "test" if bucket % 5 == 0 else "train"
            return label
    """
    assert findings_of(code, select=ONLY) == [("DET207", 2, 14)]


def test_numbers_from_a_loop_over_a_list_of_ints_are_not_salted() -> None:
    code = """
        for value in [1, 2, 3]:
            print(hash(value) % 2)
        for word in ["a", "b"]:
            print(hash(word) % 2)
    """
    assert findings_of(code, select=ONLY) == [("DET207", 4, 11)]


def test_tuple_with_a_string_is_salted() -> None:
    assert findings_of("key = hash((1, 'a')) % 7\n", select=ONLY) == [("DET207", 1, 7)]


def test_uses_that_need_no_stable_value() -> None:
    code = """
        def f(name, other):
            print(hash(name))
            lookup = {}
            lookup[hash(name)] = name
            return hash(name) == hash(other)
    """
    assert findings_of(code, select=ONLY) == []


def test_a_shadowed_hash_is_not_the_builtin() -> None:
    code = """
        from mylib import hash
        bucket = hash("cat") % 10
    """
    assert findings_of(code, select=ONLY) == []
