import tensorflow as tf


def focal_loss(y_true, y_pred, gamma=2.0):
    y_pred = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)
    weight = tf.pow(1 - y_pred, gamma) * y_true + tf.pow(y_pred, gamma) * (1 - y_true)
    return tf.reduce_mean(-weight * (y_true * tf.math.log(y_pred) + (1 - y_true) * tf.math.log(1 - y_pred)))


@tf.keras.utils.register_keras_serializable(package="fraud")
class Standardize(tf.keras.layers.Layer):
    def __init__(self, mean, std, **kwargs):
        super().__init__(**kwargs)
        self.mean, self.std = mean, std

    def call(self, inputs):
        return (inputs - self.mean) / self.std

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "std": self.std}
