from tensorflow.keras import layers, models

model_1 = models.Sequential([
    layers.Input(shape=(64,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model_1.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
