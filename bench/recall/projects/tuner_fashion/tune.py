import keras
import keras_tuner as kt

from hypermodel import build_model

SEED = 1234
keras.utils.set_random_seed(SEED)

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

tuner = kt.Hyperband(build_model, objective="val_accuracy", max_epochs=10, factor=3,
                     directory="tuning", project_name="fashion")
stop_early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)
tuner.search(x_train, y_train, epochs=10, validation_split=0.2, callbacks=[stop_early])

grid = kt.GridSearch(build_model, objective="val_accuracy", max_trials=4, overwrite=True, directory="grid")
grid.search(x_train[:5000], y_train[:5000], epochs=2, validation_split=0.2)

best_model = tuner.get_best_models(num_models=1)[0]
best_model.save("models/fashion_best.h5")
