"""Kinds of values found from the methods called on them, when their origin is not known.

``ds.cache().prefetch(2).shuffle(n)`` on a value of unknown kind is a ``tf.data`` dataset (in a module
that imports TensorFlow): only datasets have that chain of methods. ``frame.sample(frac=0.5)`` on a
value of unknown kind is a DataFrame sample (in a module that imports pandas). A value known to be
something else (a list, a NumPy array, a ``random.Random``, a class of the module) never is.
"""

from __future__ import annotations

import libcst as cst

from detlint.analysis import ml
from detlint.analysis.facts import FileFacts
from detlint.analysis.origins import Local, is_local
from detlint.knowledge import data
from detlint.knowledge.splits import TF_DATA_ROOTS

_MAX_STEPS = 30
_LITERALS = (cst.List, cst.Tuple, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
             cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float)


def is_dataset_chain(facts: FileFacts, receiver: cst.BaseExpression | None) -> bool:
    """Whether ``receiver`` (of a ``.shuffle(``) is a chain of dataset methods on a value that may be a
    dataset, following names bound once along the way (``train = x.concatenate(y)``)."""
    if receiver is None or not facts.imports_any(*TF_DATA_ROOTS):
        return False
    methods = 0
    node: cst.BaseExpression = receiver
    for _ in range(_MAX_STEPS):
        origin = facts.origin(node)
        if ml.is_dataset(origin):
            return True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value not in data.DATASET_CHAIN_METHODS:
                return False
            methods += 1
            node = node.func.value
            continue
        if isinstance(node, cst.Name):
            value = _assigned_value(facts, node)
            if value is not None:
                node = value
                continue
        return methods > 0 and _may_be_dataset(facts, node, origin)
    return False


def _assigned_value(facts: FileFacts, name: cst.Name) -> cst.BaseExpression | None:
    binding = facts.binding_of(name)
    if binding is None or binding.kind != "assign" or binding.value is None:
        return None
    return binding.value


def _may_be_dataset(facts: FileFacts, root: cst.BaseExpression, origin: str | None) -> bool:
    if isinstance(root, _LITERALS):
        return False
    if origin is None or is_local(origin, Local.PARAMETER, Local.FUNCTION):
        return True
    return not (origin.startswith(data.NOT_DATASET_PREFIXES) or is_local(origin, Local.CLASS))


def may_be_frame(facts: FileFacts, receiver: cst.BaseExpression | None) -> bool:
    """Whether a ``.sample(`` receiver may be a DataFrame/Series: of unknown kind (a parameter, a value
    of another module, a split's output) and not known to be something else."""
    if receiver is None or isinstance(receiver, _LITERALS):
        return False
    origin = facts.origin(receiver)
    if origin is None or is_local(origin, Local.PARAMETER, Local.FUNCTION):
        return True
    if is_local(origin, Local.CLASS):
        return False
    if ml.constructor(origin) in data.KIND_PRESERVING_CALLS:
        return True
    return not origin.startswith(data.NOT_FRAME_PREFIXES)
