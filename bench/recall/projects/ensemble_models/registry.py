from models.model2 import wide_and_deep


def get_model(name, n_features):
    if name == "wide_and_deep":
        return wide_and_deep(n_features)
    raise ValueError(f"unknown model {name}")
