import os
import random

import numpy as np
import tensorflow as tf

SEED = 99


def configure(seed: int = SEED) -> None:
    os.environ["PYTHONHASHSEED"] = str(seed)
    os.environ["TF_DETERMINISTIC_OPS"] = "1"
    os.environ["TF_CUDNN_DETERMINISTIC"] = "1"
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads = 1


def fresh_generator():
    return np.random.default_rng(SEED)


def reseed_from_entropy() -> None:
    random.seed()
