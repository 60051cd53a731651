class Task:
    def run(self):
        return "ran"


def tasks(n):
    for _ in range(n):
        yield Task()


def main():
    for t in tasks(3):
        t.run()


main()
