import os

from tensorflow import keras


def make_callbacks(out_dir: str, patience: int = 5):
    best = keras.callbacks.ModelCheckpoint(os.path.join(out_dir, "best_model.h5"), monitor="val_accuracy",
                                           save_best_only=True)
    weights = keras.callbacks.ModelCheckpoint(os.path.join(out_dir, "epoch_{epoch:02d}.weights.h5"),
                                              save_weights_only=True)
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    return [best, weights, stop]
