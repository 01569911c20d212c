"""Serve the model saved by train.py. It contains the custom layer Scale from layers.py."""

import keras
import numpy as np

model = keras.models.load_model("scaled_model.keras")
print(model.predict(np.array([[0.5]]), verbose=0))
