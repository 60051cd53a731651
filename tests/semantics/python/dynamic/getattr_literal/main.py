class Plugin:
    def run(self):
        return "run"

    def stop(self):
        return "stop"


plugin = Plugin()
getattr(plugin, "run")()  # noqa: B009
action = getattr(plugin, "stop", None)
if action:
    action()
