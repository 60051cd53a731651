def start():
    return "start"


def stop():
    return "stop"


def machine(state, **transitions):
    return transitions[state]()


machine("on", on=start, off=stop)
