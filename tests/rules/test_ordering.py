"""DET204 set-order-dependence and DET205 unsorted-file-listing: fix output and safety, name
following, exemptions the fixtures cannot show on one line."""

from __future__ import annotations

import textwrap

from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet


def fixed(code: str, select: set[str]) -> tuple[str, list[bool]]:
    """The fixed source and the safety of each fix."""
    source = textwrap.dedent(code).lstrip("\n")
    result = lint_snippet(code, select=select)
    assert not result.errors, result.errors
    with_fix = [f for f in result.findings if f.fix is not None]
    return apply_edits(source, with_fix)[0], [f.fix.safe for f in with_fix]  # type: ignore[union-attr]


# -- DET204 ------------------------------------------------------------------------------------------
def test_list_of_set_becomes_sorted_of_set() -> None:
    text, safety = fixed("""
        labels = list(set(words))
        pair = tuple(set(words))
    """, {"DET204"})
    assert text == "labels = sorted(set(words))\npair = tuple(sorted(set(words)))\n"
    assert safety == [False, False]  # unknown items: sorted may raise TypeError


def test_fix_is_safe_when_items_are_strings() -> None:
    text, safety = fixed("""
        letters = "".join(set(word))
        tokens = list(set(line.split()))
        literal = [w for w in {"b", "a"}]
    """, {"DET204"})
    assert text == ('letters = "".join(sorted(set(word)))\ntokens = sorted(set(line.split()))\n'
                    'literal = [w for w in sorted({"b", "a"})]\n')
    assert safety == [True, True, True]


def test_a_set_variable_is_reported_and_fixed_where_it_is_iterated() -> None:
    code = """
        vocabulary = set(words)
        vocabulary.add("<unk>")
        ids = {token: i for i, token in enumerate(vocabulary)}
        known = "cat" in vocabulary
    """
    assert findings_of(code, select={"DET204"}) == [("DET204", 3, 43)]
    text, _ = fixed(code, {"DET204"})
    assert "enumerate(sorted(vocabulary))" in text
    assert 'vocabulary = set(words)\nvocabulary.add("<unk>")' in text  # the set itself stays a set


def test_no_fix_when_sorted_is_shadowed() -> None:
    result = lint_snippet("""
        def sorted(values):
            return values
        labels = list(set(words))
    """, select={"DET204"})
    assert [(f.code, f.line, f.column, f.fix) for f in result.findings] == [("DET204", 3, 15, None)]


def test_order_discarded_or_fixed_is_not_reported() -> None:
    code = """
        n = len(list(set(words)))
        s = sorted(list(set(words)))
        names = list(set(words))
        names.sort()
        seen = {w: len(w) for w in set(words)}
        for w in set(words):
            print(w)
        counted = 0
        for w in set(words):
            counted += 1
    """
    assert findings_of(code, select={"DET204"}) == []


def test_counter_read_in_the_loop_builds_positions() -> None:
    code = """
        index = {}
        position = 0
        for w in set(words):
            index[w] = position
            position += 1
    """
    assert findings_of(code, select={"DET204"}) == [("DET204", 3, 10)]


def test_message_names_the_set_variable_and_the_use() -> None:
    result = lint_snippet("""
        classes = set(labels)
        ordered = list(classes)
    """, select={"DET204"})
    (finding,) = result.findings
    assert finding.message.startswith("set `classes` is turned into a list")
    assert "sorted(" in finding.message


# -- DET205 ------------------------------------------------------------------------------------------
def test_listing_fix_wraps_in_sorted_and_replaces_list() -> None:
    text, safety = fixed("""
        import glob
        import os
        from pathlib import Path
        files = list(Path("d").glob("*.png"))
        first = os.listdir("d")[0]
        pairs = list(zip(glob.glob("a/*"), glob.glob("b/*")))
    """, {"DET205"})
    assert text.splitlines()[3:] == [
        'files = sorted(Path("d").glob("*.png"))',
        'first = sorted(os.listdir("d"))[0]',
        'pairs = list(zip(sorted(glob.glob("a/*")), sorted(glob.glob("b/*"))))',
    ]
    assert safety == [True, True, True, True]


def test_scandir_is_sorted_by_name_but_not_inside_with() -> None:
    code = """
        import os
        names = [entry.name for entry in os.scandir("d")]
        with os.scandir("d") as listing:
            sizes = [entry.stat().st_size for entry in listing]
    """
    result = lint_snippet(code, select={"DET205"})
    assert [(f.line, f.column, f.fix is not None) for f in result.findings] == [(2, 34, True), (3, 6, False)]
    text, _ = fixed(code, {"DET205"})
    assert 'for entry in sorted(os.scandir("d"), key=lambda entry: entry.name)]' in text


def test_walk_fix_inserts_in_place_sorts_at_the_loop_indentation() -> None:
    text, safety = fixed("""
        import os


        def collect(root_dir):
            found = []
            if root_dir:
                for root, dirs, files in os.walk(root_dir):  # walk everything
                    for name in files:
                        found.append(os.path.join(root, name))
            return found
    """, {"DET205"})
    assert text.splitlines()[6:10] == [
        "        for root, dirs, files in os.walk(root_dir):  # walk everything",
        "            dirs.sort()",
        "            files.sort()",
        "            for name in files:",
    ]
    assert safety == [True]


