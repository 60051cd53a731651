import errors


def validate(data):
    if "name" not in data:
        raise errors.ValidationError("name")
    return data


validate({})
