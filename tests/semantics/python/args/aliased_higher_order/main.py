def leaf():
    return "leaf"


def call_it(fn):
    return fn()


def pass_leaf(runner):
    return runner(leaf)


invoke = call_it
driver = pass_leaf
driver(invoke)
