"""Train a flower classifier from a folder of images with a tf.data input pipeline.

Pitfalls detlint reports here:
- DET101: `image_dataset_from_directory` shuffles without a `seed`, and so does the tf.data
  `shuffle` (the module sets no TensorFlow seed either);
- DET103: nothing seeds TensorFlow/Keras, so augmentation, initial weights and dropout differ
  on every run.
"""
import keras
import tensorflow as tf

IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32

train_images = keras.utils.image_dataset_from_directory(
    "data/flowers/train", image_size=IMAGE_SIZE, batch_size=None)
val_ds = keras.utils.image_dataset_from_directory(
    "data/flowers/val", image_size=IMAGE_SIZE, batch_size=BATCH_SIZE, shuffle=False)
class_names = train_images.class_names

train_ds = train_images.shuffle(1000).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

model = keras.Sequential([
    keras.Input(shape=IMAGE_SIZE + (3,)),
    keras.layers.RandomFlip("horizontal"),
    keras.layers.RandomRotation(0.1),
    keras.layers.Rescaling(1.0 / 255),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(64, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(len(class_names)),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=10)
model.save("artifacts/flowers.keras")
