def open_file(path):
    return path


def process(path, open=open_file):
    return open(path)


process("x")
with open("README") as fh:
    fh.read()
