class Engine:
    def start(self):
        return "vroom"
