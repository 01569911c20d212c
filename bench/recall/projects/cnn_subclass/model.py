import tensorflow as tf


class ConvBlock(tf.keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.conv = tf.keras.layers.Conv2D(filters, 3, padding="same", activation="relu")
        self.pool = tf.keras.layers.MaxPooling2D()

    def call(self, inputs):
        return self.pool(self.conv(inputs))

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters})
        return config


class CNN(tf.keras.Model):
    def __init__(self, num_classes, dropout=0.3):
        super().__init__()
        self.block1 = ConvBlock(32)
        self.block2 = ConvBlock(64)
        self.flatten = tf.keras.layers.Flatten()
        self.dropout = tf.keras.layers.Dropout(dropout)
        self.head = tf.keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        x = self.block2(self.block1(inputs))
        x = self.dropout(self.flatten(x), training=training)
        return self.head(x)
