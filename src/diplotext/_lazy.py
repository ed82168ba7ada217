"""pandas, imported when first used rather than when diplotext is imported.

The command line's folder mode passes plain lists between stages and writes its CSV with the
``csv`` module, so it never needs pandas; importing it anyway would cost about 0.4 s of every
run. The modules use ``pd`` as usual: the first attribute looked up imports pandas.

This is a plain stand-in object, not ``importlib.util.LazyLoader``: that recipe puts a lazy
module in ``sys.modules`` for everyone, and on Python 3.11 its first attribute access is not
thread-safe (CPython issue 114763). Here other code imports pandas as it always does.
"""

from __future__ import annotations

import importlib


class _Deferred:
    """Stands for a module; imports it at the first attribute looked up on it."""

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)  # the import system's own lock
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


pd = _Deferred("pandas")
