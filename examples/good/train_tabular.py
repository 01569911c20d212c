"""Train a house-price regressor on a CSV file and save it, with its scaler, for the serving API.

Fixed version of examples/bad/train_tabular.py: one seed for every source of randomness, a
seeded split, the scaler saved next to the model, and the native `.keras` format.
"""
import joblib
import keras
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SEED = 42
DATA_PATH = "data/housing.csv"
MODEL_PATH = "artifacts/price_model.keras"
SCALER_PATH = "artifacts/price_scaler.joblib"

keras.utils.set_random_seed(SEED)  # seeds Python's random, NumPy and TensorFlow
tf.config.experimental.enable_op_determinism()  # deterministic kernels on GPUs

frame = pd.read_csv(DATA_PATH)
features = frame.drop(columns=["price"]).to_numpy("float32")
prices = frame["price"].to_numpy("float32")

x_train, x_test, y_train, y_test = train_test_split(features, prices, test_size=0.2, random_state=SEED)

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
joblib.dump(scaler, SCALER_PATH)
