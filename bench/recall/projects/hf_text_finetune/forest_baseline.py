import pandas as pd
import tensorflow as tf
import tensorflow_decision_forests as tfdf

tf.keras.utils.set_random_seed(9)

frame = pd.read_csv("data/review_features.csv")
train_ds = tfdf.keras.pd_dataframe_to_tf_dataset(frame, label="label")
forest = tfdf.keras.GradientBoostedTreesModel(num_trees=300)
forest.fit(train_ds)
forest.save("finetuned/gbt_baseline")
reloaded = tf.saved_model.load("finetuned/gbt_baseline")
