import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

from losses import Standardize, focal_loss

MODEL_PATH = "app/fraud_model.keras"
RANKER_PATH = "app/ranker.keras"

np.random.seed(0)
tf.keras.utils.set_random_seed(0)

frame = pd.read_csv("transactions.csv")
x = frame.drop(columns=["is_fraud"]).to_numpy("float32")
y = frame["is_fraud"].to_numpy("float32")
x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=0)

mean, std = x_train.mean(axis=0).tolist(), (x_train.std(axis=0) + 1e-6).tolist()
model = tf.keras.Sequential([
    tf.keras.Input(shape=(x.shape[1],)),
    Standardize(mean, std),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=focal_loss)
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=20, batch_size=256)
model.save(MODEL_PATH)

ranker = tf.keras.Sequential([tf.keras.Input(shape=(x.shape[1],)), Standardize(mean, std), tf.keras.layers.Dense(1)])
ranker.compile(optimizer="adam", loss="mse")
ranker.fit(x_train, y_train, epochs=5)
ranker.save(RANKER_PATH)
