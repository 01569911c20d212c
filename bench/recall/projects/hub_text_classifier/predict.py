import tensorflow as tf
import tensorflow_hub as hub

classifier = tf.keras.models.load_model("saved/review_classifier.keras")
encoder = tf.keras.models.load_model("saved/sentence_encoder.keras", custom_objects={"KerasLayer": hub.KerasLayer})
plain = tf.keras.models.load_model("saved/baseline_mlp.keras")

print(classifier.predict(tf.constant(["a wonderful film", "a dull film"])))
