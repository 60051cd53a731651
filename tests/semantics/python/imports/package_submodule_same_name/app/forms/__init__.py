from app.forms.forms import *
from app.forms.widgets import *
