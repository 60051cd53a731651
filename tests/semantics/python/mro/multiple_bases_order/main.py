class Reader:
    def open(self):
        return "reader"


class Writer:
    def open(self):
        return "writer"

    def write(self):
        return True


class File(Reader, Writer):
    def save(self):
        self.open()
        return self.write()


File().save()
