class Handler:
    def __init__(self, name):
        self.name = name

    def handle(self, event):
        return (self.name, event)


class Handlers:
    def __getitem__(self, name):
        return Handler(name)


handlers = Handlers()
