import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder


def load(path="data/tweets.csv"):
    frame = pd.read_csv(path)
    frame = frame[frame["text"].str.len() > 0]
    return frame


def split(frame):
    return train_test_split(frame["text"], frame["sentiment"], test_size=0.2, random_state=None)


def encode_labels(labels):
    encoder = LabelEncoder()
    return encoder.fit_transform(labels)
