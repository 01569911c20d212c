import keras
import numpy as np
import tensorflow as tf

from layers import PixelNorm

generator = keras.models.load_model("generator.keras")
rng = np.random.default_rng()
noise = rng.normal(size=(16, 128)).astype("float32")
images = generator(noise, training=True)

tf_rng = tf.random.Generator.from_non_deterministic_state()
more_noise = tf_rng.normal((16, 128))
more_images = generator(more_noise, training=False)

weights_rng = np.random.default_rng(seed=4)
