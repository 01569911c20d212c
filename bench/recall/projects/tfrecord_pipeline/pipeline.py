import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
FEATURES = {
    "image": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
}


def parse_example(record):
    example = tf.io.parse_single_example(record, FEATURES)
    image = tf.io.decode_jpeg(example["image"], channels=3)
    image = tf.image.resize(image, (224, 224)) / 255.0
    return image, example["label"]


class RecordPipeline:
    def __init__(self, pattern, batch_size=32):
        self.batch_size = batch_size
        files = tf.data.Dataset.list_files(pattern)
        self.dataset = tf.data.TFRecordDataset(files, num_parallel_reads=AUTOTUNE)

    def training(self):
        options = tf.data.Options()
        options.experimental_deterministic = False
        ds = self.dataset.with_options(options)
        ds = ds.map(parse_example, num_parallel_calls=AUTOTUNE)
        ds = ds.shuffle(2048)
        return ds.batch(self.batch_size).prefetch(AUTOTUNE)

    def evaluation(self):
        ds = self.dataset.map(parse_example, num_parallel_calls=AUTOTUNE, deterministic=True)
        return ds.batch(self.batch_size).cache()


def augmented(ds):
    flipped = ds.map(lambda x, y: (tf.image.flip_left_right(x), y), num_parallel_calls=AUTOTUNE,
                     deterministic=False)
    return ds.concatenate(flipped).shuffle(4096, seed=11)
