def ping():
    return "ping"


def pong():
    return "pong"


invoke = lambda fn: fn()  # noqa: E731

invoke(ping)
invoke(pong)
