def notify_all(message, *listeners):
    for listener in listeners:
        listener(message)


def to_log(message):
    print(message)


def to_mail(message):
    return message


notify_all("deployed", to_log, to_mail)
