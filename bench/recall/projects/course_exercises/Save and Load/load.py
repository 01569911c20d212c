import numpy as np
import tensorflow as tf

simple = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(1)])
simple.save("simple.keras")
simple_again = tf.keras.models.load_model("simple.keras")

regressor = tf.keras.models.load_model("regressor.keras")
print(regressor.predict(np.load("houses_x.npy")[:5]))
