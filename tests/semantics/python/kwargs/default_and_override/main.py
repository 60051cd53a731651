def default_fmt(x):
    return str(x)


def custom_fmt(x):
    return repr(x)


def show(x, fmt=default_fmt):
    return fmt(x)


show(1)
show(2, fmt=custom_fmt)
