import random

import numpy as np
import tensorflow as tf

from config import SEED
from datasets import augmented_generator, load_splits, test_set

random.seed(SEED)
np.random.seed(SEED)

train_ds, val_ds = load_splits()
class_names = train_ds.class_names
train_ds = train_ds.cache().shuffle(1000, seed=SEED).prefetch(tf.data.AUTOTUNE)

normalization = tf.keras.layers.Rescaling(1.0 / 255)
model = tf.keras.Sequential([
    normalization,
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(len(class_names)),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, validation_data=val_ds, epochs=10)
model.fit(augmented_generator(), epochs=2)
print(model.evaluate(test_set()))
tf.random.set_seed(SEED)
model.save("flowers_model")
