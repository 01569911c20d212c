"""Serve the review classifier trained by train_hub_classifier.py.

Fixed version of examples/bad/serve_hub_model.py: `load_model` is told what `KerasLayer` is.
"""
import numpy as np
import tensorflow_hub as hub
import tf_keras

MODEL_PATH = "artifacts/review_classifier.keras"

model = tf_keras.models.load_model(MODEL_PATH, custom_objects={"KerasLayer": hub.KerasLayer})


def predict(texts: list[str]) -> list[float]:
    """Probability that each review is positive."""
    scores = model.predict(np.array(texts, dtype=object), verbose=0)
    return [float(score) for score in scores[:, 0]]


if __name__ == "__main__":
    print(predict(["A wonderful, moving film.", "Two hours I will never get back."]))
