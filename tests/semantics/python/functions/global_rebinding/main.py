def default_strategy():
    return "default"


def custom_strategy():
    return "custom"


current = default_strategy


def configure():
    global current
    current = custom_strategy


def run():
    return current()


run()
configure()
run()
