registry = []


def register(fn):
    registry.append(fn)
    return fn


@register
def task_a():
    return "a"


@register
def task_b():
    return "b"


def run_all():
    for task in registry:
        task()


task_a()
run_all()
