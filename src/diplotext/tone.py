"""The book's own measure of diplomatic stance: ``tone`` and ``tone_score`` of each sentence.

A sentence's score is the sum of the cues it holds, each traceable to its words:

- the stance markers of the register lexicon (``diplomatic_register.yml``): a marker counts
  +1 when its category is expected to be positive, -1 when negative, 0 for a hedge;
- cooperation (+1) and conflict (-1) cues of ``diplomatic_tone.yml``; procedural cues (held
  talks, scheduled, discussed) count 0 but are listed, so a schedule reads as neutral;
- any other word of VADER's general lexicon, at a fraction of its valence, unless the domain
  list says it is not evaluative in diplomatic news (firm, foreign, party, united, ...).

A cooperation cue or general word within a few words after a negation counts with its sign
flipped ("did not support"); a negated conflict cue keeps its sign ("cannot veto", "no outside
interference" are still said inside a conflict). Cues count 0 inside a condition or a
concession, after a demand (when they are what is demanded), just after a resolution word
(a conflict being settled), and inside a name. The label is positive at ``tone_score >=
threshold``, negative at ``<= -threshold``, otherwise neutral; ``tone_evidence`` lists every
cue that fired, with its weight, so each verdict can be checked word by word.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path


from .errors import InputError
from .resources import data_path, read_yaml

TONE_LEXICON_PATH = data_path("lexicons", "diplomatic_tone.yml")
TONE_COLUMNS = ["tone", "tone_score", "tone_evidence"]
LABELS = ["negative", "neutral", "positive"]  # every labeller's labels: tone, TextBlob, VADER, the hand

# What a register category counts towards the tone: its expected label as a weight.
_EXPECTED_WEIGHT = {"positive": 1.0, "negative": -1.0, "neutral": 0.0}
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)?")


@dataclass(frozen=True)
class ToneLexicon:
    """The cue lexicon: one compiled alternation of every cue, and the rules' parameters."""

    exact: dict  # first word of a cue -> [(words, phrase, group, weight)], longest cue first
    prefixes: dict  # first word's stem of a cue whose first word ends in * -> the same
    stem_lengths: tuple  # the lengths of those stems, longest first
    seen: dict  # word -> the cues that may start at it (filled as words are met; bounded)
    groups: dict  # cue group name -> weight
    negations: frozenset
    negation_window: int
    neutral_words: frozenset
    general_weight: float
    threshold: float
    aside: re.Pattern  # conditional or concessive phrase, up to the next comma: its cues count 0
    resolution: re.Pattern  # a word that resolves the conflict cue just after it


def load_tone_lexicon(path: Path | str = TONE_LEXICON_PATH) -> ToneLexicon:
    """Read and compile the tone cue lexicon (cached per path)."""
    return _load_tone_lexicon(os.path.abspath(path))


@functools.lru_cache(maxsize=4)
def _load_tone_lexicon(path: str) -> ToneLexicon:
    data = read_yaml(path, "the tone lexicon")
    if not isinstance(data, dict) or not isinstance(data.get("cues"), dict):
        raise InputError(f"{path}: a tone lexicon needs 'cues' (a mapping of cue groups)")
    cues, groups = [], {}
    for name, spec in data["cues"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("phrases"), list):
            raise InputError(f"{path}: cue group {name!r} needs a weight and a list of phrases")
        groups[name] = float(spec.get("weight", 0.0))
        if not all(isinstance(phrase, str) and phrase.strip("* ") for phrase in spec["phrases"]):
            raise InputError(f"{path}: every phrase of cue group {name!r} must be non-empty text")
        cues += [(phrase, name, groups[name]) for phrase in spec["phrases"]]
    # Longest phrase first: an alternation takes the first branch that matches at a position,
    # so "strategic partnership" wins over "partnership".
    cues.sort(key=lambda cue: len(cue[0].rstrip("*")), reverse=True)
    exact, prefixes = {}, {}
    for phrase, group, weight in cues:
        words = tuple(word.lower() for word in re.split(r"[\s-]+", phrase.strip()) if word)
        first = words[0]
        index = prefixes if first.endswith("*") else exact
        index.setdefault(first.rstrip("*"), []).append((words, phrase, group, weight))
    return ToneLexicon(
        exact=exact,
        prefixes=prefixes,
        stem_lengths=tuple(sorted({len(stem) for stem in prefixes}, reverse=True)),
        seen={},
        groups=groups,
        negations=_words(data, "negations", path),
        negation_window=int(data.get("negation_window", 3)),
        neutral_words=_words(data, "neutral_words", path),
        general_weight=float(data.get("general_weight", 0.5)),
        threshold=float(data.get("threshold", 1.0)),
        aside=re.compile(rf"(?<!\w)(?P<kind>{_alternation(data, 'conditional_words', path)})(?!\w)[^,;:]*"
                         rf"|(?<!\w)(?P<concession>{_alternation(data, 'concessive_words', path)})(?!\w)[^,;:]*",
                         re.IGNORECASE),
        resolution=re.compile(rf"(?<!\w)(?:{_alternation(data, 'resolution_words', path)})(?!\w)", re.IGNORECASE),
    )


