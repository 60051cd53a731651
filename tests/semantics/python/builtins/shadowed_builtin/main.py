def len(items):
    return 0


def count(items):
    return len(items)


count([1, 2])
