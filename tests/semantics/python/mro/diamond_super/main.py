class A:
    def greet(self):
        return "A"


class B(A):
    def greet(self):
        return "B" + super().greet()


class C(A):
    def greet(self):
        return "C" + super().greet()


class D(B, C):
    pass


D().greet()
