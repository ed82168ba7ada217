"""The book's site: citations and downloads for the chapters, and the Sphinx extension
(:mod:`diplotext.site.extension`) that ``_config.yml`` loads."""

from .citation import (
    CITATION_FILE,
    Citation,
    CitationBlock,
    chapter_title,
    cite_this_book,
    cite_this_chapter,
    read_citation,
    rerun_locally,
)
from .downloads import DOWNLOADS_DIR, DownloadLinks, download_tables

__all__ = [
    "CITATION_FILE",
    "DOWNLOADS_DIR",
    "Citation",
    "CitationBlock",
    "DownloadLinks",
    "chapter_title",
    "cite_this_book",
    "cite_this_chapter",
    "download_tables",
    "read_citation",
    "rerun_locally",
]
