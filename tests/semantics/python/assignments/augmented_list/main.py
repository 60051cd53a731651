def on_start():
    print("start")


def on_stop():
    print("stop")


hooks = [on_start]
hooks += [on_stop]
for hook in hooks:
    hook()
