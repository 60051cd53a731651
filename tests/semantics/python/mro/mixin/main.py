class JsonMixin:
    def to_json(self):
        return str(self.fields())


class Model:
    def fields(self):
        return {}


class User(JsonMixin, Model):
    def __init__(self, name):
        self.name = name

    def fields(self):
        return {"name": self.name}


User("ann").to_json()
