from .utils import clean


def process(value):
    return clean(value)
