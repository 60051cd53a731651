def outer():
    def inner():
        return 1

    fn = inner
    return fn()


outer()
