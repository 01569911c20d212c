"""Search a churn classifier with AutoKeras and export the best model.

Fixed version of examples/bad/automl_search.py: the search is seeded and always starts afresh.
"""
import autokeras as ak
import keras
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

SEED = 7
keras.utils.set_random_seed(SEED)  # AutoKeras' own seed= does not seed the training of each trial
tf.config.experimental.enable_op_determinism()

frame = pd.read_csv("data/churn.csv")
x = frame.drop(columns=["churned"])
y = frame["churned"]
x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=SEED)

search = ak.StructuredDataClassifier(max_trials=20, project_name="churn_search", seed=SEED, overwrite=True)
search.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=30)
print("validation:", search.evaluate(x_val, y_val))

best = search.export_model()
best.save("artifacts/churn_model.keras")
