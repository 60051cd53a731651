def encode(data):
    return data


def decode(data):
    return data


def codec():
    return encode, decode


enc, dec = codec()
dec(enc("x"))
