def handler():
    return "handled"


def get_handler():
    return handler


get_handler()()
