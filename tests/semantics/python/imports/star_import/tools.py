__all__ = ["hammer"]


def hammer():
    return "bang"


def _private():
    return None
