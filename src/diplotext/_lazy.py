"""pandas, imported when first used rather than when diplotext is imported.

The command line's folder mode passes plain lists between stages and writes its CSV with the
``csv`` module, so it never needs pandas; importing it anyway would cost about 0.4 s of every
run. Everything else uses ``pd`` as usual, and the first attribute looked up imports pandas.
This is the standard library's lazy-import recipe (``importlib.util.LazyLoader``), as in the
Scientific Python ecosystem's SPEC 1.
"""

from __future__ import annotations

import importlib.util
import sys


def lazy_import(name: str):
    """The module ``name``, executed on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


pd = lazy_import("pandas")
