import glob

import keras
import numpy as np

from pipeline import SpeechPipeline

keras.utils.set_random_seed(1234)

paths = sorted(glob.glob("recordings/*.wav"))
labels = np.array([int(p.split("/")[-1].split("_")[0]) for p in paths])
data = SpeechPipeline(paths, labels)

model = keras.Sequential([
    keras.Input(shape=(124, 129, 1)),
    keras.layers.Resizing(32, 32),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Dropout(0.25),
    keras.layers.Flatten(),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(data.train(), validation_data=data.validation(), epochs=10)
model.save("digits.keras")
