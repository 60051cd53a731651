class Widget:
    def render(self):
        return self.draw()


class Button(Widget):
    def __init__(self):
        self.draw = self.draw_button

    def draw_button(self):
        return "[button]"


class Label(Widget):
    def __init__(self):
        self.draw = self.draw_label

    def draw_label(self):
        return "label"


Button().render()
Label().render()
