#!/usr/bin/env python
# coding: utf-8

# # Titanic: a quick baseline
# Exported from the notebook; cells kept in order.

# In[1]:


import numpy as np
import pandas as pd
import joblib
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.preprocessing import LabelEncoder
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

np.random.seed(0)


# In[2]:


train = pd.read_csv("../input/titanic/train.csv")
test = pd.read_csv("../input/titanic/test.csv")
train = train.sample(frac=1)
peek = train.sample(5, random_state=1)
print(peek)


# In[3]:


ports = list(set(train["Embarked"].dropna()))
port_index = {port: i for i, port in enumerate(sorted(set(train["Embarked"].dropna())))}
train["Embarked"] = train["Embarked"].fillna("S").map(port_index)
noise = np.random.rand(len(train))
train["noise"] = noise


# In[4]:


sex_encoder = LabelEncoder()
train["Sex"] = sex_encoder.fit_transform(train["Sex"])
features = ["Pclass", "Sex", "Age", "Fare", "Embarked"]
X = train[features].fillna(-1)
y = train["Survived"]
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25)


# In[5]:


baseline = LogisticRegression(max_iter=500)
print(cross_val_score(baseline, X, y, cv=5).mean())
forest = RandomForestClassifier(n_estimators=300, max_depth=6)
forest.fit(X_train, y_train)
print(forest.score(X_valid, y_valid))


# In[6]:


joblib.dump(forest, "forest.joblib")
