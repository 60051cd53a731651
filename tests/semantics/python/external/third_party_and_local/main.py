from client import Client


def main():
    c = Client("http://x")
    response = c.get("/a")
    response.raise_for_status()


main()
