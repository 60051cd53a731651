class Runner:
    def execute(self, task):
        return task()


def job():
    return 42


runner = Runner()
runner.execute(job)
