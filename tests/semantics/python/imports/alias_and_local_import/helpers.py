def slugify(text):
    return text.lower().replace(" ", "-")


def now():
    return 0
