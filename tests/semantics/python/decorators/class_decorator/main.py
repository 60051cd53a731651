def singleton(cls):
    instances = {}

    def get(*args):
        if cls not in instances:
            instances[cls] = cls(*args)
        return instances[cls]

    return get


@singleton
class Config:
    def __init__(self):
        self.values = {}

    def get(self, key):
        return self.values.get(key)


cfg = Config()
cfg.get("debug")
