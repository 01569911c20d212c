import pickle

from tensorflow.keras.preprocessing.text import Tokenizer


def build_tokenizer(lines, num_words=20000):
    tokenizer = Tokenizer(num_words=num_words, oov_token="<unk>")
    tokenizer.fit_on_texts(lines)
    return tokenizer


def save_tokenizer(tokenizer, path):
    with open(path, "wb") as handle:
        pickle.dump(tokenizer, handle)


def char_vocabulary(lines):
    chars = set("".join(lines))
    return {c: i + 1 for i, c in enumerate(chars)}
