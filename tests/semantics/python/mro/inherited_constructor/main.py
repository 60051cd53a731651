class Animal:
    def __init__(self, name):
        self.name = name

    def describe(self):
        return self.name


class Dog(Animal):
    def __init__(self, name):
        super().__init__(name)

    def bark(self):
        return "woof"


class Puppy(Dog):
    def bark(self):
        return super().bark() + "!"


p = Puppy("rex")
p.describe()
p.bark()
