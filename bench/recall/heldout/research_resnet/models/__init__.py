from models.resnet import build_resnet

__all__ = ["build_resnet"]
