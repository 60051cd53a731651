def timed(fn):
    def timed_inner():
        return fn()

    return timed_inner


def logged(fn):
    def logged_inner():
        print("call")
        return fn()

    return logged_inner


@timed
@logged
def work():
    return 42


work()
