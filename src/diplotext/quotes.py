"""Quotes stage: who said what, sentence by sentence, from the dependency parse (``quotes.csv``).

A sentence reports speech when a reporting verb (say, tell, stress, note, urge, ...) has a
subject, when it says "according to X", when a speech noun cites someone ("the words of X that
..."), or when a headline attributes it ("Foreign Ministry: ...", "... - Russian envoy"). The
speaker is the subject: a name, linked through the mentions table of the entities stage when a
mention covers it (else the model's own PERSON or ORG span), a pronoun ("he") resolved to the
last speaker, a definite title ("the President") to the last person named with that title
(never one named with another office: "the President" is not the Prime Minister), a surname to
the person the article named in full. A person only cited by a speech noun is not the last
speaker a later "he" or "the diplomat" refers to. When the parse gives a reporting verb no
subject, a person named right before it (", Ambassador X said.") is its speaker. A speaker
carries into the next sentence only inside a quotation still open there, or into a whole quoted
sentence that runs on from that speaker's quotation; a sentence that is one whole quotation
with no speaker (a headline's quote) is the words of the speaker who repeats them; anonymous
sources ("officials said") give no row, as they name no one. Besides the contract columns,
``start`` and ``end`` say where the text names the speaker.
"""

from __future__ import annotations

import re

from ._lazy import pd
from .tables import COLUMNS as TABLE_COLUMNS
from .tables import frame
from .quote_names import PERSON_TITLES, Names, Speaker, has_title, other_office

REPORTING_VERBS = frozenset(
    "say tell add stress note announce warn urge express propose emphasise emphasize reaffirm thank invite "
    "brief inform reply recall argue denounce continue state declare underline underscore highlight insist "
    "assert claim explain remark comment write confirm acknowledge reiterate suggest accuse condemn "
    "respond answer describe caution vow pledge predict deny ask report".split())
# Nouns that report speech when a that-clause gives its content: "the words of X that ...".
SPEECH_NOUNS = frozenset("word remark statement comment claim assertion announcement warning".split())
# Verbs that report speech only with a particle or preposition: "point out", "call for", "speak about".
PHRASAL = {"point": "out", "call": "for", "speak": "about"}
BODY_TITLES = frozenset("ministry government council agency office committee organization organisation "
                        "administration cabinet kremlin embassy department commission parliament".split())
GROUP_WORDS = frozenset("ministers parties sides leaders presidents".split())
PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON"}
QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
HEADLINE_COLON = re.compile(r"^\s*(?P<who>[^:\n]{3,60}):\s+\S")
HEADLINE_TAIL = re.compile(r":\s*(?P<who>[^:\n]{3,40}?)\s*$")
HEADLINE_DASH = re.compile(r"\s[-\u2013\u2014]{1,2}\s*(?P<who>[^-\u2013\u2014\n]{3,40})\s*$")
COLUMNS = TABLE_COLUMNS["quotes"]


