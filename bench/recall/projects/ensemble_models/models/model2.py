from tensorflow import keras


def wide_and_deep(n_features, n_classes=3):
    inputs = keras.Input(shape=(n_features,))
    deep = keras.layers.Dense(64, activation="relu")(inputs)
    deep = keras.layers.Dense(64, activation="relu")(deep)
    merged = keras.layers.concatenate([inputs, deep])
    outputs = keras.layers.Dense(n_classes, activation="softmax")(merged)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
