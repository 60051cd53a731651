def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


def is_even(n):
    return n == 0 or is_odd(n - 1)


def is_odd(n):
    return n != 0 and is_even(n - 1)


factorial(5)
is_even(4)
