import time

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, train_test_split

sales = pd.read_csv("data/sales.csv", parse_dates=["date"]).set_index("date")
stores = sales.groupby("store_id")["units"].sum()
print(stores.sample(5))

history, recent = train_test_split(sales, shuffle=False, test_size=0.1)
preview = history.sample(frac=0.01, random_state=3)

rng = np.random.RandomState(int(time.time()))
noise = rng.normal(size=len(recent))
legacy = np.random.RandomState()
children = np.random.SeedSequence(spawn_key=(1,))

for train_idx, test_idx in TimeSeriesSplit(n_splits=4).split(history):
    print(len(train_idx), len(test_idx))
