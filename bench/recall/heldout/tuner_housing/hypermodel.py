import keras
from keras import layers


def build_regressor(hp):
    model = keras.Sequential([keras.Input(shape=(8,))])
    for i in range(hp.Int("layers", 1, 3)):
        model.add(layers.Dense(hp.Int(f"units_{i}", 32, 256, step=32), activation="relu"))
        if hp.Boolean(f"dropout_{i}"):
            model.add(layers.Dropout(0.2))
    model.add(layers.Dense(1))
    model.compile(optimizer=keras.optimizers.Adam(hp.Float("lr", 1e-4, 1e-2, sampling="log")), loss="mse",
                  metrics=["mae"])
    return model
