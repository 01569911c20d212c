"""Train a review sentiment classifier on top of a TF-Hub text embedding.

Fixed version of examples/bad/train_hub_classifier.py: saved in the native `.keras` format.
TF-Hub's `KerasLayer` is a tf_keras layer, so the model is built with tf_keras.
"""
import pandas as pd
import tensorflow as tf
import tensorflow_hub as hub
import tf_keras

HUB_HANDLE = "https://tfhub.dev/google/nnlm-en-dim50/2"
MODEL_PATH = "artifacts/review_classifier.keras"
SEED = 3

tf_keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()
reviews = pd.read_csv("data/reviews.csv")

model = tf_keras.Sequential([
    hub.KerasLayer(HUB_HANDLE, input_shape=[], dtype="string", trainable=False),
    tf_keras.layers.Dense(16, activation="relu"),
    tf_keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(reviews["text"].to_numpy(), reviews["label"].to_numpy(), epochs=5, validation_split=0.2)
model.save(MODEL_PATH)
