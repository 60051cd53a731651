from .billing import charge

__all__ = ["charge"]
