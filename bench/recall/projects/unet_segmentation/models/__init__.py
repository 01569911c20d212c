from .unet import build_unet

__all__ = ["build_unet"]
