"""Train a house-price regressor on a CSV file and save it for the serving API.

Pitfalls detlint reports here:
- DET101: the train/test split has no `random_state`, so the test score changes on every run;
- DET301: the fitted scaler is thrown away, so serving cannot scale inputs the same way;
- DET103: nothing seeds TensorFlow/Keras, so every run trains a different model;
- DET304: the model is saved in the legacy HDF5 format.
"""
import keras
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA_PATH = "data/housing.csv"
MODEL_PATH = "artifacts/price_model.h5"

frame = pd.read_csv(DATA_PATH)
features = frame.drop(columns=["price"]).to_numpy("float32")
prices = frame["price"].to_numpy("float32")

x_train, x_test, y_train, y_test = train_test_split(features, prices, test_size=0.2)

scaler = StandardScaler()
x_train = scaler.fit_transform(x_train)
x_test = scaler.transform(x_test)

model = keras.Sequential([
    keras.Input(shape=(x_train.shape[1],)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(x_train, y_train, validation_split=0.1, epochs=50, batch_size=32, verbose=2)

test_loss, test_mae = model.evaluate(x_test, y_test, verbose=0)
print(f"test MAE: {test_mae:.2f}")
model.save(MODEL_PATH)
