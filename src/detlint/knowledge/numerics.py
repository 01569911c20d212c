"""Array and tensor functions by how they compare, reduce or pass on values (exact comparisons of floats)."""

from __future__ import annotations

# Calls and methods that keep the values they are given (so predictions stay predictions).
PASSTHROUGH_METHODS = frozenset({"numpy", "flatten", "ravel", "reshape", "squeeze", "copy", "tolist"})
PASSTHROUGH_FUNCTIONS = frozenset({
    *(f"numpy.{n}" for n in ("asarray", "array", "squeeze", "ravel", "concatenate", "stack", "vstack", "hstack",
                             "abs", "absolute", "subtract")),
    *(f"tensorflow.{n}" for n in ("squeeze", "reshape", "convert_to_tensor", "identity", "abs", "math.abs",
                                  "subtract", "math.subtract")),
    *(f"keras.ops.{n}" for n in ("convert_to_numpy", "convert_to_tensor", "squeeze", "abs", "subtract")),
    "builtins.abs", "builtins.list", "builtins.tuple",
})
ITERATION_HELPERS = frozenset({"builtins.zip", "builtins.enumerate"})
# all(...)-style reducers: `==` inside them; any(...)-style reducers: `!=` inside them.
ALL_REDUCERS = frozenset({"numpy.all", "numpy.alltrue", "builtins.all", "tensorflow.reduce_all",
                          "tensorflow.math.reduce_all", "keras.ops.all"})
ANY_REDUCERS = frozenset({"numpy.any", "builtins.any", "tensorflow.reduce_any", "tensorflow.math.reduce_any",
                          "keras.ops.any"})
ELEMENTWISE_EQUAL = frozenset({"numpy.equal", "tensorflow.equal", "tensorflow.math.equal", "keras.ops.equal"})
ELEMENTWISE_NOT_EQUAL = frozenset({"numpy.not_equal", "tensorflow.not_equal", "tensorflow.math.not_equal",
                                   "keras.ops.not_equal"})
EQUALITY_FUNCTIONS = frozenset({
    "numpy.array_equal", "numpy.array_equiv", "numpy.testing.assert_array_equal", "numpy.testing.assert_equal",
    "tensorflow.debugging.assert_equal", "keras.ops.array_equal",
})
EQUALITY_ASSERT_METHODS = frozenset({"assertEqual", "assertAllEqual", "assertListEqual", "assertTupleEqual"})
ABSOLUTE_VALUE = frozenset({"builtins.abs", "numpy.abs", "numpy.absolute", "tensorflow.abs", "tensorflow.math.abs",
                            "keras.ops.abs"})
