import autokeras as ak
import keras
import pandas as pd
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(5)

frame = pd.read_csv("data/credit.csv")
target = frame.pop("default")
x_train, x_test, y_train, y_test = train_test_split(frame, target, test_size=0.2, random_state=5)

clf = ak.StructuredDataClassifier(max_trials=10, seed=5, directory="ak_runs", project_name="credit")
clf.fit(x_train, y_train, epochs=20, validation_split=0.15)
print(clf.evaluate(x_test, y_test))

exported = clf.export_model()
exported.save("artifacts/credit_model", save_format="tf")
exported.save("artifacts/credit_model.keras")
