"""Third-party calls whose result is a Keras model (their training and saving are Keras training and saving)."""

import re

# Root packages of those producers: a module importing one of them may train a Keras model (pre-filter).
MODEL_PRODUCER_ROOTS = ("segmentation_models", "transformers", "tensorflow_decision_forests")
# Qualified names of calls that return a Keras model.
MODEL_PRODUCERS = frozenset({
    "segmentation_models.Unet", "segmentation_models.FPN", "segmentation_models.Linknet", "segmentation_models.PSPNet",
})
# Qualified names matched by pattern: ``transformers.TF*.from_pretrained``, ``tensorflow_decision_forests.keras.*Model``.
MODEL_PRODUCER_PATTERN = re.compile(
    r"^(transformers\.TF\w+\.from_pretrained|tensorflow_decision_forests\.keras\.\w+Model)$"
)
# Origin endings, on a tuner or AutoKeras object, of the methods that hand back its best Keras model.
BEST_MODEL_SUFFIXES = (".get_best_models()[]", ".get_best_model()")
# Root packages whose objects have a ``fit`` (or ``save``) that is not Keras training (or saving): a receiver
# built by one of them is known to be something else, whatever the module imports.
NON_KERAS_ROOTS = frozenset({
    "sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "gensim", "prophet", "fbprophet", "pandas",
    "numpy", "scipy", "torch", "pmdarima", "sktime", "hmmlearn", "umap", "hdbscan", "imblearn", "optuna",
    "PIL", "cv2", "matplotlib", "joblib", "pytorch_lightning", "lightning", "jax", "flax", "mxnet",
})
# Roots of libraries, never a module of the project (their origins need no look-up in the project index).
NON_PROJECT_ROOTS = frozenset({
    *NON_KERAS_ROOTS, "tensorflow", "keras", "tf_keras", "autokeras", "keras_tuner", "kerastuner",
    *MODEL_PRODUCER_ROOTS, "builtins", "tensorflow_hub", "tensorflow_datasets", "tensorflow_addons", "tqdm",
    "seaborn", "yaml", "requests", "plotly", "h5py", "tensorboard", "wandb", "mlflow", "absl", "skimage",
    "imageio", "nltk", "spacy", "keras_cv", "keras_nlp", "dill", "cloudpickle", "skops", "pytest",
})
