from app import forms


def page():
    widget = forms.TextInput()
    return widget.render()
