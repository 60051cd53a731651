import threading


class Worker(threading.Thread):
    def run(self):
        self.work()

    def work(self):
        return 1


w = Worker()
w.start()
w.run()
