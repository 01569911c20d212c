import csv


def read_reviews(path):
    texts, labels = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["text"])
            labels.append(int(row["label"]))
    return texts, labels


def split_by_hash(texts, labels, train_percent=80):
    train, test = [], []
    for text, label in zip(texts, labels):
        if hash(text) % 100 < train_percent:
            train.append((text, label))
        else:
            test.append((text, label))
    return train, test


def deduplicate(texts):
    seen = {}
    for text in texts:
        seen.setdefault(hash(text), text)
    return list(seen.values())
