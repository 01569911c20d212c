from tensorflow import keras
from tensorflow.keras import layers


class ResidualBlock(layers.Layer):
    """Two 3x3 convolutions with an identity (or 1x1 projected) shortcut."""

    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.stride = stride
        self.conv1 = layers.Conv2D(filters, 3, strides=stride, padding="same")
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same")
        self.bn2 = layers.BatchNormalization()
        self.project = layers.Conv2D(filters, 1, strides=stride) if stride != 1 else None

    def call(self, inputs, training=False):
        x = keras.activations.relu(self.bn1(self.conv1(inputs), training=training))
        x = self.bn2(self.conv2(x), training=training)
        shortcut = self.project(inputs) if self.project is not None else inputs
        return keras.activations.relu(x + shortcut)
