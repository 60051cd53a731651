class Timeout(Exception):
    def __init__(self):
        super().__init__("timed out")


def wait():
    raise Timeout


try:  # noqa: SIM105
    wait()
except Timeout:
    pass
