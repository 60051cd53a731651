def notify():
    print("notified")


def schedule(job):
    def runner():
        return job()

    return runner


task = schedule(notify)
task()
