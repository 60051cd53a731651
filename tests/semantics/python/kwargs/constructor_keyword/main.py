class Button:
    def __init__(self, label, on_press=None):
        self.label = label
        self.on_press = on_press

    def press(self):
        if self.on_press:
            self.on_press()


def save():
    print("saved")


Button("Save", on_press=save).press()
