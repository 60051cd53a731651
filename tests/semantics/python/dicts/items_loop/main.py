def check_disk():
    return True


def check_memory():
    return True


CHECKS = {"disk": check_disk, "memory": check_memory}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        results[name] = check()
    return results


run_checks()
