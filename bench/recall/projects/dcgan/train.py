import keras
import numpy as np

from gan import GAN, make_discriminator, make_generator

keras.utils.set_random_seed(21)

(images, _), _ = keras.datasets.mnist.load_data()
images = (images.astype("float32")[..., None] - 127.5) / 127.5

gan = GAN(make_generator(), make_discriminator())
gan.compile(keras.optimizers.Adam(2e-4), keras.optimizers.Adam(2e-4), keras.losses.BinaryCrossentropy(True))
gan.fit(images, epochs=20, batch_size=64)
gan.generator.save("generator.keras")
