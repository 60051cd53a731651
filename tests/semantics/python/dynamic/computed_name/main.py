class Handler:
    def do_get(self):
        return "get"

    def do_post(self):
        return "post"

    def handle(self, method):
        return getattr(self, "do_" + method.lower())()


Handler().handle("GET")
