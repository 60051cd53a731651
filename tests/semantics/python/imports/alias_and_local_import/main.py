import helpers as h


def build(title):
    from helpers import now

    return h.slugify(title), now()


build("Hello World")
