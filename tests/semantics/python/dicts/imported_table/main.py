from commands import COMMANDS


def execute(name):
    return COMMANDS[name]()


execute("start")
execute("stop")
