class Outer:
    class Inner:
        def ping(self):
            return "pong"

    def make(self):
        return self.Inner()


def main():
    inner = Outer().make()
    return inner.ping()


main()
