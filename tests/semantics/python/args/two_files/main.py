from workers import process


def square(x):
    return x * x


def main():
    return process(square, [1, 2, 3])


main()
