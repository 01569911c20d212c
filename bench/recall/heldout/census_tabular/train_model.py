import joblib
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score, train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.svm import SVC

from preprocess import balance, fit_transformers, load, transform

SEED = 11

df = balance(load("data/census.csv"))
train_df, test_df = train_test_split(df, test_size=0.2, random_state=SEED, stratify=df["salary"])
scaler, encoder = fit_transformers(train_df)
X_train, X_test = transform(train_df, scaler, encoder), transform(test_df, scaler, encoder)

race_codes = LabelEncoder()
train_df["race_code"] = race_codes.fit_transform(train_df["race"])

model = GradientBoostingClassifier(n_estimators=200, max_depth=3)
folds = StratifiedKFold(n_splits=5, shuffle=True)
print(cross_val_score(model, X_train, train_df["salary"], cv=folds, scoring="f1").mean())
print(cross_val_score(SVC(C=1.0), X_train, train_df["salary"], cv=KFold(n_splits=5)).mean())
calibrated = SVC(probability=True)
calibrated.fit(X_train, train_df["salary"])

model.fit(X_train, train_df["salary"])
print(f1_score(test_df["salary"], model.predict(X_test)))
joblib.dump(model, "model/gbm.joblib")
joblib.dump(scaler, "model/scaler.joblib")
joblib.dump(encoder, "model/encoder.joblib")
