def format():
    return "top"


def render():
    def format():
        return "inner"

    return format()


render()
format()
