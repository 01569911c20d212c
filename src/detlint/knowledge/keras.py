"""Keras, TensorFlow model code, AutoKeras and KerasTuner: model and layer families, how models are
built and trained, registration of custom objects, and the save/load APIs and their formats."""

from __future__ import annotations

import re

# Imports that make a module Keras/TensorFlow model code.
KERAS_FAMILY_ROOTS = frozenset({"tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner"})
# Imports of a module that can define or call Keras layers and models (the layer rules' pre-filter).
LAYER_CODE_IMPORTS = ("tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner")

# Training.
TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})
AUTOML_SEARCH_METHOD = "search"
# Methods that run an AutoKeras/KerasTuner search (whose seed decides the trials).
AUTOML_SEARCH_METHODS = frozenset({AUTOML_SEARCH_METHOD, "fit"})
# Functions whose body runs as a training step (``training=True`` is expected there).
TRAINING_STEP_FUNCTIONS = frozenset({"train_step", "call"})
PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "predict_step"})
WEIGHT_ATTRIBUTES = frozenset({"weights", "trainable_weights", "trainable_variables", "variables"})

# Models: calls that build a new (freshly initialised) model, and calls that load one.
KERAS_MODEL_BUILDERS = frozenset({
    "keras.Sequential", "keras.Model", "keras.models.Sequential", "keras.models.Model", "keras.models.clone_model",
})
# Models built layer by layer (``Sequential([...])``, ``model.add(layer)``): their layers are saved with them.
SEQUENTIAL_MODELS = frozenset({"keras.Sequential", "keras.models.Sequential"})
KERAS_APPLICATIONS_PREFIX = "keras.applications."
LOAD_MODEL_FUNCTIONS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
KERAS_LAYER_BASES = frozenset({"keras.layers.Layer", "keras.Layer", "keras.engine.base_layer.Layer"})
KERAS_MODEL_BASES = frozenset({"keras.Model", "keras.models.Model", "keras.engine.training.Model", "keras.Sequential"})
# Data generators of Keras (and look-alikes) whose items are produced in an order the class decides.
GENERATOR_BASES = frozenset({"keras.utils.Sequence", "keras.utils.PyDataset", "torch.utils.data.Dataset"})
GENERATOR_SUFFIXES = ("Generator", "Dataset", "Sequence", "Loader")
# Keras preprocessing objects (their fitted state must be saved with, or inside, the model).
KERAS_PREPROCESSORS = frozenset({
    "keras.preprocessing.text.Tokenizer",
    *(f"keras.layers.{name}" for name in (
        "Normalization", "TextVectorization", "StringLookup", "IntegerLookup", "Discretization",
        "Hashing", "CategoryEncoding",
    )),
})

# AutoKeras tasks and KerasTuner tuners.
AUTOKERAS_TASK = re.compile(r"^autokeras\.(\w+(Classifier|Regressor|Forecaster)|AutoModel)$")
KERAS_TUNERS = frozenset({
    "keras_tuner.RandomSearch", "keras_tuner.BayesianOptimization", "keras_tuner.Hyperband",
    "keras_tuner.Tuner", "keras_tuner.GridSearch", "keras_tuner.SklearnTuner",
})
# Tuners that sample nothing at random: their seed does not matter.
AUTOML_WITHOUT_RANDOMNESS = frozenset({"keras_tuner.GridSearch", "keras_tuner.SklearnTuner"})
# Tuners that also take ``seed`` by position (e.g. ``RandomSearch(build, "val_loss", 5, 42)``).
TUNER_SEED_POSITIONS = {
    "keras_tuner.RandomSearch": 3, "keras_tuner.Hyperband": 5, "keras_tuner.BayesianOptimization": 6,
}

# Registration of custom objects.
REGISTER_DECORATORS = frozenset({
    "keras.saving.register_keras_serializable", "keras.utils.register_keras_serializable",
})
CUSTOM_OBJECT_SCOPES = frozenset({
    "keras.utils.custom_object_scope", "keras.saving.custom_object_scope",
    "keras.utils.CustomObjectScope", "keras.saving.CustomObjectScope",
})

# Save and load APIs, and formats.
SAVE_MODEL_FUNCTIONS = frozenset({"keras.models.save_model", "keras.saving.save_model"})
SAVED_MODEL_SAVE = "tensorflow.saved_model.save"
MODEL_CHECKPOINT = "keras.callbacks.ModelCheckpoint"
# Last names of calls that may save a Keras model or its weights.
SAVE_NAMES = frozenset({"save", "save_weights", "save_model", "ModelCheckpoint"})
# Readers of a TF SavedModel folder (a folder saved for them is not a mistake).
SAVEDMODEL_READERS = frozenset({
    "tensorflow.saved_model.load", "tensorflow.lite.TFLiteConverter.from_saved_model",
    "keras.layers.TFSMLayer",
})
NATIVE_SUFFIX = ".keras"
HDF5_SUFFIXES = (".h5", ".hdf5")
WEIGHTS_SUFFIX = ".weights.h5"
# Serialisers that write any Python object to a file (``numpy.save`` only arrays).
DUMP_CALLS = frozenset({
    "joblib.dump", "pickle.dump", "pickle.dumps", "dill.dump", "dill.dumps", "cloudpickle.dump",
    "cloudpickle.dumps", "skops.io.dump", "skops.io.dumps", "torch.save", "numpy.save",
    # MLflow's flavours save the object they are given (to a folder or a run's artifacts)
    *(f"mlflow.{flavour}.{verb}" for flavour in ("sklearn", "keras", "tensorflow") for verb in ("log_model", "save_model")),
})
ARRAY_ONLY_DUMPS = frozenset({"numpy.save"})
# Methods through which an object persists its own state (``Tokenizer.to_json`` is what
# ``tokenizer_from_json`` reads back). Reading state (``get_vocabulary()``, ``get_weights()``,
# ``get_config()``, ``mean_``) is not persisting it (RULES.md, DET301).
SELF_PERSISTING_METHODS = frozenset({"save", "to_json", "save_assets"})
