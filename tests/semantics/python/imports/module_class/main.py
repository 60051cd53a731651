import models


def create(name):
    user = models.User(name)
    user.save()
    return user


create("ann")
