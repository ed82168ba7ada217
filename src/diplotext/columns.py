"""Old name of :mod:`diplotext.tables`, kept so that code importing it from here still works."""

from .tables import *  # noqa: F403
from .tables import column_lists, plain_values, require_columns  # noqa: F401
