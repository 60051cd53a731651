from .services import charge


def checkout():
    return charge(10)
