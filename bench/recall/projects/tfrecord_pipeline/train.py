import os

import tensorflow as tf

from network import get_model
from pipeline import RecordPipeline, augmented

tf.keras.utils.set_random_seed(5)
tf.config.experimental.enable_op_determinism()

train_data = RecordPipeline("records/train-*.tfrecord").training()
val_data = RecordPipeline("records/val-*.tfrecord").evaluation()

model = get_model(num_classes=5)
model.fit(augmented(train_data), validation_data=val_data, epochs=8)
model.save(os.path.join("export", "flowers"))
converter = tf.lite.TFLiteConverter.from_saved_model(os.path.join("export", "flowers"))
open("export/flowers.tflite", "wb").write(converter.convert())
