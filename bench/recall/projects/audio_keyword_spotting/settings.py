import os

import tensorflow as tf

os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ["TF_DETERMINISTIC_OPS"] = "1"

tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.threading.set_intra_op_parallelism_threads = 1

SEED = 17