def test_walk_fix_adds_only_the_missing_sort() -> None:
    text, _ = fixed("""
        import os
        for root, dirs, files in os.walk("d"):
            dirs.sort()
            for i, name in enumerate(files):
                print(i, name)
    """, {"DET205"})
    assert text.splitlines()[1:4] == [
        'for root, dirs, files in os.walk("d"):',
        "    files.sort()",
        "    dirs.sort()",
    ]


def test_walk_with_unnamed_dirs_is_reported_without_fix() -> None:
    result = lint_snippet("""
        import os
        out = []
        for root, _, files in os.walk("d"):
            files.sort()
            out.extend(files)
    """, select={"DET205"})
    assert [(f.line, f.column, f.fix) for f in result.findings] == [(3, 23, None)]
    assert "`dirs`" in result.findings[0].message


def test_walk_sorted_with_slice_assignment_is_not_reported() -> None:
    code = """
        import os
        out = []
        for root, dirs, files in os.walk("d"):
            dirs[:] = sorted(dirs)
            for name in sorted(files):
                out.append(name)
    """
    assert findings_of(code, select={"DET205"}) == []


def test_walk_pruning_without_sorting_is_still_reported() -> None:
    code = """
        import os
        out = []
        for root, dirs, files in os.walk("d"):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files.sort()
            out.extend(files)
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 3, 26)]


def test_use_before_a_later_sort_is_still_reported() -> None:
    code = """
        import os
        files = os.listdir("d")
        first = files[0]
        files.sort()
        last = files[-1]
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 2, 9)]


def test_sorted_attribute_and_sorted_collection_are_not_reported() -> None:
    code = """
        import glob
        import os

        class Data:
            def __init__(self, folder):
                self.files = glob.glob(folder + "/*.png")
                self.files.sort()

        names = []
        for name in os.listdir("d"):
            names.append(name)
        names.sort()
    """
    assert findings_of(code, select={"DET205"}) == []


def test_glob_patterns_are_followed_through_constants_and_joins() -> None:
    code = """
        import glob
        import os
        PATTERN = "*.png"
        images = glob.glob(os.path.join("data", PATTERN))[0]
        exact = glob.glob(os.path.join("data", "labels.csv"))[0]
        named = glob.glob(f"{folder}/model.keras")[0]
        unknown = glob.glob(pattern)[0]
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 4, 10), ("DET205", 7, 11)]


def test_rglob_without_wildcards_still_matches_many_files() -> None:
    code = """
        from pathlib import Path
        configs = list(Path("runs").rglob("config.json"))
        one = list(Path("runs").glob("config.json"))
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 2, 16)]


def test_path_methods_need_a_path() -> None:
    without_pathlib = """
        import os
        def images(folder):
            return list(folder.glob("*.png"))
    """
    with_pathlib = """
        from pathlib import Path
        def images(folder: Path):
            return list(folder.glob("*.png"))
    """
    assert findings_of(without_pathlib, select={"DET205"}) == []
    assert findings_of(with_pathlib, select={"DET205"}) == [("DET205", 3, 17)]


def test_counting_loop_and_sorted_materialisation_are_not_reported() -> None:
    code = """
        import os
        count = 0
        for name in os.listdir("d"):
            count += 1
        ordered = sorted(list(os.listdir("d")))
        both = sorted(os.listdir("a") + os.listdir("b"))
    """
    assert findings_of(code, select={"DET205"}) == []


def test_concatenated_listings_are_followed() -> None:
    code = """
        import os
        both = os.listdir("a") + os.listdir("b")
        first = both[0]
    """
    assert findings_of(code, select={"DET205"}) == [("DET205", 2, 8), ("DET205", 2, 26)]


def test_message_says_what_and_how_to_fix() -> None:
    result = lint_snippet("""
        import os
        pairs = list(zip(os.listdir("images"), os.listdir("masks")))
    """, select={"DET205"})
    message = result.findings[0].message
    assert message.startswith("`os.listdir` returns entries in filesystem order")
    assert "passed to `zip`" in message and "sorted(...)" in message


def test_a_tie_counter_that_is_only_reset_is_not_a_position() -> None:
    code = """
        import os
        latest, ties = 0.0, 0
        for name in os.listdir("d"):
            mtime = os.path.getmtime(name)
            if mtime > latest:
                latest, ties = mtime, 1
            elif mtime == latest:
                ties += 1
    """
    assert findings_of(code, select={"DET205"}) == []


def test_sets_of_numbers_keep_their_order_between_runs() -> None:
    code = """
        a = list({3, 1, 2})
        b = list(set(range(5)))
        c = list(set([0.5, 1.5]))
        d = list({1, "one"})
    """
    assert findings_of(code, select={"DET204"}) == [("DET204", 4, 10)]


def test_order_free_consumers_of_a_built_list() -> None:
    code = """
        import numpy as np
        mask = np.isin(values, list(set(labels)))
        inside = set(words).issubset(list(set(labels)))
    """
    assert findings_of(code, select={"DET204"}) == []
