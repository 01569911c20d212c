import numpy as np
import tensorflow as tf

from dataset import deduplicate, read_reviews, split_by_hash
from model import build_classifier

tf.random.set_seed(2024)

texts, labels = read_reviews("data/reviews.csv")
train, test = split_by_hash(deduplicate(texts), labels)
x_train = np.array([t for t, _ in train])
y_train = np.array([l for _, l in train])

model = build_classifier()
model.fit(x_train, y_train, epochs=4, batch_size=32)
model.save("saved/review_classifier.keras")
