import numpy as np
import tensorflow as tf

from settings import SEED

tf.keras.utils.set_random_seed(SEED)

audio_ds = tf.keras.utils.audio_dataset_from_directory("speech_commands", batch_size=64, output_sequence_length=16000,
                                                       validation_split=0.2, subset="both", seed=SEED)
train_ds, val_ds = audio_ds
train_ds = train_ds.map(lambda a, l: (tf.squeeze(a, -1), l), num_parallel_calls=tf.data.AUTOTUNE)

model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(16000,)),
    tf.keras.layers.Reshape((16000, 1)),
    tf.keras.layers.Conv1D(16, 9, strides=4, activation="relu"),
    tf.keras.layers.GlobalMaxPooling1D(),
    tf.keras.layers.Dense(12),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, validation_data=val_ds, epochs=5)
model.save("kws_model.keras")
first = model.predict(np.zeros((1, 16000)))
again = model.predict(np.zeros((1, 16000)))
assert np.allclose(first, again)
