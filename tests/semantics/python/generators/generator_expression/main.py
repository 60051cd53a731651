def validate(x):
    return x > 0


def all_valid(items):
    return all(validate(i) for i in items)


all_valid([1, 2])
