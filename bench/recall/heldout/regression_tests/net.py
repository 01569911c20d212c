import keras
import tensorflow as tf


class TinyNet(keras.Model):
    def __init__(self, hidden=16, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.classes = classes
        self.body = keras.layers.Dense(hidden, activation="relu")
        self.drop = keras.layers.Dropout(0.5)
        self.head = keras.layers.Dense(classes)

    def call(self, inputs, training=False):
        return self.head(self.drop(self.body(inputs), training=training))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            logits = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=logits)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables),
                                           self.trainable_variables))
        return {"loss": loss}

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden, "classes": self.classes}
