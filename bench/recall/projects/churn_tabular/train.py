import joblib
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import StandardScaler

from data import balanced, load_frame
from features import fit_encoder, numeric_matrix

df = balanced(load_frame())
train_df, test_df = train_test_split(df, test_size=0.25, stratify=df["churn"])

encoder = fit_encoder(train_df)
scaler = StandardScaler()
x_num = scaler.fit_transform(numeric_matrix(train_df))
x_train = np.hstack([x_num, encoder.transform(train_df[["contract", "payment_method"]]).toarray()])
y_train = train_df["churn"].to_numpy()

baseline = LogisticRegression(max_iter=1000).fit(x_train, y_train)
forest = RandomForestClassifier(n_estimators=300, max_depth=8)

scores = []
for fold_train, fold_val in KFold(n_splits=5, shuffle=True).split(x_train):
    forest.fit(x_train[fold_train], y_train[fold_train])
    scores.append(roc_auc_score(y_train[fold_val], forest.predict_proba(x_train[fold_val])[:, 1]))
print("cv auc", np.mean(scores))

forest.fit(x_train, y_train)
joblib.dump({"model": forest, "encoder": encoder}, "artifacts/churn_forest.joblib")
