def greet():
    return "hi"


a = b = greet
a()
b()
