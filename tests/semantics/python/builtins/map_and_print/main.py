def square(x):
    return x * x


values = list(map(square, [1, 2, 3]))
print(len(values), sum(values))
