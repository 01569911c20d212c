import numpy as np
import pandas as pd
import tensorflow as tf


def load_series(path):
    frame = pd.read_csv(path, parse_dates=["timestamp"]).set_index("timestamp")
    return frame.resample("1h").mean().interpolate()


def make_windows(values, targets, width=24, batch_size=64):
    return tf.keras.utils.timeseries_dataset_from_array(values[:-width], targets[width:], sequence_length=width,
                                                         batch_size=batch_size, shuffle=False)


def bootstrap_days(frame, days=30):
    daily = frame.resample("1D").mean()
    return daily.sample(n=days, replace=True)


def as_arrays(frame, columns):
    return np.asarray(frame[columns], dtype="float32")
