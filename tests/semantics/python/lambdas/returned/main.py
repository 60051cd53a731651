def greet(name):
    return "hello " + name


def make_greeter():
    return lambda name: greet(name)


g = make_greeter()
g("x")
