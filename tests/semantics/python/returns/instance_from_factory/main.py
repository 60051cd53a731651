class Connection:
    def close(self):
        return True


def connect():
    return Connection()


def get():
    conn = connect()
    return conn


get().close()
