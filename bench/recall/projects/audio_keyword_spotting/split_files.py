import hashlib
import os
import random
import shutil
from pathlib import Path

from settings import SEED

DATA_ROOT = Path("speech_commands")


def which_set(filename, validation_percent=10, testing_percent=10):
    speaker = filename.split("_nohash_")[0]
    digest = int(hashlib.sha1(speaker.encode()).hexdigest(), 16)
    percent = digest % 100
    if percent < validation_percent:
        return "validation"
    if percent < validation_percent + testing_percent:
        return "testing"
    return "training"


def speaker_bucket(filename):
    return hash(filename.split("_")[0]) % 10


def list_keyword(keyword):
    return [p.name for p in sorted((DATA_ROOT / keyword).glob("*.wav"))]


def noise_clips():
    clips = list((DATA_ROOT / "_background_noise_").glob("*.wav"))
    random.Random(SEED).shuffle(clips)
    return clips


def copy_split(keyword, destination):
    for path in (DATA_ROOT / keyword).iterdir():
        shutil.copy(path, os.path.join(destination, which_set(path.name), path.name))
