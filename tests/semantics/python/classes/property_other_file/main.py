from base import Vehicle


class Car(Vehicle):
    def drive(self):
        return self.engine.start()


Car().drive()
