from tools import *  # noqa: F403

hammer()  # noqa: F405
