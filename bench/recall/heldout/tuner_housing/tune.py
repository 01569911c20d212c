import keras_tuner as kt
from sklearn.datasets import fetch_california_housing
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from hypermodel import build_regressor

X, y = fetch_california_housing(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)

tuner = kt.Hyperband(build_regressor, objective="val_mae", max_epochs=30, factor=3,
                     directory="tuning", project_name="housing")
tuner.search(X_train, y_train, validation_data=(X_val, y_val), epochs=30)

grid = kt.GridSearch(build_regressor, objective="val_mae", max_trials=4, overwrite=True,
                     directory="tuning", project_name="housing_grid")
grid.search(X_train, y_train, validation_data=(X_val, y_val), epochs=5)

best = tuner.get_best_models(num_models=1)[0]
best.save("exported/housing_best")
