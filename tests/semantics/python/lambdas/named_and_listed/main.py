def double(x):
    return x * 2


def triple(x):
    return x * 3


square = lambda x: x * x  # noqa: E731
ops = [lambda x: double(x), triple]
square(3)
for op in ops:
    op(1)
