def helper():
    return "module helper"


def other():
    return "other"


def apply(helper):
    return helper()


apply(other)
