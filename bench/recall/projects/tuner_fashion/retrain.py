import keras_tuner as kt
import numpy as np
import tensorflow as tf

from hypermodel import build_model

tf.random.set_seed(3)

x = np.load("data/x.npy")
y = np.load("data/y.npy")

tuner = kt.RandomSearch(build_model, objective="val_accuracy", max_trials=10, seed=3, overwrite=True,
                        directory="retrain", project_name="fashion_random")
tuner.search(x, y, epochs=5, validation_split=0.2)
best_hps = tuner.get_best_hyperparameters(1)[0]
model = tuner.hypermodel.build(best_hps)
model.fit(x, y, epochs=20, validation_split=0.2)
model.save("models/fashion_retrained.keras")
