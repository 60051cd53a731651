from shapes import Square


def total(shapes):
    return sum(s.area() for s in shapes)


sq = Square(2)
print(sq.area())
total([sq])
