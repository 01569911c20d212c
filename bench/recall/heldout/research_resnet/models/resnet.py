from tensorflow import keras
from tensorflow.keras import layers

from models.blocks import ResidualBlock


def build_resnet(input_shape=(32, 32, 3), num_classes=10, widths=(32, 64, 128)):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(widths[0], 3, padding="same")(inputs)
    for i, width in enumerate(widths):
        x = ResidualBlock(width, stride=1 if i == 0 else 2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="small_resnet")
