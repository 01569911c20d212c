from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure", "monthly_charges", "total_charges"]
CATEGORICAL = ["contract", "payment_method"]


def fit_encoder(df):
    encoder = OneHotEncoder(handle_unknown="ignore")
    encoder.fit(df[CATEGORICAL])
    return encoder


def numeric_matrix(df):
    return df[NUMERIC].to_numpy()


def make_scaler():
    return StandardScaler()
