def on_click():
    return "click"


def on_key():
    return "key"


handlers = {}
handlers["click"] = on_click
handlers.update(key=on_key)


def dispatch(event):
    handler = handlers.get(event)
    if handler:
        handler()


dispatch("click")
dispatch("key")
