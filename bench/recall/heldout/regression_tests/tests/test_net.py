import keras
import numpy as np
import tensorflow as tf

from net import TinyNet

keras.utils.set_random_seed(0)
X = np.random.rand(64, 4).astype("float32")
Y = np.random.randint(0, 3, size=64)


def make_trained():
    model = TinyNet()
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(X, Y, epochs=2, verbose=0)
    return model


def test_reload_gives_the_same_predictions(tmp_path):
    model = make_trained()
    model.save(tmp_path / "tiny.keras")
    restored = keras.models.load_model(tmp_path / "tiny.keras", custom_objects={"TinyNet": TinyNet})
    assert np.array_equal(model.predict(X), restored.predict(X))


def test_reload_is_close(tmp_path):
    model = make_trained()
    model.save(tmp_path / "tiny.keras")
    restored = keras.models.load_model(tmp_path / "tiny.keras", custom_objects={"TinyNet": TinyNet})
    np.testing.assert_allclose(model.predict(X), restored.predict(X), rtol=1e-6)


def test_logits_are_stable():
    model = make_trained()
    first = model(X, training=True)
    second = model(X, training=True)
    assert bool(tf.reduce_all(first == second))


def test_eval_mode_logits():
    model = make_trained()
    assert np.allclose(model(X, training=False), model(X))


def test_manual_step_uses_training_mode():
    model = make_trained()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(X, training=True))
    assert tape.gradient(loss, model.trainable_variables)


def test_weights_survive_copy():
    model = make_trained()
    copy = TinyNet()
    copy(X[:1])
    copy.set_weights(model.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), copy.get_weights()))
