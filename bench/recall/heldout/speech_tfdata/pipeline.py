"""Input pipeline for the spoken-digit classifier."""
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
SHUFFLE_SEED = 17


def decode_wav(path, label):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1)
    return tf.squeeze(audio, axis=-1)[:16000], label


def to_spectrogram(audio, label):
    spec = tf.abs(tf.signal.stft(audio, frame_length=255, frame_step=128))
    return spec[..., tf.newaxis], label


class SpeechPipeline:
    def __init__(self, paths, labels, batch_size=64):
        self.batch_size = batch_size
        self.samples = tf.data.Dataset.from_tensor_slices((paths, labels))
        self.noise_files = tf.data.Dataset.list_files("noise/*.wav")

    def train(self):
        ds = self.samples.shuffle(len(self.samples), reshuffle_each_iteration=True)
        ds = ds.map(decode_wav, num_parallel_calls=AUTOTUNE, deterministic=False)
        ds = ds.map(to_spectrogram, num_parallel_calls=AUTOTUNE)
        return ds.batch(self.batch_size).prefetch(AUTOTUNE)

    def validation(self):
        ds = self.samples.take(500).map(decode_wav).map(to_spectrogram)
        return ds.batch(self.batch_size).cache()

    def shuffled_for_debugging(self):
        return self.samples.shuffle(100, seed=SHUFFLE_SEED).take(8)


def fast_options():
    options = tf.data.Options()
    options.deterministic = False
    options.threading.private_threadpool_size = 8
    return options


def reproducible_options():
    options = tf.data.Options()
    options.deterministic = True
    return options
