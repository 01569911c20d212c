import random

import tensorflow as tf
from sklearn.utils import shuffle
from tensorflow.keras.preprocessing.image import ImageDataGenerator

random.seed(123)
tf.random.set_seed(123)

DATA_DIR = "flower_photos"
IMG = (180, 180)

train_ds = tf.keras.utils.image_dataset_from_directory(DATA_DIR, validation_split=0.2, subset="training",
                                                       seed=123, image_size=IMG, batch_size=32)
val_ds = tf.keras.utils.image_dataset_from_directory(DATA_DIR, validation_split=0.2, subset="validation",
                                                     seed=321, image_size=IMG, batch_size=32)
test_ds = tf.keras.utils.image_dataset_from_directory("flower_test", shuffle=False, image_size=IMG)
class_names = train_ds.class_names

augmenter = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True, rotation_range=20)
extra_flow = augmenter.flow_from_directory("flower_extra", target_size=IMG, batch_size=32)
eval_flow = augmenter.flow_from_directory("flower_extra", target_size=IMG, shuffle=False)

pairs = [(p, c) for c in class_names for p in ["a", "b"]]
pairs = shuffle(pairs)
left, right = tf.keras.utils.split_dataset(test_ds.unbatch(), left_size=0.5, shuffle=True)

model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1.0 / 255, input_shape=IMG + (3,)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(len(class_names)),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=10)
model.save("flowers.keras")
