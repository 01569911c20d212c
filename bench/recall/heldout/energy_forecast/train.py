import keras
import numpy as np
from keras import layers
from sklearn.preprocessing import MinMaxScaler

from windows import as_arrays, load_series, make_windows

frame = load_series("data/load.csv")
features = as_arrays(frame, ["temperature", "humidity", "load"])
target_scaler = MinMaxScaler()
target = target_scaler.fit_transform(frame[["load"]]).ravel()

norm = layers.Normalization()
norm.adapt(features)
model = keras.Sequential([keras.Input(shape=(24, 3)), norm, layers.LSTM(64), layers.Dense(1)])
keras.utils.set_random_seed(12)
model.compile(optimizer="adam", loss="mse")

split = int(len(features) * 0.8)
train_ds = make_windows(features[:split], target[:split])
val_ds = make_windows(features[split:], target[split:])
train_ds = train_ds.unbatch().shuffle(2048).batch(64)
model.fit(train_ds, validation_data=val_ds, epochs=20)
model.save("forecaster.keras")
print(np.mean(target_scaler.data_max_))
