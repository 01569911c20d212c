import autokeras as ak
import numpy as np
from tensorflow.keras.datasets import mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train[:6000]
y_train = y_train[:6000]

clf = ak.ImageClassifier(max_trials=5, project_name="mnist_search")
clf.fit(x_train, y_train, epochs=3, validation_split=0.15)
print("test accuracy", clf.evaluate(x_test, y_test))

best = clf.export_model()
best.summary()
best.save("exported/mnist_autokeras.keras")
best.save("exported/mnist_autokeras_legacy.h5")
np.save("exported/test_images.npy", x_test[:100])
