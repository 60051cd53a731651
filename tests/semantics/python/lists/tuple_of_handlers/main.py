def on_save():
    return "saved"


def on_load():
    return "loaded"


class Editor:
    def __init__(self):
        self.listeners = []

    def subscribe(self, fn):
        self.listeners.append(fn)

    def emit(self):
        for listener in self.listeners:
            listener()


editor = Editor()
for handler in (on_save, on_load):
    editor.subscribe(handler)
editor.emit()
