class AppError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    pass


def report(err):
    print(err.message)


def find(key):
    raise NotFound(key)


def lookup(key):
    try:
        find(key)
    except AppError as err:
        report(err)


lookup("x")
