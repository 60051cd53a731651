from . import utils
from .core import process

__all__ = ["process", "utils"]
