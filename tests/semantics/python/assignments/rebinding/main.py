def shout():
    return "HI"


def whisper():
    return "hi"


def speak():
    voice = shout
    voice = whisper
    return voice()


speak()
