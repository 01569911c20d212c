"""Tune the width and learning rate of a small MLP with KerasTuner.

Fixed version of examples/bad/tune_hyperparameters.py: the tuner is seeded and a rerun starts
a new search instead of resuming the old one.
"""
import keras
import keras_tuner as kt
import numpy as np
import tensorflow as tf

SEED = 11
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

data = np.load("data/features.npz")
x_train, y_train = data["x_train"], data["y_train"]
x_val, y_val = data["x_val"], data["y_val"]


def build_model(hp: kt.HyperParameters) -> keras.Model:
    model = keras.Sequential([
        keras.Input(shape=(x_train.shape[1],)),
        keras.layers.Dense(hp.Int("units", 16, 128, step=16), activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


tuner = kt.RandomSearch(
    build_model,
    objective="val_accuracy",
    max_trials=15,
    seed=SEED,
    overwrite=True,
    directory="tuning",
    project_name="mlp",
)
tuner.search(x_train, y_train, validation_data=(x_val, y_val), epochs=10)
best_hp = tuner.get_best_hyperparameters(1)[0]
print("best:", best_hp.values)
