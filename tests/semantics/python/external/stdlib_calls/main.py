import json
import os
from collections import OrderedDict


def read(path):
    with open(path) as fh:
        return json.load(fh)


def main():
    data = read(os.path.join("a", "b.json"))
    od = OrderedDict(data)
    od.move_to_end("x")


main()
