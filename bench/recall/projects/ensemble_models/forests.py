import catboost
import joblib
import pandas as pd
import statsmodels.api as sm
from sklearn.model_selection import train_test_split

frame = pd.read_csv("data/sensors.csv")
split_options = {"test_size": 0.25, "random_state": 5}
train_frame, test_frame = train_test_split(frame, **split_options)

features = train_frame.drop(columns=["label"])
cat_model = catboost.CatBoostClassifier(iterations=200, random_seed=5, verbose=False)
cat_model.fit(features, train_frame["label"])

ols = sm.OLS(train_frame["label"], sm.add_constant(features)).fit()
joblib.dump(cat_model, "models/catboost.joblib")
