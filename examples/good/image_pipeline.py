"""Train a flower classifier from a folder of images with a tf.data input pipeline.

Fixed version of examples/bad/image_pipeline.py: Keras is seeded once, and the loader and the
tf.data shuffle get their own seed too (with only the global seed, any random op added before
the shuffle would change its order).
"""
import keras
import tensorflow as tf

SEED = 1
IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32

keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()

train_images = keras.utils.image_dataset_from_directory(
    "data/flowers/train", image_size=IMAGE_SIZE, batch_size=None, seed=SEED)
val_ds = keras.utils.image_dataset_from_directory(
    "data/flowers/val", image_size=IMAGE_SIZE, batch_size=BATCH_SIZE, shuffle=False)
class_names = train_images.class_names

train_ds = train_images.shuffle(1000, seed=SEED).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

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
