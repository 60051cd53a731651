def first():
    return 1


def second():
    return 2


def pick(a, b):
    chosen = b
    return chosen()


pick(first, second)
