from engines import Engine


class Vehicle:
    @property
    def engine(self):
        return Engine()
