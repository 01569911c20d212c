"""Value kinds, project-wide: what kind of value an expression or origin is (a Keras model, a dataset...).

One small lattice shared by the rules. A kind comes from the API that built the value (a table in
``knowledge/``), from the module's own classes and functions, or, through the project index, from the
functions, classes and module-level values of other modules of the project. ``UNKNOWN`` is not "known
to be something else": rules whose typing may be approximate let unknown receivers count.
"""

from __future__ import annotations

import enum
import sys
import weakref
from typing import TYPE_CHECKING

import libcst as cst

from detlint.analysis.facts import Call, ClassInfo, FileFacts, dotted_name
from detlint.analysis.origins import Local, local_origin, parse_local
from detlint.knowledge import data, keras, producers
from detlint.knowledge.estimators import SKLEARN_PREPROCESSOR

if TYPE_CHECKING:
    from detlint.analysis.project import ProjectIndex


class Kind(enum.Enum):
    """What a value is known to be."""

    KERAS_MODEL = "keras_model"  # incl. AutoKeras tasks/AutoModel and KerasTuner tuners
    KERAS_LAYER = "keras_layer"  # an instance of a Keras layer subclass of the project
    DATASET = "dataset"  # a tf.data dataset
    DATAFRAME = "dataframe"  # a pandas DataFrame or Series
    SKLEARN = "sklearn"  # a scikit-learn estimator or splitter
    PREPROCESSOR = "preprocessor"  # a scaler, encoder, vectorizer, tokenizer, Keras preprocessing layer
    PATH = "path"  # a path (``pathlib.Path``, ``os.path.join``)
    NON_KERAS = "non_keras"  # something else whose ``fit``/``save`` is not Keras' (xgboost, a plain class...)
    UNKNOWN = "unknown"

    @property
    def known(self) -> bool:
        return self is not Kind.UNKNOWN

    @property
    def other_than_keras(self) -> bool:
        """Known to be something whose ``fit``/``save`` is not a Keras model's."""
        return self not in (Kind.KERAS_MODEL, Kind.UNKNOWN)


# Calls whose result is a Keras model: built or loaded.
_MODEL_CONSTRUCTORS = keras.KERAS_MODEL_BUILDERS | keras.LOAD_MODEL_FUNCTIONS
_PATH_CONSTRUCTORS = frozenset({"pathlib.Path", "pathlib.PurePath", "os.path.join", "os.path.abspath"})


# -- origins alone (no project) ----------------------------------------------------------------------
def strip_call(origin: str | None) -> str | None:
    """``keras.Sequential()`` → ``keras.Sequential`` (only a trailing call)."""
    if origin and origin.endswith("()"):
        return origin[:-2]
    return None


def constructor(origin: str | None) -> str | None:
    """The first call in an origin chain: ``pandas.read_csv().dropna()`` → ``pandas.read_csv``."""
    if not origin or "()" not in origin:
        return None
    return origin.split("()", 1)[0]


def is_automl_object(origin: str | None) -> bool:
    ctor = strip_call(origin)
    return ctor is not None and (bool(keras.AUTOKERAS_TASK.match(ctor)) or ctor in keras.KERAS_TUNERS)


def is_model_producer(name: str | None) -> bool:
    """A third-party call returning a Keras model (``segmentation_models.Unet``, ``TFBertModel.from_pretrained``)."""
    return bool(name) and (name in producers.MODEL_PRODUCERS or bool(producers.MODEL_PRODUCER_PATTERN.match(name)))


def is_dataset(origin: str | None) -> bool:
    """A ``tf.data`` dataset (built from ``tf.data.*`` or ``*_dataset_from_directory`` and chained methods)."""
    if not origin:
        return False
    if origin.startswith(data.DATASET_PREFIXES):
        return True
    ctor = constructor(origin)
    return ctor is not None and bool(data.DATASET_FROM_DIRECTORY.match(ctor))


def is_sklearn(origin: str | None) -> bool:
    return bool(origin) and origin.startswith("sklearn.")  # type: ignore[union-attr]


def local_class(facts: FileFacts | None, origin: str | None) -> ClassInfo | None:
    """The class of this file a local class origin (``Net()`` instantiated) names."""
    local = parse_local(origin)
    if facts is None:
        return None
    if local is None or local.kind is not Local.CLASS:
        return None
    name = local.text.split("(", 1)[0]
    return next((c for c in facts.classes if c.name == name), None)


