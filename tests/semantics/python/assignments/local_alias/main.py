import json


def encode(obj):
    dump = json.dumps
    return dump(obj)


def main():
    enc = encode
    return enc({"a": 1})


main()
