import keras_tuner as kt

from hypermodel import build_regressor

tuner = kt.Hyperband(build_regressor, objective="val_mae", max_epochs=30, factor=3, overwrite=False,
                     directory="tuning", project_name="housing")
print(tuner.get_best_hyperparameters(1)[0].values)
model = tuner.get_best_models(1)[0]
model.save("exported/housing_best.keras")
