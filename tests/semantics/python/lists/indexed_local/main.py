def low():
    return 0


def high():
    return 1


def choose(level):
    options = [low, high]
    return options[level]()


choose(0)
choose(1)
