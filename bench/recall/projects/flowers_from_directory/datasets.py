import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from config import BATCH_SIZE, DATA_DIR, IMG_SIZE, SEED


def load_splits():
    train_ds = tf.keras.utils.image_dataset_from_directory(
        DATA_DIR, validation_split=0.2, subset="training", seed=SEED,
        image_size=IMG_SIZE, batch_size=BATCH_SIZE)
    val_ds = tf.keras.utils.image_dataset_from_directory(
        DATA_DIR, validation_split=0.2, subset="validation",
        image_size=IMG_SIZE, batch_size=BATCH_SIZE)
    return train_ds, val_ds


def load_splits_seeded():
    return tf.keras.utils.image_dataset_from_directory(
        DATA_DIR, validation_split=0.2, subset="both", seed=SEED,
        image_size=IMG_SIZE, batch_size=BATCH_SIZE)


def test_set():
    return tf.keras.utils.image_dataset_from_directory(
        "datasets/flower_test", shuffle=False, image_size=IMG_SIZE, batch_size=BATCH_SIZE)


def augmented_generator():
    generator = ImageDataGenerator(rescale=1.0 / 255, rotation_range=20, horizontal_flip=True)
    return generator.flow_from_directory(DATA_DIR, target_size=IMG_SIZE, batch_size=BATCH_SIZE,
                                         class_mode="sparse")
