"""diplotext: entities, sentiment and chronology of diplomatic news, as tables.

    >>> import diplotext
    >>> analysis = diplotext.analyze("data/articles/2022-09_xi-putin-sco-samarkand.txt")
    >>> analysis.sentences.head()
    >>> analysis.tables  # every table by name, in pipeline order
"""

import os as _os
import sys as _sys

# `python -m diplotext` puts the current folder first on sys.path, so a file there named like a
# module (csv.py, concurrent.py) would be imported instead of it. The package needs nothing from
# that folder; while `-m` is importing it (sys.argv[0] is "-m" then), drop that entry.
if _sys.argv[:1] == ["-m"] and not _sys.flags.safe_path and _sys.path[:1] in ([""], [_os.getcwd()]):
    del _sys.path[0]

if _sys.argv[:1] == ["-m"]:
    # Ctrl-C while the command line is still importing its modules (about a second): one line,
    # exit 130, as once it runs; the command line installs its own handlers when it starts.
    import signal as _signal

    def _interrupted_while_starting(signum, frame):
        _sys.stderr.write("error: interrupted while starting; nothing was written\n")
        _os._exit(130)

    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _interrupted_while_starting)

from .analysis import Analysis
from .corpus import Article, load_article
from .errors import InputError
from .pipeline import analyze
from .segment import segment

__version__ = "0.1.0"
__all__ = ["Analysis", "Article", "InputError", "analyze", "load_article", "segment", "__version__"]