def _alternation(data: dict, key: str, path: str) -> str:
    return "|".join(_cue_pattern(word) for word in sorted(_words(data, key, path), key=len, reverse=True)) or r"(?!x)x"


def _words(data: dict, key: str, path: str) -> frozenset:
    words = data.get(key) or []
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise InputError(f"{path}: '{key}' must be a list of words (quote yes, no, true: YAML reads them as booleans)")
    return frozenset(word.lower() for word in words)


_TOKEN = re.compile(r"[A-Za-z]+")
_JOINT = re.compile(r"\s+|\s*-\s*")  # what may stand between the words of a cue


def _find_cues(text: str, lexicon: ToneLexicon) -> list[tuple[int, int, str, float]]:
    """Cue matches ``(start, end, group, weight)``, left to right, the longest cue at each word,
    not overlapping: word by word with dictionary look-ups, not one regex of every cue."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
    found, i = [], 0
    while i < len(tokens):
        candidates = _candidates(tokens[i][2], lexicon)
        best = None
        for words, _, group, weight in candidates:
            end = _match_words(text, tokens, i, words)
            if end is not None and (best is None or end > best[0]):
                best = (end, group, weight)
        if best is None:
            i += 1
            continue
        found.append((tokens[i][0], best[0], best[1], best[2]))
        while i < len(tokens) and tokens[i][0] < best[0]:
            i += 1
    return found


def _candidates(word: str, lexicon: ToneLexicon) -> list:
    """The cues whose first word is ``word`` or a stem of it; remembered per word."""
    found = lexicon.seen.get(word)
    if found is None:
        found = list(lexicon.exact.get(word, ()))
        for length in lexicon.stem_lengths:
            if length <= len(word):
                found += lexicon.prefixes.get(word[:length], ())
        if len(lexicon.seen) > 100_000:  # a bound on memory over a long corpus
            lexicon.seen.clear()
        lexicon.seen[word] = found
    return found


def _match_words(text: str, tokens: list, i: int, words: tuple) -> int | None:
    """End offset of ``words`` (``*`` a word ending) matched at token ``i``, or None."""
    if i + len(words) > len(tokens):
        return None
    for k, want in enumerate(words):
        start, end, word = tokens[i + k]
        if k and not _JOINT.fullmatch(text, tokens[i + k - 1][1], start):
            return None
        if not (word.startswith(want[:-1]) if want.endswith("*") else word == want):
            return None
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):  # "war" is not in "war2"
            return None
    if tokens[i][0] and (text[tokens[i][0] - 1].isalnum() or text[tokens[i][0] - 1] == "_"):
        return None
    return tokens[i + len(words) - 1][1]


def _cue_pattern(phrase: str) -> str:
    """A cue phrase as a regex: words joined by white space or a hyphen, ``*`` any word ending."""
    words = []
    for word in re.split(r"[\s-]+", phrase.strip()):
        wild = word.endswith("*")
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if wild else ""))
    return r"(?:\s+|\s*-\s*)".join(words)


def label_tone(score: float, threshold: float) -> str:
    """``positive`` at or above ``threshold``, ``negative`` at or below ``-threshold``, else ``neutral``."""
    return "positive" if score >= threshold else "negative" if score <= -threshold else "neutral"


def tone_of(text: str, markers: list[tuple[int, int, str, str]], lexicon: ToneLexicon, general: dict,
            names: list[tuple[int, int]] = ()) -> tuple[str, float, list]:
    """``(tone, tone_score, evidence)`` of one sentence.

    ``markers`` are the register markers found in it as ``(start, end, category, expected)``;
    ``general`` is the general lexicon (word -> valence, VADER's scale of -4 to +4); ``names``
    are the spans of named entities in it (from the parse), where no word is a cue. Each
    evidence item is ``(start, end, words, group, weight)``.
    """
    found = [(start, end, category, _EXPECTED_WEIGHT.get(expected, 0.0)) for start, end, category, expected in markers]
    found += _find_cues(text, lexicon)
    chosen, reach = [], -1
    for start, end, group, weight in sorted(found, key=lambda f: (f[0], -f[1])):
        if start >= reach:  # overlaps keep the leftmost, then the longest cue
            chosen.append((start, end, group, weight))
            reach = end
    asides = [(m.start(), m.end(), "concessive" if m.group("concession") else "conditional")
              for m in lexicon.aside.finditer(text)]
    demanded = next((start for start, _, group, _ in chosen if group == "demand"), None)
    evidence = []
    for start, end, group, weight in chosen:
        aside = next((kind for a, b, kind in asides if a <= start < b), None)
        if weight and (_in_name(text, start, end) or any(a <= start < b for a, b in names)):
            group, weight = f"name {group}", 0.0
        elif aside and weight:
            group, weight = f"{aside} {group}", 0.0
        elif weight > 0 and demanded is not None and start > demanded:
            group, weight = f"demanded {group}", 0.0
        elif weight < 0 and _resolved(text, start, lexicon):
            group, weight = f"resolved {group}", 0.0
        elif weight > 0 and _negated(text, start, lexicon):
            group, weight = f"negated {group}", -weight
        evidence.append((start, end, text[start:end], group, weight))
    covered = [(start, end) for start, end, *_ in chosen]
    for match in _WORD.finditer(text):
        word = match.group().lower()
        valence = general.get(word)
        if not valence or word in lexicon.neutral_words or word in lexicon.negations:
            continue
        if any(start <= match.start() < end for start, end in covered):
            continue
        if any(a <= match.start() < b for a, b, _ in asides) or _in_name(text, match.start(), match.end()):
            continue
        if any(a <= match.start() < b for a, b in names):
            continue
        weight = round(valence / 4 * lexicon.general_weight, 3)
        if weight > 0 and demanded is not None and match.start() > demanded:
            continue  # what a demand asks for is not approval
        negated = _negated(text, match.start(), lexicon)
        evidence.append((match.start(), match.end(), match.group(), "negated general" if negated else "general",
                         -weight if negated else weight))
    evidence.sort()
    score = round(float(sum(item[4] for item in evidence)), 3)
    return label_tone(score, lexicon.threshold), score, evidence


def _negated(text: str, start: int, lexicon: ToneLexicon) -> bool:
    before = _WORD.findall(text[max(0, start - 60) : start])[-lexicon.negation_window :]
    return any(word.lower() in lexicon.negations or word.lower().endswith(("n't", "n\u2019t")) for word in before)


# Entity types of the parse whose words name something rather than take a stance.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"})


def entity_spans(doc, starts: list[int], ends: list[int]) -> list[list[tuple[int, int]]]:
    """Per sentence ``[starts[i], ends[i])`` of the raw text, the spans (relative to the
    sentence) of the named entities of the parse ``doc`` that lie in it."""
    ents = sorted((e.start_char, e.end_char) for e in doc.ents if e.label_ in NAME_LABELS)
    out, k = [], 0
    for start, end in zip(starts, ends):
        while k < len(ents) and ents[k][1] <= start:
            k += 1
        spans, j = [], k
        while j < len(ents) and ents[j][0] < end:
            spans.append((max(ents[j][0], start) - start, min(ents[j][1], end) - start))
            j += 1
        out.append(spans)
    return out


def _in_name(text: str, start: int, end: int) -> bool:
    """True for a capitalised word that does not open the sentence: part of a name ("Shanghai
    Cooperation Organization", "United Nations"), not a stance. Words in capitals are not names."""
    word = text[start:end]
    return word[:1].isupper() and not word.isupper() and _WORD.search(text, 0, start) is not None


def _resolved(text: str, start: int, lexicon: ToneLexicon) -> bool:
    """True when a resolution word stands within ``negation_window`` words before ``start``."""
    window = text[max(0, start - 80) : start]
    words = list(_WORD.finditer(window))[-(lexicon.negation_window + 1) :]
    return bool(words) and lexicon.resolution.search(window, words[0].start()) is not None


def format_evidence(evidence: list) -> str:
    """Evidence as ``words (group +1.00); ...``: what the ``tone_evidence`` column holds."""
    return "; ".join(f"{words} ({group} {weight:+.2f})" for _, _, words, group, weight in evidence)


def tone_columns(texts: list[str], markers: list[list[tuple]], lexicon: Path | str = TONE_LEXICON_PATH,
                 names: list[list[tuple]] | None = None) -> dict[str, list]:
    """``tone``, ``tone_score`` and ``tone_evidence`` of each text, from its register markers
    and (``names``, per text) the spans of the named entities in it."""
    from .sentiment import vader_analyzer

    cues, general = load_tone_lexicon(lexicon), vader_analyzer().lexicon
    names = names if names is not None else [()] * len(texts)
    results = [tone_of(text, found, cues, general, spans) for text, found, spans in zip(texts, markers, names)]
    return {
        "tone": [label for label, _, _ in results],
        "tone_score": [score for _, score, _ in results],
        "tone_evidence": [format_evidence(evidence) for _, _, evidence in results],
    }
