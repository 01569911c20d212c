import glob
import os

import numpy as np
from PIL import Image

IMAGE_DIR = "data/images"
MASK_DIR = "data/masks"


def load_pairs(size=(128, 128)):
    image_paths = glob.glob(os.path.join(IMAGE_DIR, "*.png"))
    mask_paths = glob.glob(os.path.join(MASK_DIR, "*.png"))
    images, masks = [], []
    for image_path, mask_path in zip(image_paths, mask_paths):
        images.append(np.asarray(Image.open(image_path).resize(size)) / 255.0)
        masks.append(np.asarray(Image.open(mask_path).resize(size))[..., :1] / 255.0)
    return np.stack(images), np.stack(masks)


def count_files():
    # Only the number of files matters here: the order never reaches anything ordered.
    return len(os.listdir(IMAGE_DIR))


def cleanup_previews():
    for name in os.listdir("previews"):
        os.remove(os.path.join("previews", name))
