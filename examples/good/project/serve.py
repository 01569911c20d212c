"""Serve the model saved by train.py, telling Keras how to rebuild its custom layer."""

import keras
import numpy as np

from layers import Scale

model = keras.models.load_model("scaled_model.keras", custom_objects={"Scale": Scale})
print(model.predict(np.array([[0.5]]), verbose=0))
