"""Train and save the model. Seeded through utils.seed_everything(), so no DET103 here."""

import keras
import numpy as np

from layers import Scale
from utils import SEED, seed_everything

seed_everything(SEED)
x = np.linspace(0.0, 1.0, 64).reshape(-1, 1)
y = 3.0 * x
model = keras.Sequential([keras.Input(shape=(1,)), Scale(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2, verbose=0)
model.save("scaled_model.keras")
