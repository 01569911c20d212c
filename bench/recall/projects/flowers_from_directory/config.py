DATA_DIR = "datasets/flower_photos"
IMG_SIZE = (180, 180)
BATCH_SIZE = 32
SEED = 123
