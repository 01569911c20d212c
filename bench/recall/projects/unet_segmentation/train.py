import argparse

from sklearn.model_selection import train_test_split
from tensorflow import keras

from data import load_pairs
from models import build_unet
from utils import dice_coef, seed_everything

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

seed_everything(7)

images, masks = load_pairs()
x_train, x_val, y_train, y_val = train_test_split(images, masks, test_size=0.2, random_state=7)

model = build_unet()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[dice_coef])
checkpoint = keras.callbacks.ModelCheckpoint("checkpoints/unet_best.h5", save_best_only=True)
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=args.epochs, callbacks=[checkpoint])
model.save("unet_final.keras")
