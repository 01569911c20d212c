import keras
import tensorflow as tf

from layers import MinibatchStd, PixelNorm

LATENT_DIM = 128


def make_generator():
    return keras.Sequential([
        keras.Input(shape=(LATENT_DIM,)),
        keras.layers.Dense(7 * 7 * 128),
        keras.layers.Reshape((7, 7, 128)),
        PixelNorm(),
        keras.layers.Conv2DTranspose(64, 4, strides=2, padding="same", activation="relu"),
        keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
    ], name="generator")


def make_discriminator():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(64, 4, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2),
        MinibatchStd(),
        keras.layers.Flatten(),
        keras.layers.Dense(1),
    ], name="discriminator")


class GAN(keras.Model):
    def __init__(self, generator, discriminator):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        noise = keras.random.normal((batch_size, LATENT_DIM), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            fake = self.generator(noise, training=True)
            logits = self.discriminator(tf.concat([fake, real_images], axis=0), training=True)
            labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
            d_loss = self.loss_fn(labels, logits)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        return {"d_loss": d_loss}
