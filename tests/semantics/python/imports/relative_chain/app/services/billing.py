from ..util import log


def charge(amount):
    log("charging")
    return amount
