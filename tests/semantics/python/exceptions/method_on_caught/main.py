class ParseError(Exception):
    def describe(self):
        return "bad input"


def parse():
    raise ParseError("x")


try:
    parse()
except ParseError as e:
    print(e.describe())
