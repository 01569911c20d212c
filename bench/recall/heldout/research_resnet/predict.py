import argparse

import numpy as np
from tensorflow import keras

from models.blocks import ResidualBlock

parser = argparse.ArgumentParser()
parser.add_argument("model_path")
parser.add_argument("images")
args = parser.parse_args()

model = keras.models.load_model(args.model_path, custom_objects={"ResidualBlock": ResidualBlock})
batch = np.load(args.images).astype(np.float32) / 255.0
print(model.predict(batch).argmax(axis=1))
