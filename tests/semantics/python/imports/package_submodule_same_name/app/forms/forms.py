class Form:
    def is_valid(self):
        return True
