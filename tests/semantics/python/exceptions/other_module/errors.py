class ValidationError(ValueError):
    def __init__(self, field):
        super().__init__(field)
        self.field = field
