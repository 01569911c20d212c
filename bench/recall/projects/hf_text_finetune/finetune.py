import numpy as np
import pandas as pd
import tensorflow as tf
from transformers import AutoTokenizer, TFAutoModelForSequenceClassification

CHECKPOINT = "distilbert-base-uncased"

reviews = pd.read_csv("data/reviews.csv")
train_frame = reviews.sample(frac=0.9, random_state=1)
test_frame = reviews.drop(train_frame.index)

tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
encodings = tokenizer(list(train_frame["text"]), truncation=True, padding=True, return_tensors="np")
train_ds = tf.data.Dataset.from_tensor_slices((dict(encodings), train_frame["label"].to_numpy()))
train_ds = train_ds.shuffle(len(train_frame)).batch(16)

model = TFAutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=2)
model.compile(optimizer=tf.keras.optimizers.Adam(3e-5), metrics=["accuracy"])
model.fit(train_ds, epochs=2)
model.save_pretrained("finetuned/distilbert-reviews")
tokenizer.save_pretrained("finetuned/distilbert-reviews")
print(np.mean(model.predict(dict(tokenizer(list(test_frame["text"]), truncation=True, padding=True,
                                           return_tensors="np"))).logits.argmax(-1) == test_frame["label"]))
