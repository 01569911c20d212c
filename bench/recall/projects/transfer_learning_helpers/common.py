import os
import random

import numpy as np
import tensorflow as tf

OUTPUT_DIR = "outputs"


def set_seeds(seed):
    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)


def save_model(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.save(path)


def save_history(history, path):
    np.save(path, history.history)
