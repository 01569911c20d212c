import numpy as np

from model.model import build_regressor

x = np.load("houses_x.npy")
y = np.load("houses_y.npy")

regressor = build_regressor(x.shape[1])
regressor.compile(optimizer="adam", loss="mse")
regressor.fit(x, y, epochs=50, batch_size=16)
regressor.save("regressor.keras")
