"""Reload the finished search (never re-run) to look at its best model."""
import autokeras as ak
import tensorflow as tf

finished = ak.ImageClassifier(overwrite=False, max_trials=5, project_name="mnist_search")
best = finished.export_model()
best.summary()

reloaded = tf.keras.models.load_model("exported/mnist_autokeras.keras")
reloaded.summary()
