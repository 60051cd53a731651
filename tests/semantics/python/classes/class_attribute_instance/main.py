class Logger:
    def log(self, message):
        print(message)


class Service:
    logger = Logger()

    def handle(self):
        self.logger.log("handled")


Service().handle()
