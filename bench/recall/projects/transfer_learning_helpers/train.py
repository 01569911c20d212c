import numpy as np
from tensorflow import keras

from common import *

set_seeds(99)

images = np.load("data/images.npy")
labels = np.load("data/labels.npy")

backbone = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
backbone.trainable = False
model = keras.Sequential([backbone, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(images, labels, epochs=5, validation_split=0.2)

save_model(model, "outputs/mobilenet_head.h5")
save_model(model, OUTPUT_DIR + "/mobilenet_head.keras")
save_history(history, "outputs/history.npy")
