"""A small U-Net for binary masks."""
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.BatchNormalization()(x)


def build_unet(input_shape=(128, 128, 3), base_filters=16):
    inputs = keras.Input(shape=input_shape)
    skips = []
    x = inputs
    for depth in range(3):
        x = conv_block(x, base_filters * 2 ** depth)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = conv_block(x, base_filters * 8)
    for depth in reversed(range(3)):
        x = layers.Conv2DTranspose(base_filters * 2 ** depth, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skips[depth]])
        x = conv_block(x, base_filters * 2 ** depth)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="unet")
