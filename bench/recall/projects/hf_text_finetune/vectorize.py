import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(4)

texts = np.load("data/texts.npy", allow_pickle=True)
labels = np.load("data/labels.npy")

vectorizer = tf.keras.layers.TextVectorization(max_tokens=20000, output_sequence_length=200)
vectorizer.adapt(texts)
normalizer = tf.keras.layers.Normalization()
normalizer.adapt(np.load("data/lengths.npy"))

inputs = tf.keras.Input(shape=(1,), dtype=tf.string)
x = vectorizer(inputs)
x = tf.keras.layers.Embedding(20000, 32)(x)
x = tf.keras.layers.GlobalAveragePooling1D()(x)
outputs = tf.keras.layers.Dense(1, activation="sigmoid")(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(texts, labels, epochs=3)
model.save("finetuned/bag_of_words.keras")
print(len(vectorizer.get_vocabulary()), normalizer.mean)
