"""Moved to :mod:`diplotext.site`; this name stays for notebooks that import it from here."""

from .site import *  # noqa: F403
from .site import __all__  # noqa: F401
