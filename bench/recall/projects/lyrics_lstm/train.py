import random

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

from text_utils import build_tokenizer, char_vocabulary, save_tokenizer

random.seed(8)
tf.random.set_seed(8)

with open("data/lyrics.txt", encoding="utf-8") as handle:
    lines = [line.strip().lower() for line in handle if line.strip()]

word_tokenizer = build_tokenizer(lines)
save_tokenizer(word_tokenizer, "artifacts/word_tokenizer.pkl")
char_index = char_vocabulary(lines)

title_tokenizer = Tokenizer(num_words=500)
title_tokenizer.fit_on_texts([line.split(" ")[0] for line in lines])

sequences = word_tokenizer.texts_to_sequences(lines)
inputs = pad_sequences([s[:-1] for s in sequences], maxlen=40)
targets = np.array([s[-1] if s else 0 for s in sequences])

model = tf.keras.Sequential([
    tf.keras.layers.Embedding(20000, 64),
    tf.keras.layers.LSTM(128),
    tf.keras.layers.Dense(20000, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
checkpoint = tf.keras.callbacks.ModelCheckpoint("artifacts/ckpt.weights.h5", save_weights_only=True)
model.fit(inputs, targets, epochs=10, batch_size=128, callbacks=[checkpoint])
model.save_weights("artifacts/lstm_weights.h5")
model.save("artifacts/lstm.keras")
