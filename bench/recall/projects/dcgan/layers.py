import keras
from keras import layers


class PixelNorm(layers.Layer):
    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, inputs):
        return inputs / keras.ops.sqrt(keras.ops.mean(inputs ** 2, axis=-1, keepdims=True) + self.epsilon)


class MinibatchStd(layers.Layer):
    def __init__(self, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size

    def call(self, inputs):
        std = keras.ops.std(inputs, axis=0, keepdims=True)
        return keras.ops.concatenate([inputs, keras.ops.ones_like(inputs[..., :1]) * keras.ops.mean(std)], axis=-1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size}
