#!/usr/bin/env python
# coding: utf-8

# # MNIST experiments
# Exported from the notebook; cells kept in order.

# In[1]:


import os
import random

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow import keras


# In[2]:


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

idx = np.arange(len(x_train))
np.random.shuffle(idx)
x_train, y_train = x_train[idx], y_train[idx]


# In[3]:


sample_ids = random.sample(range(len(x_test)), 16)
fig, axes = plt.subplots(4, 4)
for ax, i in zip(axes.flat, sample_ids):
    ax.imshow(x_test[i], cmap="gray")


# In[4]:


class_names = list(set(str(label) for label in y_train))
label_index = {name: i for i, name in enumerate(sorted(set(class_names)))}


# In[5]:


model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
tf.random.set_seed(0)
tf.config.experimental.enable_op_determinism
history = model.fit(x_train, y_train, epochs=3, validation_split=0.1)


# In[6]:


model.save("mnist_dense.h5")
restored = keras.models.load_model("mnist_dense.h5")
print(np.array_equal(model.predict(x_test[:10]), restored.predict(x_test[:10])))
np.testing.assert_allclose(model.predict(x_test[:10]), restored.predict(x_test[:10]), rtol=1e-5)


# In[7]:


for name in os.listdir("my_digits"):
    print(name)
my_digits = [plt.imread(os.path.join("my_digits", name)) for name in os.listdir("my_digits")]
