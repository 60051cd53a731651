from registry import handlers


def dispatch(event):
    return handlers["click"].handle(event)


dispatch("e")
