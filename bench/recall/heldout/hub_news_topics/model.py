import tensorflow as tf
import tensorflow_hub as hub

EMBEDDING_URL = "https://tfhub.dev/google/nnlm-en-dim50/2"


def build_classifier(num_classes: int, trainable: bool = True) -> tf.keras.Model:
    embed = hub.KerasLayer(EMBEDDING_URL, input_shape=[], dtype=tf.string, trainable=trainable)
    model = tf.keras.Sequential([
        embed,
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
