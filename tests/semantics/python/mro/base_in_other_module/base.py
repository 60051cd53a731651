class Handler:
    def handle(self, request):
        return self.respond(request)

    def respond(self, request):
        return request
