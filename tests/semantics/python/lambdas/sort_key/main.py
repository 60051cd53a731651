class Item:
    def __init__(self, price):
        self.price = price

    def cost(self):
        return self.price


def cheapest(items):
    return min(items, key=lambda item: item.cost())


cheapest([Item(3), Item(1)])
