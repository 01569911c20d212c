import glob
import os
from pathlib import Path

import numpy as np
import pandas as pd

from io_utils import load_images

ROOT = Path("chest_xray")

index = pd.DataFrame()
normal = glob.glob(str(ROOT / "NORMAL" / "*.jpeg"))
index["path"] = normal
index["label"] = 0

pneumonia_images = load_images(os.listdir(ROOT / "PNEUMONIA"))

readme = glob.glob(str(ROOT / "README.txt"))
reports = sorted(ROOT.rglob("*.csv"))

sizes = {}
for folder, dirs, files in os.walk(ROOT):
    dirs.sort()
    files.sort()
    for name in files:
        sizes[name] = os.path.getsize(os.path.join(folder, name))

np.random.permutation(len(index))
np.random.seed(0)
index.to_csv("index.csv", index=False)
