from app.forms.forms import *  # noqa: F403
from app.forms.widgets import *  # noqa: F403
