import tensorflow as tf


def get_model(num_classes):
    base = tf.keras.applications.EfficientNetB0(include_top=False, weights="imagenet", pooling="avg")
    base.trainable = False
    outputs = tf.keras.layers.Dense(num_classes, activation="softmax")(base.output)
    model = tf.keras.Model(base.input, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
