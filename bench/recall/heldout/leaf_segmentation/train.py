import keras
from keras import layers

from data import image_mask_pairs, load_array, split_pairs

keras.utils.set_random_seed(3)

train_pairs, val_pairs = split_pairs(image_mask_pairs())
x_train, y_train = load_array(train_pairs)
x_val, y_val = load_array(val_pairs)

inputs = keras.Input(shape=(128, 128, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train[..., None], validation_data=(x_val, y_val[..., None]), epochs=15)
model.save("leaf_seg.keras")
