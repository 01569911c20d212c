"""Helpers shared by the project's scripts."""

import keras

SEED = 1234


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, NumPy and TensorFlow in one call (detlint follows this helper across modules)."""
    keras.utils.set_random_seed(seed)
