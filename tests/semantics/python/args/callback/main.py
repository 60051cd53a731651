def callback():
    return "done"


def run(fn):
    return fn()


run(callback)
