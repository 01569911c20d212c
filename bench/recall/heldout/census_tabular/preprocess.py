import pandas as pd
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["age", "hours-per-week", "capital-gain", "capital-loss"]
CATEGORICAL = ["workclass", "education", "occupation", "relationship"]


def load(path):
    df = pd.read_csv(path, skipinitialspace=True).dropna()
    df["salary"] = (df["salary"] == ">50K").astype(int)
    return df


def balance(df, per_class=2000):
    return df.groupby("salary").sample(n=per_class, replace=True)


def fit_transformers(df):
    scaler = StandardScaler()
    scaler.fit(df[NUMERIC])
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    encoder.fit(df[CATEGORICAL])
    return scaler, encoder


def transform(df, scaler, encoder):
    import numpy as np
    return np.hstack([scaler.transform(df[NUMERIC]), encoder.transform(df[CATEGORICAL])])
