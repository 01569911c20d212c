import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras.callbacks import ModelCheckpoint
from tensorflow.keras.utils import to_categorical

from models.model1 import model_1
from registry import get_model

frame = pd.read_csv("data/sensors.csv")
options = {"test_size": 0.25, "stratify": frame["label"]}
train_frame, test_frame = train_test_split(frame, **options)
train_frame = train_frame.sample(frac=1.0)

scaler = MinMaxScaler()
x_train = scaler.fit_transform(train_frame.drop(columns=["label"]))
y_train = to_categorical(train_frame["label"].to_numpy(), 3)

model_1.fit(x_train, y_train, epochs=10, batch_size=32)
model_2 = get_model("wide_and_deep", x_train.shape[1])
model_2.fit(x_train, y_train, epochs=10, batch_size=32,
            callbacks=[ModelCheckpoint("checkpoints/wide_and_deep.keras", save_best_only=True)])

ensemble = (model_1.predict(x_train) + model_2.predict(x_train)) / 2
print("train accuracy", np.mean(ensemble.argmax(axis=1) == train_frame["label"].to_numpy()))
