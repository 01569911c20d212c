import glob
import os
import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

ROOT = "data/leaves"


def image_mask_pairs():
    images = glob.glob(os.path.join(ROOT, "images", "*.png"))
    masks = glob.glob(os.path.join(ROOT, "masks", "*.png"))
    return list(zip(images, masks))


def sorted_pairs():
    images = sorted(glob.glob(os.path.join(ROOT, "images", "*.png")))
    masks = sorted(list(map(str, Path(ROOT, "masks").glob("*.png"))))
    return list(zip(images, masks))


def class_names():
    return sorted(os.listdir(os.path.join(ROOT, "by_class")))


def clear_cache(cache_dir="cache"):
    for name in os.listdir(cache_dir):
        os.remove(os.path.join(cache_dir, name))


def archive_raw(raw_dir="raw", archive_dir="archive"):
    for path in Path(raw_dir).iterdir():
        shutil.move(str(path), archive_dir)


def index_frame():
    frame = pd.DataFrame()
    frame["path"] = os.listdir(os.path.join(ROOT, "images"))
    frame["size"] = [os.path.getsize(os.path.join(ROOT, "images", p)) for p in frame["path"]]
    return frame


def load_array(pairs, size=(128, 128)):
    x = np.stack([np.asarray(Image.open(i).resize(size)) for i, _ in pairs])
    y = np.stack([np.asarray(Image.open(m).resize(size)) for _, m in pairs])
    return x / 255.0, (y > 0).astype("float32")


def split_pairs(pairs, holdout=0.2):
    random.shuffle(pairs)
    cut = int(len(pairs) * (1 - holdout))
    return pairs[:cut], pairs[cut:]


def extra_images():
    return list(Path(ROOT, "extra").rglob("*.jpg"))


def settings_file():
    return glob.glob(os.path.join(ROOT, "settings.yaml"))
