import glob
import zlib

import pandas as pd


def shard_files():
    return sorted(list(map(str, glob.glob("data/shards/*.parquet"))))


def load_all():
    return pd.concat([pd.read_parquet(path) for path in shard_files()], ignore_index=True)


def bucket(user_id: str) -> int:
    return zlib.crc32(user_id.encode()) % 10


class UserKey:
    def __init__(self, user_id):
        self.user_id = user_id

    def __hash__(self):
        return hash(self.user_id)

    def __eq__(self, other):
        return isinstance(other, UserKey) and other.user_id == self.user_id
