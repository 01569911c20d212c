import keras
import numpy as np

keras.utils.set_random_seed(8)

features = np.load("data/tfidf.npy")
targets = np.load("data/targets.npy")
dense = keras.Sequential([keras.Input(shape=(features.shape[1],)), keras.layers.Dense(4, activation="softmax")])
dense.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
dense.fit(features, targets, epochs=3)
dense.save("saved/baseline.keras")
