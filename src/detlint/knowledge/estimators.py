"""scikit-learn objects by their randomness, and preprocessors (fitted objects that must be saved)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Estimators, transformers and functions whose result always depends on ``random_state``
# (matched on the last part of a ``sklearn.*`` qualified name).
RANDOM_ESTIMATOR_NAMES: frozenset[str] = frozenset({
    "RandomForestClassifier", "RandomForestRegressor",
    "ExtraTreesClassifier", "ExtraTreesRegressor",
    "GradientBoostingClassifier", "GradientBoostingRegressor",
    "HistGradientBoostingClassifier", "HistGradientBoostingRegressor",
    "BaggingClassifier", "BaggingRegressor",
    "AdaBoostClassifier", "AdaBoostRegressor",
    "IsolationForest",
    "DecisionTreeClassifier", "DecisionTreeRegressor",
    "ExtraTreeClassifier", "ExtraTreeRegressor",
    "MLPClassifier", "MLPRegressor",
    "SGDClassifier", "SGDRegressor", "SGDOneClassSVM",
    "Perceptron",
    "PassiveAggressiveClassifier", "PassiveAggressiveRegressor",
    "KMeans", "MiniBatchKMeans", "BisectingKMeans", "SpectralClustering",
    "GaussianMixture", "BayesianGaussianMixture",
    "TSNE", "MDS", "SpectralEmbedding",
    "NMF", "MiniBatchNMF", "LatentDirichletAllocation", "FastICA", "TruncatedSVD",
    "RandomTreesEmbedding", "RBFSampler", "Nystroem",
    "SparseRandomProjection", "GaussianRandomProjection",
    "RandomizedSearchCV", "HalvingRandomSearchCV",
    "permutation_importance",
})
# ``sklearn.datasets.make_*``: every sample generator draws from ``random_state``.
DATASET_GENERATOR = re.compile(r"^sklearn\.datasets(\.[\w.]+)?\.make_\w+$")


@dataclass(frozen=True)
class RandomWhen:
    """An estimator is random only when this keyword is passed one of these literal values (compared
    with their type: ``probability=1`` is not ``True``)."""

    keyword: str
    values: tuple[object, ...]


# Estimators whose ``random_state`` only matters with some settings (scikit-learn's docs). Without
# the keyword (or with a value that cannot be read) the estimator is not random.
CONDITIONAL_ESTIMATORS: dict[str, RandomWhen] = {
    "LogisticRegression": RandomWhen("solver", ("sag", "saga", "liblinear")),
    "Ridge": RandomWhen("solver", ("sag", "saga")),
    "RidgeClassifier": RandomWhen("solver", ("sag", "saga")),
    "SVC": RandomWhen("probability", (True,)),
    "NuSVC": RandomWhen("probability", (True,)),
    "LinearSVC": RandomWhen("dual", (True,)),
    "Lasso": RandomWhen("selection", ("random",)),
    "ElasticNet": RandomWhen("selection", ("random",)),
    "PCA": RandomWhen("svd_solver", ("randomized", "arpack")),
}

# Preprocessors: fitted objects whose state the model needs at serving time.
FIT_METHODS = frozenset({"fit", "fit_transform", "partial_fit", "adapt", "fit_on_texts"})
# The scikit-learn modules all of whose classes are preprocessors, and the decomposition classes that are.
_SKLEARN_PREPROCESSOR_PACKAGES = ("preprocessing", "impute", "feature_extraction", "feature_selection")
_SKLEARN_DECOMPOSITIONS = ("PCA", "IncrementalPCA", "KernelPCA", "TruncatedSVD", "NMF", "FastICA")
SKLEARN_PREPROCESSOR_MODULES = (*_SKLEARN_PREPROCESSOR_PACKAGES, "decomposition")
SKLEARN_PREPROCESSOR = re.compile(
    rf"^sklearn\.({'|'.join(map(re.escape, (*_SKLEARN_PREPROCESSOR_PACKAGES, 'feature_extraction.text')))})"
    r"\.[A-Z]\w*$"
    rf"|^sklearn\.decomposition\.({'|'.join(_SKLEARN_DECOMPOSITIONS)})$"
)
# scikit-learn's fit methods return the estimator itself: `scaler = StandardScaler().fit(x)` binds it.
RETURNS_SELF = frozenset({"fit", "partial_fit"})
# Builders of containers a fitted object can be persisted inside.
CONTAINER_BUILDERS = re.compile(r"^(sklearn\.(pipeline|compose)\.\w+|builtins\.(dict|list|tuple|set))$")
