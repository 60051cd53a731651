class Dog:
    def speak(self):
        return "woof"


class Cat:
    def speak(self):
        return "meow"


pets = [Dog(), Cat()]
for pet in pets:
    pet.speak()
