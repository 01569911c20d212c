"""Canonical spellings of qualified names, so rules compare one name per API."""

from __future__ import annotations

# Longest prefixes first: each maps an alias family onto one canonical spelling.
_PREFIX_ALIASES: tuple[tuple[str, str], ...] = (
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.compat.v2.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tf_keras.src.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.src.", "keras."),
    ("keras.api.", "keras."),
    ("kerastuner.", "keras_tuner."),
    ("keras_tuner.tuners.", "keras_tuner."),
    ("keras_tuner.engine.tuner.", "keras_tuner."),
    ("keras_tuner.src.", "keras_tuner."),
    ("autokeras.tasks.", "autokeras."),
    ("keras.layers.experimental.preprocessing.", "keras.layers."),
    ("keras.src.layers.preprocessing.", "keras.layers."),
)
_EXACT_ALIASES = {
    "tensorflow.keras": "keras",
    "tf_keras": "keras",
    "kerastuner": "keras_tuner",
}


def canonical(name: str) -> str:
    """Return the canonical spelling of a dotted name (``tf.keras.X`` and ``tf_keras.X`` → ``keras.X``)."""
    exact = _EXACT_ALIASES.get(name)
    if exact is not None:
        return exact
    for prefix, replacement in _PREFIX_ALIASES:
        if name.startswith(prefix):
            return canonical(replacement + name[len(prefix):])
    return name


KERAS_FAMILY_ROOTS = frozenset({"tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner"})


def root(name: str) -> str:
    return name.split(".", 1)[0]


def last(name: str) -> str:
    return name.rsplit(".", 1)[-1]
