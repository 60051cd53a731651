def target(a, b):
    return a + b


def forward(**kwargs):
    return target(**kwargs)


forward(a=1, b=2)
