class Reader:
    def lines(self):
        yield from self.chunks()

    def chunks(self):
        yield "a"
        yield "b"


reader = Reader()
for line in reader.lines():
    print(line.upper())
gen = reader.chunks()
next(gen)
