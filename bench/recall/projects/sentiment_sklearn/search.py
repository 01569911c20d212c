import joblib
from scipy.stats import loguniform
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder

from prepare import load, split

frame = load()
x_train, x_test, y_train, y_test = split(frame)
label_encoder = LabelEncoder()
y_train_enc = label_encoder.fit_transform(y_train)

pipe = Pipeline([
    ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2)),
    ("clf", SGDClassifier(loss="log_loss", random_state=0)),
])
cv = StratifiedKFold(n_splits=5, shuffle=True)
search = RandomizedSearchCV(pipe, {"clf__alpha": loguniform(1e-6, 1e-2)}, n_iter=20, cv=cv)
search.fit(x_train, y_train_enc)
print(cross_val_score(search.best_estimator_, x_train, y_train_enc, cv=StratifiedKFold(5)))

result = permutation_importance(search.best_estimator_, x_test.to_frame(), label_encoder.transform(y_test))
joblib.dump(search.best_estimator_, "models/sentiment.joblib")

columns = ColumnTransformer([("text", TfidfVectorizer(), "text")])
booster = Pipeline([("cols", columns), ("gb", GradientBoostingClassifier(random_state=1))])
booster.fit(frame[["text"]], frame["sentiment"])
joblib.dump(booster, "models/booster.joblib")
