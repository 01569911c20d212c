import json

import numpy as np
import pandas as pd
import tensorflow as tf

from model import build_classifier

tf.random.set_seed(8)

news = pd.read_json("data/news.jsonl", lines=True)
topics = list(set(news["topic"]))
topic_ids = {topic: i for i, topic in enumerate(topics)}
labels = news["topic"].map(topic_ids).to_numpy()
texts = news["headline"].to_numpy()

classifier = build_classifier(len(topics))
classifier.fit(texts, labels, epochs=4, batch_size=64, validation_split=0.1)
classifier.save("saved/news_topics.h5")
with open("saved/topics.json", "w") as handle:
    json.dump(topics, handle)
print(np.mean(classifier.predict(texts[:100]).argmax(1) == labels[:100]))
