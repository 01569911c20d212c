import numpy as np

from model import CNN

NUM_CLASSES = 10

data = np.load("data/cifar_subset.npz")
x_train, y_train = data["x_train"] / 255.0, data["y_train"]

model = CNN(NUM_CLASSES)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.1)
model.save("cnn_model.keras")
