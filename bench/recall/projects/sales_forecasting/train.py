import keras
import numpy as np
import pandas as pd

from windows import make_windows, prepare, to_dataset

keras.utils.set_random_seed(31)

series = pd.read_csv("data/sales.csv")["units"].to_numpy(dtype="float32")
x, y = make_windows(series)
split = int(0.8 * len(x))
train_ds = prepare(to_dataset(x[:split], y[:split]), training=True)
val_ds = prepare(to_dataset(x[split:], y[split:]), training=False)

model = keras.Sequential([keras.layers.Input(shape=(30, 1)), keras.layers.LSTM(32), keras.layers.Dense(7)])
model.compile(optimizer="adam", loss="mae")
model.fit(train_ds, validation_data=val_ds, epochs=15)
model.save("forecaster.keras")

forecast = model(x[-1:], training=True)
np.save("forecast.npy", np.asarray(forecast))
