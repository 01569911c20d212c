"""Serve the review classifier trained by train_hub_classifier.py.

Pitfall detlint reports here:
- DET302: the model contains a TF-Hub `KerasLayer` (detlint knows from the training module that
  saved this path), but `load_model` gets no `custom_objects`: in this fresh process it fails
  with `ValueError: Unknown layer: 'KerasLayer'`.
"""
import numpy as np
import tf_keras

MODEL_PATH = "artifacts/review_classifier.h5"

model = tf_keras.models.load_model(MODEL_PATH)


def predict(texts: list[str]) -> list[float]:
    """Probability that each review is positive."""
    scores = model.predict(np.array(texts, dtype=object), verbose=0)
    return [float(score) for score in scores[:, 0]]


if __name__ == "__main__":
    print(predict(["A wonderful, moving film.", "Two hours I will never get back."]))
