import numpy as np
from tensorflow import keras

model = keras.models.load_model("exported/mnist_autokeras.keras")
images = np.load("exported/test_images.npy")
print(model.predict(images).argmax(axis=1))
