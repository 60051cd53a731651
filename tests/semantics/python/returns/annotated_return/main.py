from store import open_session


def main():
    session = open_session()
    session.commit()


main()
