import json

import tensorflow as tf
import tensorflow_hub as hub

topic_model = tf.keras.models.load_model("saved/news_topics.h5")
tuned = tf.keras.models.load_model("saved/news_topics_v2.keras", custom_objects={"KerasLayer": hub.KerasLayer})
baseline = tf.keras.models.load_model("saved/baseline.keras")

with open("saved/topics.json") as handle:
    topics = json.load(handle)


def predict(headlines):
    scores = topic_model.predict(tf.constant(headlines))
    return [topics[i] for i in scores.argmax(axis=1)]
