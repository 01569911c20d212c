import keras
import numpy as np

keras.utils.set_random_seed(0)

features = np.load("data/review_features.npy")
targets = np.load("data/review_targets.npy")
mlp = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(2, activation="softmax")])
mlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
mlp.fit(features, targets, epochs=10)
mlp.save("saved/baseline_mlp.keras")
