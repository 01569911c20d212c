"""Python, NumPy, pandas and TensorFlow calls by what they do with the order of what they consume."""

from __future__ import annotations

# Consumers whose result does not depend on the order of what they consume.
ORDER_FREE = frozenset({
    "builtins.sorted", "builtins.set", "builtins.frozenset", "builtins.len", "builtins.sum", "builtins.min",
    "builtins.max", "builtins.any", "builtins.all", "builtins.bool", "collections.Counter", "numpy.unique",
    "numpy.sort", "numpy.isin", "numpy.in1d", "natsort.natsorted", "natsort.os_sorted", "natsort.humansorted",
    "natsort.realsorted",
})
ORDER_FREE_METHODS = frozenset({
    "isin", "issubset", "issuperset", "isdisjoint", "union", "intersection", "difference",
    "symmetric_difference", "update", "difference_update", "intersection_update", "symmetric_difference_update",
})
# Consumers that materialise the items, in iteration order, into an ordered container.
MATERIALISERS: dict[str, str] = {"builtins.list": "a list", "builtins.tuple": "a tuple", "numpy.fromiter": "an array"}
# Further materialisers of a listing's paths (a set of paths rarely reaches them).
LISTING_MATERIALISERS: dict[str, str] = {
    **{f"numpy.{name}": "an array" for name in ("array", "asarray", "stack", "concatenate", "vstack", "hstack")},
    "pandas.Series": "a Series", "pandas.DataFrame": "a DataFrame", "pandas.Index": "an Index",
    "tensorflow.constant": "a tensor", "tensorflow.convert_to_tensor": "a tensor",
    "tensorflow.data.Dataset.from_tensor_slices": "a Dataset", "tensorflow.data.Dataset.from_tensors": "a Dataset",
    "tensorflow.data.Dataset.list_files": "a Dataset",
}
POSITIONAL = frozenset({"builtins.enumerate", "builtins.zip"})
# Lazy wrappers: their result yields the same items in the same order, so their own use decides.
TRANSPARENT = frozenset({"builtins.map", "builtins.filter", "builtins.reversed", "builtins.iter", "itertools.chain"})
# Calls and statements inside a loop body that build an ordered result from the loop's order.
APPEND_METHODS = frozenset({"append", "extend", "insert", "appendleft", "extendleft"})
ORDERED_BUILDERS = frozenset({
    "numpy.append", "numpy.concatenate", "numpy.vstack", "numpy.hstack", "numpy.stack", "pandas.concat",
})
# Last names of both, as the pre-filter sees calls.
APPENDERS = APPEND_METHODS | frozenset(name.rsplit(".", 1)[-1] for name in ORDERED_BUILDERS)
SET_BUILDERS = frozenset({"set", "frozenset"})
# Set methods that return a set.
SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
# Last names of calls that can turn an argument's iteration order into an order (the ordered
# consumers, and the lazy wrappers whose result is judged by its own use), for the pre-filter.
ORDERED_CONSUMERS = frozenset({
    "list", "tuple", "fromiter", "enumerate", "zip", "map", "filter", "reversed", "iter", "chain", "next",
    "islice", "join",
})
# str methods that return lists of str.
STRING_LISTS = frozenset({"split", "rsplit", "splitlines"})
