"""Sentence alignment: which source sentence each article sentence derives from.

The measure is TF-IDF cosine similarity over words (Salton and Buckley 1988), written here
with numpy. Every sentence of the article and of the sources is one document for the inverse
document frequency, so a word the texts share everywhere ("the", "China") weighs little and a
rare one ("ambassador", "equitable") weighs much. An article sentence is aligned to the source
sentence with the highest cosine if that cosine reaches ``THRESHOLD``; below it the sentence is
marked as added by whoever compiled the article. Two more rules keep chance resemblances
out: the pair must share at least ``MIN_SHARED`` content words (a short quotation that shares
only "meeting" can score high), and only sources from the ``WINDOW_DAYS`` before the article
are candidates (a compiled news report relays the reports of the days before it).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter

import numpy as np

from ._lazy import pd
from .segment import split_sentences

# Set on the seed's Yang-Denisov paragraph, whose pairs a reader can check by eye: its
# machine-translated sentences score 0.2 to 0.8 against the Xinhua sentences they render,
# while sentences with no stored source stay near 0.15 or below. The chapter shows how many
# sentences change side at other thresholds.
THRESHOLD = 0.18
MIN_SHARED = 3
WINDOW_DAYS = 14

ALIGNMENT_COLUMNS = ["sentence_id", "text", "score", "shared", "source_id", "source_sentence", "source_text",
                     "runner_up", "aligned", "also"]

# Function words carry no evidence of derivation; every other word counts.
STOPWORDS = frozenset(
    """
    a an and are as at be been being but by for from had has have he her his i in is it its
    of on or our she that the their them they this those to was we were will with you your
    which who whom also than then there these so such not no
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+")
_LINE = re.compile(r"[^\n]+")


def tokens(text: str) -> list[str]:
    """The content words of ``text``: lower-cased, function words dropped, a plural -s cut."""
    words = _WORD.findall(text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in STOPWORDS]


def text_sentences(raw: str) -> list[str]:
    """Sentences of a source text, each line on its own: titles and captions stand alone."""
    return [raw[start:end] for line in _LINE.finditer(raw)
            for start, end in split_sentences(raw, line.start(), line.end())]


def tfidf_matrix(documents: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Rows of L2-normalised TF-IDF weights, one per document, and the vocabulary.

    Weights are raw term counts times ``log(N / df) + 1`` (the +1 keeps a word found in every
    document from vanishing entirely).
    """
    vocabulary = sorted({word for doc in documents for word in doc})
    index = {word: i for i, word in enumerate(vocabulary)}
    frequency = Counter(word for doc in documents for word in set(doc))
    n = len(documents)
    idf = np.array([math.log(n / frequency[word]) + 1.0 for word in vocabulary])
    matrix = np.zeros((n, len(vocabulary)))
    for row, doc in enumerate(documents):
        for word, count in Counter(doc).items():
            matrix[row, index[word]] = count
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0), vocabulary


def similarity(article: list[str], candidates: list[str]) -> np.ndarray:
    """Cosine of every article sentence against every candidate sentence (rows: article).

    Both sets are a few hundred sentences at most, so one matrix product does it.
    """
    vectors, _ = tfidf_matrix([tokens(t) for t in [*article, *candidates]])
    return vectors[: len(article)] @ vectors[len(article):].T


def align(sentences: pd.DataFrame, candidates: pd.DataFrame, threshold: float = THRESHOLD,
          min_shared: int = MIN_SHARED) -> pd.DataFrame:
    """For each article sentence, its best source sentence, the cosine ``score`` and the number
    of ``shared`` content words; ``aligned`` if the score reaches ``threshold`` and at least
    ``min_shared`` words are shared.

    ``sentences`` is the segment table; ``candidates`` has ``source_id``, ``source_sentence``
    (its number in the source) and ``text``. ``runner_up`` is the best score from any other
    source: how clear the choice is. A compiler may merge sentences, so ``also`` lists the other
    source sentences that pass both rules, best first, as ``(source_id, number, text, score)``.
    """
    rows = []
    if len(candidates) == 0:
        for sentence in sentences.itertuples(index=False):
            rows.append([sentence.sentence_id, sentence.text, 0.0, 0, "", 0, "", 0.0, False, []])
        return pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)
    scores = similarity(sentences["text"].tolist(), candidates["text"].tolist())
    sources = candidates["source_id"].to_numpy()
    for i, sentence in enumerate(sentences.itertuples(index=False)):
        best = int(np.argmax(scores[i]))
        others = scores[i][sources != sources[best]]
        match = candidates.iloc[best]
        shared = shared_words(sentence.text, match["text"])
        aligned = bool(scores[i, best] >= threshold and shared >= min_shared)
        also = [] if not aligned else [
            (c.source_id, int(c.source_sentence), c.text, float(scores[i, j]))
            for j in np.argsort(-scores[i]) if j != best and scores[i, j] >= threshold
            for c in [candidates.iloc[j]] if shared_words(sentence.text, c.text) >= min_shared]
        rows.append([sentence.sentence_id, sentence.text, float(scores[i, best]), shared, match["source_id"],
                     int(match["source_sentence"]), match["text"], float(others.max()) if others.size else 0.0,
                     aligned, also])
    return pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)


def threshold_sweep(alignment: pd.DataFrame, thresholds, threshold: float = THRESHOLD,
                    min_shared: int = MIN_SHARED) -> pd.DataFrame:
    """How many sentences are aligned at each threshold, and how many change side against
    ``threshold`` (the shared-word rule held fixed)."""
    enough = alignment["shared"] >= min_shared
    chosen = (alignment["score"] >= threshold) & enough
    rows = []
    for value in thresholds:
        aligned = (alignment["score"] >= value) & enough
        rows.append({"threshold": float(value), "aligned": int(aligned.sum()), "added": int((~aligned).sum()),
                     "change_side": int((aligned != chosen).sum())})
    return pd.DataFrame(rows, columns=["threshold", "aligned", "added", "change_side"])


def word_changes(article_text: str, source_text: str) -> list[tuple[str, str]]:
    """The word runs that differ between an aligned pair, as ``(article words, source words)``.

    Compares lower-cased words in order (difflib's longest matching blocks); a run on one side
    only is paired with "".
    """
    a, b = _WORD.findall(article_text.lower()), _WORD.findall(source_text.lower())
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def shared_words(article_text: str, source_text: str) -> int:
    """How many distinct content words the two sentences share."""
    return len(set(tokens(article_text)) & set(tokens(source_text)))
