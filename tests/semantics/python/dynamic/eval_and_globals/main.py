def secret():
    return 42


def public():
    return eval("1 + 1")


def lookup(name):
    return globals()[name]()


public()
lookup("secret")
