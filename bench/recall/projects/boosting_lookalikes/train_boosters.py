import pickle

import lightgbm as lgb
import numpy as np
import tensorflow as tf
import xgboost as xgb
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from features import bucket, load_all

frame = load_all()
frame["fold"] = frame["user_id"].map(bucket)
train = frame[frame["fold"] < 8]
features = train.drop(columns=["user_id", "fold", "target"]).to_numpy()
target = train["target"].to_numpy()

booster = xgb.XGBClassifier(n_estimators=400, max_depth=6, random_state=0)
booster.fit(features, target)

light = lgb.LGBMClassifier(n_estimators=300, random_state=0)
light.fit(features, target)

linear = Pipeline([("scale", StandardScaler()), ("pca", PCA(n_components=16)), ("clf", LogisticRegression())])
linear.fit(features, target)

svm = SVC(probability=True)
svm.fit(features, target)

with open("models/boosters.pkl", "wb") as handle:
    pickle.dump({"xgb": booster, "lgb": light, "linear": linear, "svm": svm}, handle)

embedding = tf.keras.layers.Embedding(1000, 8)
print(np.asarray(embedding(np.arange(3))).shape)
