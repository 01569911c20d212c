#!/usr/bin/env python
# coding: utf-8

# In[1]:


import pickle
import random

import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from tensorflow.keras.layers import LSTM, Dense, Embedding
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

SEED = 21
np.random.seed(SEED)
tf.random.set_seed(SEED)


# In[2]:


sms = pd.read_csv("../input/sms-spam/spam.csv", encoding="latin-1")[["v1", "v2"]]
sms.columns = ["label", "text"]
sms.head()


# In[3]:


label_encoder = LabelEncoder()
y = label_encoder.fit_transform(sms["label"])
with open("label_encoder.pkl", "wb") as f:
    pickle.dump(label_encoder, f)

tokenizer = Tokenizer(num_words=5000, oov_token="<unk>")
tokenizer.fit_on_texts(sms["text"])
print(len(tokenizer.word_index))
X = pad_sequences(tokenizer.texts_to_sequences(sms["text"]), maxlen=60)


# In[4]:


X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)
examples = random.sample(list(sms["text"]), 3)
print(examples)


# In[5]:


model = Sequential([Embedding(5000, 32), LSTM(32), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=5, batch_size=64, validation_data=(X_test, y_test))


# In[6]:


model.save("spam_lstm.h5")
model.save_weights("spam_lstm_weights.h5")
