import glob

import numpy as np
import segmentation_models as sm

BACKBONE = "resnet34"
preprocess_input = sm.get_preprocessing(BACKBONE)

images = np.stack([np.load(p) for p in sorted(glob.glob("tiles/*_img.npy"))])
masks = np.stack([np.load(p) for p in sorted(glob.glob("tiles/*_mask.npy"))])

model = sm.Unet(BACKBONE, encoder_weights="imagenet", classes=1, activation="sigmoid")
model.compile("Adam", loss=sm.losses.bce_jaccard_loss, metrics=[sm.metrics.iou_score])
model.fit(preprocess_input(images), masks, batch_size=8, epochs=30, validation_split=0.1)
model.save("unet_resnet34.h5")
