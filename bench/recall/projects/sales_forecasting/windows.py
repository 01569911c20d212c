import numpy as np
import tensorflow as tf


def make_windows(series, window=30, horizon=7):
    xs, ys = [], []
    for start in range(len(series) - window - horizon):
        xs.append(series[start:start + window])
        ys.append(series[start + window:start + window + horizon])
    return np.array(xs)[..., None], np.array(ys)


def to_dataset(x, y, batch_size=64):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size)


def prepare(ds, training):
    ds = ds.cache()
    if training:
        ds = ds.shuffle(512)
    return ds.prefetch(tf.data.AUTOTUNE)
