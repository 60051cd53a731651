def parse(text):
    return tokenize(text)


def tokenize(text):
    return text.split()


def main():
    def helper():
        return parse("a b")

    return helper()


main()
