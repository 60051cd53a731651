def log(message):
    print(message)


def run(callback):
    return callback()


def main():
    return run(lambda: log("hi"))


main()
