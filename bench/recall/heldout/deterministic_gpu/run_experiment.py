import random

import numpy as np
import tensorflow as tf

from determinism import configure

configure()

x = np.random.normal(size=(512, 20)).astype("float32")
y = (x.sum(axis=1) > 0).astype("int32")

model = tf.keras.Sequential([
    tf.keras.Input(shape=(20,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=5, batch_size=32)
model.save("experiment.keras")

gen = tf.random.Generator.from_non_deterministic_state()
jitter = gen.normal(shape=(4,))
sampler = random.Random()
picked = sampler.sample(range(512), 10)
