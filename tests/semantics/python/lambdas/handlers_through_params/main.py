def apply_all(first, second):
    first()
    return second(2)


def main():
    return apply_all(lambda: print("one"), lambda n: n * 2)


main()