def quote_columns(sentences: dict[str, list], mentions: dict[str, list] | None, doc) -> dict[str, list]:
    """The quotes table as plain lists: one row per sentence and speaker, in text order."""
    columns = {name: [] for name in COLUMNS}
    if doc is None:
        return columns
    names = Names(doc, mentions)
    found: dict[int, list[tuple[Speaker, str, str]]] = {}
    spans = list(zip(sentences["sentence_id"], sentences["start"], sentences["end"], sentences["paragraph_id"]))
    recent: list[tuple[int, Speaker]] = []  # (sentence number, speaker) of earlier attributions
    for number, (sentence_id, start, end, _) in enumerate(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        last = recent[-1][1] if recent and number - recent[-1][0] <= 4 else None  # the latest, if recent
        rows, cited = _attributions(span, names, last)
        if not rows and number == 0:
            rows = _headline(names.raw, start, end, names)
        if rows:
            found[sentence_id] = rows
            # The people whose words are only cited ("the words of X that ...") are not who
            # speaks on: "the diplomat stressed" in the next sentence is the one who cited them.
            recent.extend((number, row[0]) for row in rows if row[0].name not in cited)
    _carry_through_quotations(names.raw, spans, found)
    _follow_quotations(names.raw, spans, found)
    _echoed_quotations(names.raw, spans, found)
    for sentence_id, start, end, _ in spans:
        for speaker, cue, kind in found.get(sentence_id, []):
            row = (sentence_id, speaker.entity_id, speaker.name, cue, kind, speaker.start, speaker.end)
            for name, value in zip(COLUMNS, row):
                columns[name].append(value)
    return columns


def find_quotes(sentences: pd.DataFrame, mentions: pd.DataFrame | None, doc) -> pd.DataFrame:
    """The quotes table from the sentences and mentions tables and the article's parse."""
    from .tables import MENTION_COLUMNS, column_lists, require_columns

    require_columns(sentences, ["sentence_id", "start", "end", "paragraph_id"], "sentences")
    if mentions is not None:
        require_columns(mentions, MENTION_COLUMNS, "mentions")
        mentions = {name: [None if pd.isna(v) else v for v in mentions[name].tolist()] for name in MENTION_COLUMNS}
    return frame("quotes", quote_columns(column_lists(sentences, ("sentence_id", "start", "end", "paragraph_id")),
                                      mentions, doc))


def _attributions(span, names: Names, last: Speaker | None) -> tuple[list[tuple[Speaker, str, str]], set[str]]:
    """Speakers of one sentence: subjects of reporting verbs and "according to X", then the
    people whose words a speech noun cites ("the words of X that ..."); and the names of those
    cited only."""
    text = span.text
    direct = bool(QUOTE_MARKS.search(text))
    rows: list[tuple[Speaker, str, str]] = []
    cited: list[tuple[Speaker, str, str]] = []
    for token in span:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            objects = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
            for obj in objects:
                for speaker in _resolve(obj, names, last):
                    rows.append((speaker, "according to", "according_to"))
            continue
        if token.pos_ == "NOUN" and token.lemma_.lower() in SPEECH_NOUNS:
            cited += [(speaker, token.text, "indirect") for speaker in _speech_noun(token, names, last)]
            continue
        if not _is_reporting(token):
            continue
        subject = _subject(token)
        if subject is None:
            # "..., Russian Ambassador to Havana Viktor Koronelli said.": the parser may hang the
            # name elsewhere; a person named right before the verb is its speaker.
            before = token.doc[token.i - 1] if token.i > span.start else None
            if before is not None and before.pos_ == "PROPN":
                people = [n for n in names.within(before.idx, before.idx + len(before))
                          if n.type == "PERSON" and n.end == before.idx + len(before)]
                rows += [(names.full_name(p), _cue(token), "direct" if direct else "indirect") for p in people[:1]]
            continue
        embedded = any(_is_reporting(a) for a in token.ancestors)
        if embedded and not (subject.pos_ == "PROPN" or subject.ent_type_):
            continue  # "Wi said the sides continued ...": only a named source inside a report counts
        for speaker in _resolve(subject, names, last):
            if embedded and speaker.type != "PERSON":
                continue  # inside a report, only a named person reports in turn
            rows.append((speaker, _cue(token), "direct" if direct else "indirect"))
    unique = {}
    for speaker, cue, kind in rows:
        unique.setdefault(speaker.name, (speaker, cue, kind))
    only_cited = {speaker.name for speaker, *_ in cited} - set(unique)
    for speaker, cue, kind in cited:
        unique.setdefault(speaker.name, (speaker, cue, kind))
    return list(unique.values()), only_cited


def _speech_noun(noun, names: Names, last: Speaker | None) -> list[Speaker]:
    """"the words of adviser Jake Sullivan that ...", "Sullivan's remarks that ...": the named
    person whose speech the that-clause gives."""
    def that_clause(c):
        return c.dep_ in ("acl", "ccomp") and c.i > noun.i and any(
            m.lower_ == "that" and m.dep_ == "mark" for m in c.children)

    # The parser hangs the clause on the noun, or on the verb the noun is the object of
    # ("comment on the words of X that ...").
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if not any(that_clause(c) for c in [*noun.children, *(verb.children if verb.pos_ == "VERB" else [])]):
        return []
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [o for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
               for o in c.children if o.dep_ == "pobj"]
    found = []
    for owner in owners:
        named = next((c for c in owner.children if c.dep_ == "appos" and c.pos_ == "PROPN"), owner)
        found += [s for s in _resolve(named, names, last) if s.type == "PERSON"]
    return found


def _is_reporting(token) -> bool:
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    if lemma in PHRASAL:
        return any(c.lower_ == PHRASAL[lemma] for c in token.children)
    if lemma not in REPORTING_VERBS:
        return False
    children = list(token.children)
    if lemma in ("continue", "add", "ask") and any(c.dep_ == "xcomp" for c in children):
        return False  # "continue to grow", "asked to leave"
    if lemma in ("continue", "add") and not any(c.dep_ in ("ccomp", "parataxis") or c.text == ":" for c in children) \
            and (lemma == "continue" or any(c.dep_ == "dobj" for c in children)):
        return False  # "has added another series": not speech
    if any(c.dep_ == "neg" for c in children) or any(
            c.dep_ == "aux" and (c.tag_ in ("MD", "TO")) for c in children):
        return False  # not said, or not yet: "does not acknowledge", "will explain", "to discuss"
    if lemma == "ask" and token.tag_ == "VBN" and not any(c.dep_ == "auxpass" for c in token.children):
        return False  # "Asked about the agenda, Wi said ...": the answer is reported, not the question
    return True


def _cue(token) -> str:
    particle = PHRASAL.get(token.lemma_.lower())
    return f"{token.text} {particle}" if particle else token.text


def _subject(verb):
    """The verb's subject, or that of the verb it is coordinated with ("met and said")."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "advcl") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not (child.dep_ == "nsubjpass" and child.lower_ == "it"):
                return child
    return None


def _resolve(head, names: Names, last: Speaker | None = None) -> list[Speaker]:
    """The named speakers a subject stands for: names inside it, conjoined names, the last
    speaker for a pronoun, the last person so titled for a definite title ("the President")."""
    # The noun phrase up to its head, and its conjuncts ("Wang Yi and Lavrov"), not what follows
    # it: "Mitsuru Uchida, professor of ..." names Uchida, "Xinhua, when Yang met ..." Xinhua.
    start, end = head.left_edge.idx, head.idx + len(head)
    for child in head.children:
        if child.dep_ == "conj":
            end = max(end, child.idx + len(child))
    word, lemma = head.lower_, head.lemma_.lower()
    determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "poss", "nummod")}
    if "the" in determiners and lemma in PERSON_TITLES and head.tag_ in ("NN", "NNP"):
        return _titled(names, head, lemma, last)
    if determiners & {"a", "an"} and lemma in PERSON_TITLES:
        # "a ministry spokesperson said": the person the text names with that title next, if any.
        return [p for p in names.after(head.idx + len(head), ("PERSON",), 3) if has_title(names.raw, p, lemma)][:1]
    inside = [n for n in names.within(start, end) if n.type in ("PERSON", "ORG", "GPE")]
    people = [n for n in inside if n.type == "PERSON"]
    if people:
        return [names.full_name(p) for p in people[:1] + [p for p in people[1:] if _conjoined(head)]]
    if inside:
        return [inside[-1]]
    if word in PRONOUNS:
        return [last] if last and last.type == "PERSON" else names.before(head.idx, ("PERSON",))
    if head.pos_ == "PROPN":  # a name the model did not tag: "Wi said"
        known = names.named(head.text)
        return [known] if known else [Speaker("", head.text, head.idx, head.idx + len(head), "PERSON")]
    if word in GROUP_WORDS and determiners & {"the", "both", "two"}:
        # "the ministers said": both of them, the last two people the text gave a title.
        people = names.before(head.idx, ("PERSON",), 6)
        titled = [p for p in people if any(has_title(names.raw, row, title) for title in PERSON_TITLES
                                           for row in names.named_before(p.name, head.idx))]
        return (titled if len(titled) >= 2 else people)[:2]
    if "the" in determiners and head.tag_ == "NN" and lemma in BODY_TITLES:
        return names.before(head.idx, ("ORG",))
    return []  # anonymous ("officials said") or not a name


def _titled(names: Names, head, title: str, last: Speaker | None) -> list[Speaker]:
    """"The President said": the last speaker or person named with that title nearby."""
    raw = names.raw
    candidates = ([last] if last and last.type == "PERSON" else []) + names.before(head.idx, ("PERSON",), 6)
    for person in candidates:
        if any(has_title(raw, row, title) for row in names.named_before(person.name, head.idx)):
            return [person]
    # No one was named with that title: the nearest person not named with another office.
    return [person for person in candidates
            if not any(other_office(raw, row, title) for row in names.named_before(person.name, head.idx))][:1]


def _conjoined(head) -> bool:
    return any(c.dep_ == "conj" for c in head.children)


def _headline(raw: str, start: int, end: int, names: Names) -> list[tuple[Speaker, str, str]]:
    """"Foreign Ministry: ..." or "... - Russian envoy" in the first sentence."""
    text = raw[start:end]
    for pattern in (HEADLINE_TAIL, HEADLINE_DASH, HEADLINE_COLON):
        match = pattern.search(text)
        if match is None:
            continue
        a, b = start + match.start("who"), start + match.end("who")
        inside = [n for n in names.within(a, b) if n.type in ("PERSON", "ORG")]
        if inside:
            return [(inside[0], "headline", "direct")]
        words = set(match["who"].lower().split())
        if words & PERSON_TITLES:
            later = [n for n in names.within(end, len(raw)) if n.type == "PERSON"]
            if later:
                return [(later[0], "headline", "direct")]
    return []


def _carry_through_quotations(raw: str, spans, found) -> None:
    """Sentences inside one quotation share its speaker ("continued").

    A quotation runs from the sentence where a quotation mark opens to the one where it
    closes, within a paragraph; its speaker is the one named in any of its sentences.
    """
    group: list[int] = []
    open_quote = False
    paragraph = None
    for sentence_id, start, end, paragraph_id in spans:
        if paragraph_id != paragraph:
            _share(group, found)
            group, open_quote, paragraph = [], False, paragraph_id
        marks = len(QUOTE_MARKS.findall(raw, start, end))
        if open_quote or marks % 2:
            group.append(sentence_id)
        if marks % 2:
            open_quote = not open_quote
        if not open_quote:
            _share(group, found)
            group = []
    _share(group, found)


def _share(group: list[int], found) -> None:
    speakers = [row for sentence_id in group for row in found.get(sentence_id, [])]
    if len(group) < 2 or not speakers or len({row[0].name for row in speakers}) > 1:
        return
    speaker = speakers[0][0]
    for sentence_id in group:
        if sentence_id not in found:
            found[sentence_id] = [(speaker, "", "continued")]


def _follow_quotations(raw: str, spans, found) -> None:
    """A sentence that is one whole quotation, right after a quoted sentence with a speaker,
    continues that speaker's words (news runs a quote on without repeating "he said")."""
    for (previous, *_), (sentence_id, start, end, _) in zip(spans, spans[1:]):
        text = raw[start:end].strip()
        if sentence_id in found or len(QUOTE_MARKS.findall(text)) != 2:
            continue
        if not (QUOTE_MARKS.match(text) and QUOTE_MARKS.search(text[-2:])):
            continue
        rows = found.get(previous, [])
        if len(rows) == 1 and rows[0][2] in ("direct", "continued"):
            found[sentence_id] = [(rows[0][0], "", "continued")]


def _echoed_quotations(raw: str, spans, found, run: int = 4) -> None:
    """A sentence that is one whole quotation with no speaker (a headline's quote) is the words of
    the speaker of a sentence that repeats ``run`` or more of its words in a row ("direct")."""
    def grams(start, end):
        words = re.findall(r"\w+", raw[start:end].lower())
        return {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}

    attributed = [(sentence_id, start, end) for sentence_id, start, end, _ in spans
                  if len(found.get(sentence_id, [])) == 1 and found[sentence_id][0][2] != "continued"]
    if not attributed:
        return
    for sentence_id, start, end, _ in spans:
        text = raw[start:end].strip().rstrip(".!?")
        if sentence_id in found or len(QUOTE_MARKS.findall(text)) != 2 or not (
                QUOTE_MARKS.match(text) and QUOTE_MARKS.match(text[-1])):
            continue
        words = grams(start, end)
        source = next((i for i, a, b in attributed if words & grams(a, b)), None)
        if source is not None:
            found[sentence_id] = [(found[source][0][0], "", "direct")]

