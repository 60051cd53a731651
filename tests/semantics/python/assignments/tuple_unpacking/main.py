def load():
    return []


def save(data):
    return data


reader, writer = load, save
writer(reader())
