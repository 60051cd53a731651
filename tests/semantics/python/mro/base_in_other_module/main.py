from base import Handler


class EchoHandler(Handler):
    def respond(self, request):
        return request * 2


EchoHandler().handle("x")
