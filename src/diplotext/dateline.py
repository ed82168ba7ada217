"""The dateline of a news item: "MANILA, Dec. 6 (Xinhua) --", "HAVANA, December 26. /TASS/.".

A dateline opens the first sentence: it names the place the item was filed from and, in
brackets, slashes or after a dash, the outlet. The segmenter keeps it with the sentence it
opens (its full stops end no sentence); the entities stage reads its place and outlet.
"""

from __future__ import annotations

import re

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "MANILA, Dec. 6 (Xinhua) --", "HAVANA, December 26. /TASS/.", "BEIJING, July 22 - RIA Novosti."
DATELINE = re.compile(
    rf"(?:^|(?<=[a-z] ))[ \t]*(?P<place>[A-Z][A-Z'.\- ]+[A-Z])(?:,[ \t]*[A-Z][A-Za-z ]+)?,[ \t]+(?:{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})"
    r"\.?[ \t]*(?:\((?P<paren>[A-Z][\w .]*?)\)|/(?P<slash>[A-Z][\w .-]*?)/|[-\u2013\u2014][ \t]*(?P<dash>[A-Z][\w]*(?: [A-Z][\w]*)*)\.)?",
    re.MULTILINE,
)
