def fetch():
    return "data"


def transform():
    return "t"


def store():
    return True


pipeline = [fetch, transform]
pipeline.append(store)
for step in pipeline:
    step()
