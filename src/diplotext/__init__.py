"""diplotext: entities, sentiment and chronology of diplomatic news, as tables.

    >>> import diplotext
    >>> analysis = diplotext.analyze("data/articles/2022-09_xi-putin-sco-samarkand.txt")
    >>> analysis.sentences.head()
    >>> analysis.tables  # every table by name, in pipeline order
"""

from .analysis import Analysis
from .corpus import Article, load_article
from .errors import InputError
from .pipeline import analyze
from .segment import segment

__version__ = "0.1.0"
__all__ = ["Analysis", "Article", "InputError", "analyze", "load_article", "segment", "__version__"]
