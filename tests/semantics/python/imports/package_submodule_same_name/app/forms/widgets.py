class TextInput:
    def render(self):
        return "<input>"
