class Counter:
    start = 0

    def __init__(self, step):
        self.step = step
        self.reset()

    def reset(self):
        self.value = self.start

    def tick(self):
        self.value += self.step
        return self.value

    @classmethod
    def from_default(cls):
        return cls(1)

    @staticmethod
    def describe():
        return "counter"


c = Counter.from_default()
c.tick()
Counter.describe()
