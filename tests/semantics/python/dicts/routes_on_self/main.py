class Router:
    def __init__(self):
        self.routes = {"/": self.index, "/about": self.about}

    def index(self):
        return "home"

    def about(self):
        return "about"

    def serve(self, path):
        return self.routes[path]()


router = Router()
router.serve("/")
router.serve("/about")
