"""Train the small ResNet on CIFAR-10."""
import argparse
import os

import numpy as np
from tensorflow import keras

from models import build_resnet
from utils.callbacks import make_callbacks
from utils.seed import seed_everything


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", default="runs/resnet")
    return parser.parse_args()


def main():
    args = parse_args()
    seed_everything(args.seed)
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    x_train, x_test = x_train.astype(np.float32) / 255.0, x_test.astype(np.float32) / 255.0

    model = build_resnet()
    model.compile(optimizer=keras.optimizers.Adam(args.lr), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    os.makedirs(args.out, exist_ok=True)
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1,
              callbacks=make_callbacks(args.out))
    print(model.evaluate(x_test, y_test, verbose=0))
    model.save(os.path.join(args.out, "final_model.h5"))
    model.save(os.path.join(args.out, "final_model.keras"))


if __name__ == "__main__":
    main()