def class_bases(facts: FileFacts, info: ClassInfo, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Canonical base names of a class, following local base classes."""
    found: set[str] = set()
    for base in info.bases:
        origin = facts.origin(base)
        if origin is None:
            continue
        local = parse_local(origin)
        if local is not None and local.kind is Local.CLASS and local.text not in _seen:
            parent = next((c for c in facts.classes if c.name == local.text), None)
            if parent is not None:
                found |= class_bases(facts, parent, _seen | {info.name})
        found.add(origin)
    return found


def is_keras_layer_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & (keras.KERAS_LAYER_BASES | keras.KERAS_MODEL_BASES))


def is_keras_model_class(facts: FileFacts, info: ClassInfo) -> bool:
    return bool(class_bases(facts, info) & keras.KERAS_MODEL_BASES)


def is_keras_model(facts: FileFacts | None, origin: str | None) -> bool:
    """Whether a value is known to be a Keras model (not an AutoKeras/KerasTuner object) from its origin alone."""
    if not origin:
        return False
    ctor = constructor(origin)
    if ctor in _MODEL_CONSTRUCTORS or is_model_producer(ctor):
        return True
    if origin.endswith(".export_model()"):
        return True
    for suffix in producers.BEST_MODEL_SUFFIXES:
        if origin.endswith(suffix) and is_automl_object(origin[: -len(suffix)]):
            return True
    info = local_class(facts, origin)
    return info is not None and is_keras_model_class(facts, info)


def is_application_model(origin: str | None) -> bool:
    """``keras.applications.ResNet50(...)`` (a model), not ``keras.applications.resnet50.preprocess_input(...)``."""
    ctor = constructor(origin)
    if not ctor or not ctor.startswith(keras.KERAS_APPLICATIONS_PREFIX):
        return False
    return ctor.rsplit(".", 1)[-1][:1].isupper()


def _library_root(origin: str) -> str:
    return origin.split(".", 1)[0].split("(", 1)[0].split("[", 1)[0]


def origin_kind_without_module(origin: str | None) -> Kind:
    """The kind of a library origin from the tables alone."""
    return origin_kind(None, origin)


def origin_kind(facts: FileFacts | None, origin: str | None) -> Kind:
    """The kind an origin is known to have from this module alone (tables and the module's own classes)."""
    if not origin:
        return Kind.UNKNOWN
    if is_keras_model(facts, origin) or is_automl_object(origin) or is_application_model(origin):
        return Kind.KERAS_MODEL
    info = local_class(facts, origin)
    if info is not None and facts is not None:
        if is_keras_layer_class(facts, info):
            return Kind.KERAS_LAYER if strip_call(origin) is not None else Kind.UNKNOWN
        return Kind.UNKNOWN  # a class of this module: its bases may be another module's (see kind_of)
    ctor = constructor(origin)
    if ctor is not None and (ctor in keras.KERAS_PREPROCESSORS or SKLEARN_PREPROCESSOR.match(ctor)):
        return Kind.PREPROCESSOR
    if is_dataset(origin):
        return Kind.DATASET
    if ctor is not None and ctor.startswith(data.PANDAS_PREFIX):
        return Kind.DATAFRAME
    if is_sklearn(origin):
        return Kind.SKLEARN
    if ctor in _PATH_CONSTRUCTORS:
        return Kind.PATH
    if parse_local(origin) is None and _library_root(origin) in producers.NON_KERAS_ROOTS:
        return Kind.NON_KERAS
    return Kind.UNKNOWN


# -- the module's own classes, and links to other modules ----------------------------------------
def _class_kind(facts: FileFacts, info: ClassInfo, project: "ProjectIndex | None") -> Kind:
    """What an instance of a class of this module is: a Keras model or layer by its bases (following
    base classes of other project modules through the index), else a plain object."""
    if is_keras_model_class(facts, info):
        return Kind.KERAS_MODEL
    if is_keras_layer_class(facts, info):
        return Kind.KERAS_LAYER
    if project is not None:
        for base in sorted(class_bases(facts, info)):
            if may_be_project_origin(base):
                found = project.kind_of_origin(facts.module_name, base + "()")
                if found in (Kind.KERAS_MODEL, Kind.KERAS_LAYER):
                    return found
    return Kind.NON_KERAS


def class_link(facts: FileFacts, info: ClassInfo) -> str | None:
    """For a plain class of this module whose kind may come from another module's base class: that base's
    instance origin (``models.base.BaseNet()``), to be resolved by the project index."""
    for base in sorted(class_bases(facts, info)):
        if parse_local(base) is None and _library_root(base) not in _NOT_PROJECT_ROOTS:
            return base + "()"
    return None


# Roots that are never a module of the project: the standard library and the libraries the tables know.
_NOT_PROJECT_ROOTS = frozenset(sys.stdlib_module_names) | producers.NON_PROJECT_ROOTS


def may_be_project_origin(origin: str | None) -> bool:
    """Whether an origin may name something of another module of the project (worth asking the index)."""
    if not origin or parse_local(origin) is not None:
        return False
    return _library_root(origin) not in _NOT_PROJECT_ROOTS


def expression_origin(facts: FileFacts, expr: cst.CSTNode, project: "ProjectIndex | None" = None,
                      depth: int = 0) -> str | None:
    """``facts.origin(expr)``, also through names a ``from module import *`` of a project module brings."""
    origin = facts.origin(expr)
    if origin is not None or project is None or depth > 8:
        return origin
    if isinstance(expr, cst.Name):
        binding = facts.binding_of(expr)
        if binding is None:
            return star_origin(facts, expr.value, project)
        if binding.value is not None and binding.kind in ("assign", "unpack", "loop"):
            base = expression_origin(facts, binding.value, project, depth + 1)
            return base if base is None or binding.kind == "assign" else base + "[]"
        return None
    if isinstance(expr, cst.Call):
        base = expression_origin(facts, expr.func, project, depth + 1)
        return None if base is None else base + "()"
    if isinstance(expr, cst.Attribute):
        base = expression_origin(facts, expr.value, project, depth + 1)
        return None if base is None else f"{base}.{expr.attr.value}"
    if isinstance(expr, cst.Subscript):
        base = expression_origin(facts, expr.value, project, depth + 1)
        return None if base is None else base + "[]"
    return None


_STAR_MODULES: "weakref.WeakKeyDictionary[FileFacts, list[str]]" = weakref.WeakKeyDictionary()


def star_modules(facts: FileFacts) -> list[str]:
    """Modules this module imports everything from (``from common import *``), as written."""
    cached = _STAR_MODULES.get(facts)
    if cached is not None:
        return cached
    found: list[str] = []
    _STAR_MODULES[facts] = found
    for node in facts.nodes(cst.ImportFrom):
        if isinstance(node.names, cst.ImportStar):
            base = dotted_name(node.module) if node.module is not None else ""
            found.append("." * len(node.relative) + (base or ""))
    return found


def star_origin(facts: FileFacts, name: str, project: "ProjectIndex") -> str | None:
    """The origin of a name no binding of this module defines but a star import of a project module
    defines: ``common.set_seeds`` for ``set_seeds`` after ``from common import *``."""
    for module in star_modules(facts):
        if not module.strip("."):
            continue
        separator = "" if module.endswith(".") else "."
        origin = f"{module}{separator}{name}"
        found = project.resolve(facts.module_name, origin)
        if found is not None and found[0].defines(found[1]):
            return origin
    return None


# -- the one question rules ask -----------------------------------------------------------------------
def kind_of(facts: FileFacts, target: cst.CSTNode | str | None, project: "ProjectIndex | None" = None) -> Kind:
    """The kind of an expression (or of an origin of this module): from the API that built it, the
    module's own classes and functions, and, with ``project``, other modules of the project. A parameter
    of a module-level function has the kind its callers in this module pass."""
    origin = target if isinstance(target, str) or target is None else expression_origin(facts, target, project)
    kind = origin_kind(facts, origin)
    if kind.known or origin is None:
        return kind
    info = local_class(facts, origin)
    if info is not None:
        return _class_kind(facts, info, project) if strip_call(origin) is not None else Kind.UNKNOWN
    local = parse_local(origin)
    if local is not None and local.kind is Local.PARAMETER and not local.rest and isinstance(target, cst.Name):
        return parameter_kind(facts, target, project)
    if project is not None and may_be_project_origin(origin):
        return project.kind_of_origin(facts.module_name, origin)
    return Kind.UNKNOWN


def _parameter_of(facts: FileFacts, name: cst.Name) -> tuple[str, int | None, str] | None:
    """(function, position, parameter name) for a parameter of a module-level function."""
    binding = facts.binding_of(name)
    if binding is None or binding.kind != "param" or not isinstance(binding.node, cst.Param):
        return None
    function = binding.scope.node
    if not isinstance(function, cst.FunctionDef) or binding.scope.parent is not facts.module_scope:
        return None
    params = list(function.params.params)
    position = next((at for at, param in enumerate(params) if param is binding.node), None)
    return function.name.value, position, name.value


def argument_for(call: cst.Call, position: int | None, keyword: str) -> cst.BaseExpression | None:
    """The argument a call passes for a parameter (by keyword, else by position before any ``*args``)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    if position is None:
        return None
    positional = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break
        positional.append(arg.value)
    return positional[position] if position < len(positional) else None


_parameter_depth: list[int] = [0]


def parameter_kind(facts: FileFacts, name: cst.Name, project: "ProjectIndex | None" = None) -> Kind:
    """A parameter of a module-level function is a Keras model when a caller in this module passes one
    (built here or, with ``project``, in another module). Callers in other modules are not looked for:
    finding them would read the whole project, which a single-file check must not do."""
    found = _parameter_of(facts, name)
    if found is None or _parameter_depth[0] > 3:
        return Kind.UNKNOWN
    function, position, parameter = found
    _parameter_depth[0] += 1
    try:
        for call in facts.calls:
            func = call.node.func
            if not isinstance(func, cst.Name) or func.value != function:
                continue
            binding = facts.binding_of(func)
            if binding is None or binding.kind != "def":
                continue
            arg = argument_for(call.node, position, parameter)
            if arg is not None and kind_of(facts, arg, project) is Kind.KERAS_MODEL:
                return Kind.KERAS_MODEL
        return Kind.UNKNOWN
    finally:
        _parameter_depth[0] -= 1


def receiver_kind(call: Call, project: "ProjectIndex | None" = None) -> Kind:
    """The kind of a method call's receiver (``model`` in ``model.fit(x)``)."""
    receiver = call.receiver
    if receiver is None:
        return Kind.UNKNOWN
    return kind_of(call.facts, receiver, project)


# -- what a module tells other modules (stored in its summary) ----------------------------------------
def summary_kinds(facts: FileFacts) -> tuple[dict[str, str], dict[str, str]]:
    """Kinds of this module's names for other modules: ``(kinds, links)``. Keys are ``build()`` (what
    calling a module-level function or class gives) or ``model_1`` (a module-level value); ``kinds``
    maps to a :class:`Kind` value, ``links`` to an origin in this module whose kind it has (resolved by
    the project index, transitively across modules)."""
    kinds: dict[str, str] = {}
    links: dict[str, str] = {}

    def record(key: str, origin: str | None) -> None:
        if origin is None or key in kinds:
            return
        kind = origin_kind(facts, origin)
        info = local_class(facts, origin)
        if not kind.known and info is not None and strip_call(origin) is not None:
            kind = _class_kind(facts, info, None)
            link = class_link(facts, info)
            if kind is Kind.NON_KERAS and link is not None:
                links.setdefault(key, link)
                return
        if kind.known:
            kinds[key] = kind.value
            links.pop(key, None)
        elif may_be_project_origin(origin):
            links.setdefault(key, origin)

    for info in facts.classes:
        if facts.module_scope.bindings.get(info.name):
            record(f"{info.name}()", local_origin(Local.CLASS, info.name) + "()")
    for function in facts.functions:
        if function.class_name is None and function.scope.parent is facts.module_scope:
            for value in function.returns:
                record(f"{function.name}()", facts.origin(value))
    for name, bindings in facts.module_scope.bindings.items():  # noqa: B007
        last = bindings[-1]
        if last.kind == "assign" and last.value is not None:
            record(name, facts.origin(last.value))
        elif last.kind == "import" and last.fixed_origin and may_be_project_origin(last.fixed_origin):
            links.setdefault(name, last.fixed_origin)  # a re-export: ``from .unet import build_unet``
    return kinds, links


def is_project_model_instance(facts: FileFacts, origin: str | None, project: "ProjectIndex | None") -> bool:
    """A Keras model object built by a function or class of another project module (``net.TinyNet()``,
    ``models.build()``): the instance itself, not one of its methods' results."""
    if project is None or not origin or not origin.endswith("()") or origin.count("()") != 1:
        return False
    return may_be_project_origin(origin) and kind_of(facts, origin, project) is Kind.KERAS_MODEL
