import pandas as pd
import tensorflow as tf

model = tf.keras.models.load_model("artifacts/credit_model")


def score(rows: list[dict]) -> list[float]:
    frame = pd.DataFrame(rows)
    return model.predict(frame.to_numpy()).ravel().tolist()
