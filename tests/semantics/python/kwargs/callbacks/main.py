def on_done(result):
    print("done", result)


def on_error(exc):
    print("error", exc)


def fetch(url, callback=None, errback=None):
    try:
        callback(url)
    except Exception as exc:
        errback(exc)


fetch("http://example.com", callback=on_done, errback=on_error)
