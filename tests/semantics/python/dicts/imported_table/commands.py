def start():
    return "started"


def stop():
    return "stopped"


COMMANDS = {"start": start, "stop": stop}
