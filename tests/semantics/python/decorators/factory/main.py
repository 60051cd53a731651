def retry(times):
    def decorate(fn):
        def wrapped():
            for _ in range(times):
                fn()

        return wrapped

    return decorate


@retry(3)
def flaky():
    print("trying")


flaky()
