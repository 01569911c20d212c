import pandas as pd

CSV_PATH = "data/churn.csv"


def load_frame():
    df = pd.read_csv(CSV_PATH)
    df = df.dropna(subset=["tenure", "monthly_charges"])
    df["total_charges"] = pd.to_numeric(df["total_charges"], errors="coerce").fillna(0)
    return df


def balanced(df):
    churned = df[df["churn"] == 1]
    stayed = df[df["churn"] == 0].sample(n=len(churned))
    return pd.concat([churned, stayed]).sample(frac=1.0, random_state=0)
