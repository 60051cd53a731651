def process(transform, items):
    return [transform(item) for item in items]
