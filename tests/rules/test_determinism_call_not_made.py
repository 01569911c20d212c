"""DET206 determinism-call-not-made: fix text and safety, contexts that are not reported."""

from __future__ import annotations

import textwrap

from detlint.fixes import apply_edits
from lintutil import findings_of, lint_snippet

ONLY = {"DET206"}


def fixes(code: str) -> list[tuple[str | None, bool | None]]:
    result = lint_snippet(code, select=ONLY)
    return [(f.fix and apply_edits(textwrap.dedent(code).lstrip("\n"), [f])[0].splitlines()[f.line - 1],
             f.fix and f.fix.safe) for f in result.findings]


def test_fix_adds_the_call_with_the_seed_constant() -> None:
    code = """
        import tensorflow as tf
        SEED = 5
        tf.random.set_seed
    """
    assert fixes(code) == [("tf.random.set_seed(SEED)", True)]


def test_op_determinism_fix_is_safe_only_with_a_tf_seed() -> None:
    seeded = """
        import tensorflow as tf
        tf.random.set_seed(1)
        tf.config.experimental.enable_op_determinism
    """
    unseeded = """
        import tensorflow as tf
        tf.config.experimental.enable_op_determinism
    """
    assert fixes(seeded) == [("tf.config.experimental.enable_op_determinism()", True)]
    assert fixes(unseeded) == [("tf.config.experimental.enable_op_determinism()", False)]


def test_truth_tests_are_reported_without_a_fix() -> None:
    code = """
        import tensorflow as tf
        ok = not tf.config.experimental.enable_op_determinism
        while tf.random.set_seed:
            break
    """
    assert findings_of(code, select=ONLY) == [("DET206", 2, 10), ("DET206", 3, 7)]
    assert fixes(code) == [(None, None), (None, None)]


def test_boolean_operations_follow_their_context() -> None:
    code = """
        import tensorflow as tf
        def pick(custom):
            return custom or tf.random.set_seed
        seed_fn = None or tf.random.set_seed
        flag = True
        flag and tf.config.experimental.enable_op_determinism
        if flag and tf.random.set_seed:
            pass
        (tf.random.set_seed)
    """
    assert findings_of(code, select=ONLY) == [("DET206", 6, 10), ("DET206", 7, 13), ("DET206", 9, 2)]
    assert fixes(code) == [(None, None), (None, None), ("(tf.random.set_seed(42))", True)]


def test_assignment_is_reported_at_the_target_without_a_fix() -> None:
    code = """
        import tensorflow as tf
        threads: int = 1
        tf.config.threading.set_inter_op_parallelism_threads: int = threads
        x = tf.config.experimental.enable_op_determinism = True
    """
    assert findings_of(code, select=ONLY) == [("DET206", 3, 1), ("DET206", 4, 5)]
    assert fixes(code) == [(None, None), (None, None)]


def test_import_inside_a_function_and_rebinding_a_local_name() -> None:
    code = """
        def setup():
            from tensorflow.random import set_seed as seed_tf
            seed_tf
        from tensorflow.random import set_seed
        set_seed = None
    """
    assert findings_of(code, select=ONLY) == [("DET206", 3, 5)]


def test_other_libraries_and_strings_are_not_reported() -> None:
    code = """
        import numpy as np
        import torch
        np.random.seed
        torch.manual_seed
        torch.use_deterministic_algorithms
        text = "tf.random.set_seed"
        def set_seed(seed):
            return seed
        set_seed
    """
    assert findings_of(code, select=ONLY) == []
