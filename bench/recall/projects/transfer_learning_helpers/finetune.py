import numpy as np
from tensorflow import keras

from common import save_model

images = np.load("data/images.npy")
labels = np.load("data/labels.npy")

model = keras.models.load_model("outputs/mobilenet_head.keras")
model.trainable = True
model.compile(optimizer=keras.optimizers.Adam(1e-5),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(images, labels, epochs=3, validation_split=0.2)
save_model(model, "outputs/mobilenet_finetuned")
