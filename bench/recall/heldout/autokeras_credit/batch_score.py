import autokeras as ak  # noqa: F401  (registers the AutoKeras layers for loading)
import pandas as pd
from tensorflow import keras

model = keras.models.load_model("artifacts/credit_model.keras")
frame = pd.read_csv("data/new_applications.csv")
frame["score"] = model.predict(frame.to_numpy()).ravel()
frame.to_csv("scored.csv", index=False)
