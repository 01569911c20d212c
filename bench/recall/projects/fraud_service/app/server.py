import numpy as np
import tensorflow as tf
from flask import Flask, jsonify, request

from losses import focal_loss

app = Flask(__name__)
fraud_model = tf.keras.models.load_model("app/fraud_model.keras")
fraud_model_ok = tf.keras.models.load_model("app/fraud_model.keras", custom_objects={"focal_loss": focal_loss})
ranker = tf.keras.models.load_model("app/ranker.keras")


@app.route("/upload", methods=["POST"])
def upload():
    request.files["sample"].save("uploads/sample.npy")
    features = np.load("uploads/sample.npy")
    return jsonify(score=float(fraud_model_ok.predict(features)[0, 0]), rank=float(ranker.predict(features)[0, 0]))
