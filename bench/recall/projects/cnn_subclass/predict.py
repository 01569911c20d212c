import sys

import numpy as np
import tensorflow as tf
from PIL import Image

model = tf.keras.models.load_model("cnn_model.keras")

image = np.asarray(Image.open(sys.argv[1]).resize((32, 32)), dtype="float32")[None] / 255.0
probabilities = model(image, training=True)
print(int(np.argmax(probabilities)))
