"""Regenerate the project's compact actor files from the Phoenix/PETRARCH2 dictionaries.

    python tools/build_actors.py PETRARCH2_DICTIONARY_FOLDER [--out src/diplotext/data/actors]

Reads ``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt`` and
``Phoenix.agents.txt`` (TABARI format: a name line, ``+`` lines for other spellings, then
``[CODE start-end]`` date-ranged CAMEO codes) and writes ``actors.tsv`` and ``agents.tsv``.
Country names and ISO 3166 alpha-3 codes come from ``pycountry``; the spellings in a country's
block that are not the country's own (its cities and provinces) become places of that country.
The output is sorted and deterministic: rerunning on the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pycountry

# Short names where pycountry's official form is not what news writes.
SHORT_NAMES = {"RUS": "Russia", "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
               "PSE": "Palestine", "FSM": "Micronesia", "GBR": "United Kingdom", "CZE": "Czech Republic"}
# Words that make a dated entry an organisation rather than a person.
ORG_WORDS = set("""ARMY FORCES FORCE MINISTRY PARTY COUNCIL COMMITTEE COMMISSION ASSEMBLY PARLIAMENT
CONGRESS COURT BANK AGENCY UNION ORGANIZATION ORGANISATION FRONT MOVEMENT GOVERNMENT POLICE
OFFICE DEPARTMENT SERVICE SERVICES GUARD NAVY CORPS LEAGUE ASSOCIATION FEDERATION INSTITUTE
UNIVERSITY COMPANY CORPORATION GROUP FUND PROGRAMME PROGRAM BUREAU AUTHORITY CABINET SENATE
DUMA CHAMBER MISSION FOUNDATION REPUBLIC KINGDOM ALLIANCE BRIGADE BRIGADES REGIME""".split())
# Role words kept from Phoenix aliases such as PRESIDENT_XI_JINPING (the stage strips them too).
ROLE_WORDS = ("PRIME MINISTER", "FOREIGN MINISTER", "DEFENSE MINISTER", "DEFENCE MINISTER", "PRESIDENT",
              "VICE PRESIDENT", "PREMIER", "CHANCELLOR", "KING", "QUEEN", "SECRETARY OF STATE",
              "SECRETARY-GENERAL", "SECRETARY GENERAL", "AMBASSADOR", "SPOKESMAN", "SPOKESWOMAN", "CHAIRMAN")
TITLE_NOUNS = {"SECRETARY", "MINISTER", "AMBASSADOR", "PRESIDENT", "SPOKESMAN", "SPOKESWOMAN", "ENVOY",
               "CHAIRMAN", "PREMIER", "CHANCELLOR", "REPRESENTATIVE"}
PERSON_AGENTS = re.compile(r"~(GOV|ELI|MIL|LEG|JUD|SPY|DIP|OPP|MED|IGO)")
CODE = re.compile(r"\[([^\]\s]*)\s*([^\]]*)\]")


def clean(name: str) -> str:
    """A Phoenix name (``SERGEY_V._LAVROV_``) as words (``SERGEY V. LAVROV``)."""
    name = name.split("#")[0].strip().lstrip("+").replace("_", " ")
    return " ".join(name.split())


ACRONYMS: set[str] = set()  # single-word names of organisations that spell another of their names


def title_case(name: str, acronyms: bool = False) -> str:
    """Phoenix upper case as a name is written; with ``acronyms``, short words stay upper (NATO)."""
    words = []
    for word in name.split():
        low = word.lower()
        if word in ACRONYMS:
            words.append(word)
            continue
        if low in {"of", "the", "and", "for", "de", "da", "del", "al", "bin", "van", "von", "on"} and words:
            words.append(low)
        elif re.fullmatch(r"[A-Z]\.([A-Z]\.)*", word) or (len(word) <= 4 and not re.search(r"[AEIOUY]", word)) or (
                acronyms and len(name.split()) == 1 and len(word) <= 5 and word.isalpha()):
            words.append(word)  # initials and acronyms stay as they are (U.S., NPC)
        else:
            words.append("-".join(part[:1] + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def date(text: str) -> str:
    if len(text) == 6:  # YYMMDD: the dictionaries use two-digit years before 2000 mostly
        century = "20" if int(text[:2]) <= 20 else "19"
        text = century + text
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else ""


def periods(codes: list[tuple[str, str]]) -> list[str]:
    """``CODE:start:end`` strings (ISO dates, empty when open)."""
    out = []
    for code, span in codes:
        span = span.strip()
        start = end = ""
        if span.startswith(">"):
            start = date(span[1:])
        elif span.startswith("<"):
            end = date(span[1:])
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = date(a), date(b)
        out.append(f"{code}:{start}:{end}")
    return out


def read_actor_file(path: Path) -> list[dict]:
    """Entries ``{names: [...], codes: [(code, span)], comment}`` in file order."""
    entries: list[dict] = []
    current = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body = line.split("#")[0]
        codes = [(m.group(1), m.group(2)) for m in CODE.finditer(body)]
        name_part = CODE.sub("", body).strip()
        if line[0] in " \t" and not name_part:  # an indented code line
            if current is not None:
                current["codes"] += codes
            continue
        if name_part.startswith("+"):
            if current is not None:
                current["names"].append(clean(name_part))
                current["codes"] += codes
            continue
        name = clean(name_part)
        if not name:
            continue
        current = {"names": [name], "codes": codes, "comment": line.split("#", 1)[1] if "#" in line else ""}
        entries.append(current)
    # A name line with no codes at all spells the entry before it ("UN_ [IGOUNO]" then "U.N._").
    merged: list[dict] = []
    for entry in entries:
        if not entry["codes"] and merged and len(entry["names"]) == 1:
            merged[-1]["names"] += entry["names"]
        else:
            merged.append(entry)
    return [e for e in merged if e["codes"]]


def initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w not in {"OF", "THE", "AND", "FOR"})


def is_country_spelling(alias: str, names: list[str]) -> bool:
    """Is ``alias`` a spelling of the country (``CHINESE`` of CHINA, ``U.S.`` of UNITED STATES)?"""
    bare = alias.replace(".", "").replace(" ", "")
    for name in names:
        if bare and bare in {initials(name), initials(name) + "A"}:
            return True
        words = [w for w in name.split() if len(w) >= 4 and w not in {"REPUBLIC", "STATE", "STATES", "UNITED", "PEOPLE'S", "DEMOCRATIC", "FEDERATION", "ISLAMIC", "KINGDOM"}]
        head = alias.split()[0] if alias.split() else ""
        if any(head[:4] == w[:4] and len(head) >= 4 for w in words) and not any(
                part in ORG_WORDS for part in alias.split()):
            return True
    return False


def iso_code(entry: dict) -> str | None:
    """The ISO 3166 alpha-3 code of a country's block: its latest bare three-letter code
    (Ukraine's block opens with the Soviet republic's USRUKR, then UKR)."""
    for code, _ in reversed(entry["codes"]):
        if re.fullmatch(r"[A-Z]{3}", code) and pycountry.countries.get(alpha_3=code):
            return code
    return None


def country_name(iso3: str, fallback: str) -> str:
    if iso3 in SHORT_NAMES:
        return SHORT_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return title_case(fallback)
    return getattr(country, "common_name", None) or (country.name if "," not in country.name else title_case(fallback))


def strip_role(name: str) -> tuple[str, str]:
    """``PRESIDENT XI JINPING`` -> (``XI JINPING``, ``president``)."""
    words = name.split()
    if words and pycountry_demonym(words[0]):
        words = words[1:]
    rest = " ".join(words)
    for role in sorted(ROLE_WORDS, key=len, reverse=True):
        if rest.startswith(role + " "):
            return rest[len(role) + 1 :], role.lower().replace("-", " ")
    return name, ""


_DEMONYMS: set[str] = set()


def pycountry_demonym(word: str) -> bool:
    return word in _DEMONYMS


def build(folder: Path) -> tuple[list[list[str]], list[list[str]]]:
    agents = read_agents(folder / "Phoenix.agents.txt")
    title_words = {w.upper() for phrase, _ in agents for w in phrase.split() if len(w) > 2}
    title_words |= {"MR", "MRS", "MS", "DR", "SENATOR", "FORMER", "ADMINISTRATION", "PRESIDENT-ELECT", "VICE-PRESIDENT"}
    rows: list[list[str]] = []
    countries = read_actor_file(folder / "Phoenix.Countries.actors.txt")
    country_codes = {}
    # A country's block is the one filed under its bare code ("RUSSIAN_FEDERATION_ [RUS]"); a
    # block that reaches the code only later (Ukraine's opens with the Soviet republic's USRUKR)
    # stands in where there is none.
    for first_only in (True, False):
        for entry in countries:
            code = iso_code(entry)
            if code and code not in country_codes and (entry["codes"][0][0] == code or not first_only):
                country_codes[code] = entry
    for code, entry in country_codes.items():
        country = pycountry.countries.get(alpha_3=code)
        own = [entry["names"][0], country.name.upper(), *(n.upper() for n in (getattr(country, "common_name", None),
                                                                           getattr(country, "official_name", None)) if n)]
        canonical = country_name(code, entry["names"][0])
        spellings, places = {canonical.upper(), country.name.upper()}, []
        for alias in entry["names"]:
            alias = re.sub(r"^THE ", "", alias).strip()
            if not alias or "(" in alias:
                continue
            if alias == entry["names"][0] or alias in own or alias == canonical.upper() or is_country_spelling(alias, own):
                spellings.add(alias)
                if alias.endswith(("AN", "ESE", "ISH", "I", "IC")) and " " not in alias:
                    _DEMONYMS.add(alias)
            else:
                places.append(alias)
        rows.append(["GPE", code, "", canonical, f"{code}::", "|".join(sorted(spellings)), ""])
        for place in places:
            rows.append(["GPE", code, code, title_case(place), f"{code}::", place, ""])
    for path in (folder / "Phoenix.Countries.actors.txt", folder / "Phoenix.International.actors.txt"):
        for entry in read_actor_file(path):
            names = [re.sub(r"^THE ", "", n) for n in entry["names"]]
            for short in names:
                if " " not in short and short.isalpha() and len(short) <= 5 and (
                        any(initials(n) == short for n in names if " " in n) or entry["codes"][0][0][:3] in ("IGO", "NGO")):
                    ACRONYMS.add(short)
    for path, default in ((folder / "Phoenix.Countries.actors.txt", None), (folder / "Phoenix.International.actors.txt", "ORG")):
        for entry in read_actor_file(path):
            if entry is country_codes.get(iso_code(entry)):
                continue
            if iso_code(entry) and path.name.startswith("Phoenix.Countries"):
                continue  # a second block for a country: its names are covered above
            head = entry["names"][0]
            dated = any(span.strip() for _, span in entry["codes"])
            org = any(word in ORG_WORDS for word in head.split()) or not dated
            kind = "ORG" if org else "PERSON"
            if kind == "ORG" and not any(w in ORG_WORDS for w in head.split()) and any(
                    w in TITLE_NOUNS for w in head.replace("-", " ").split()):
                continue  # an office, not an organisation ("US SECRETARY OF STATE"): the stage reads titles
            names, roles = set(), set()
            for alias in entry["names"]:
                alias = re.sub(r"^THE ", "", alias).strip()
                if kind == "PERSON":
                    bare, role = strip_role(alias)
                    if role:
                        roles.add(role)
                    # Titles and surnames alone are found by the stage (titles stripped, surnames
                    # merged within the article), not looked up: "SENATOR KERRY" adds nothing.
                    if len(bare.split()) < 2 or any(w.rstrip(".") in title_words for w in bare.split()):
                        continue
                    alias = bare
                if alias:
                    names.add(alias)
            if not names:
                continue
            if kind == "PERSON":
                canonical = title_case(strip_role(re.sub(r"^THE ", "", head))[0])
            else:  # the name the entry is filed under, spelled out: "North Atlantic Treaty Organization", not "NATO"
                head_name = re.sub(r"^THE ", "", head)
                spelled = [n for n in sorted(names) if initials(n) == head_name.replace(".", "")]
                canonical = title_case(spelled[0] if " " not in head_name and spelled else head_name, acronyms=True)
            latest = entry["codes"][-1][0] or entry["codes"][0][0]
            if latest.startswith("MNC"):
                continue  # companies: rare in diplomatic news, and a third of the file
            country = latest[:3] if pycountry.countries.get(alpha_3=latest[:3]) else ""
            rows.append([kind, latest, country, canonical, " ".join(periods(entry["codes"])), "|".join(sorted(names)),
                         "|".join(sorted(roles))])
    return merge_duplicates(rows), agents


def read_agents(path: Path) -> list[list[str]]:
    """``[phrase, agent code]`` for the role words of people and institutions (GOV, MIL, DIP...)."""
    agents = []
    subs = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#")[0].strip()
        if m := re.fullmatch(r"!(\w+)!\s*=\s*(.+)", body):
            subs[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.fullmatch(r"(.+?)\s*(\{\})?\s*\[(~\w+)\]", body)
        if not m or not PERSON_AGENTS.match(m.group(3)):
            continue
        phrase = m.group(1).strip()
        variants = [phrase]
        for key, words in subs.items():
            if f"!{key}!" in phrase:
                variants = [v.replace(f"!{key}!", w) for v in variants for w in words]
        for v in variants:
            agents.append([" ".join(v.replace("_", " ").lower().split()), m.group(3)[1:]])
    return agents


def merge_duplicates(rows: list[list[str]]) -> list[list[str]]:
    """One row per (type, canonical): the dictionaries list some people in two blocks."""
    merged: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        key = (row[0], row[3].upper())
        if key not in merged:
            merged[key] = list(row)
            continue
        old = merged[key]
        for i in (4, 5, 6):
            sep = " " if i == 4 else "|"
            old[i] = sep.join(sorted(set(filter(None, old[i].split(sep) + row[i].split(sep)))))
        if not old[2]:
            old[2] = row[2]
    # An acronym listed on its own ("UN_ [IGOUNO]") joins the name it abbreviates, same code.
    rows = list(merged.values())
    by_code: dict[str, list[list[str]]] = {}
    for row in rows:
        if row[0] == "ORG":
            by_code.setdefault(row[1], []).append(row)
    dropped = set()
    for group in by_code.values():
        for short in group:
            forms = {n.replace(".", "").replace(" ", "") for n in short[5].split("|")}
            acronym = forms.pop()
            if forms or len(acronym) > 6:
                continue
            longer = [r for r in group if r is not short and any(initials(n) == acronym for n in r[5].split("|"))]
            if len(longer) == 1:
                longer[0][5] = "|".join(sorted(set(longer[0][5].split("|")) | {short[5]}))
                dropped.add(id(short))
    rows = [row for row in rows if id(row) not in dropped]
    # "UN SECURITY COUNCIL" is also written "UNITED NATIONS SECURITY COUNCIL".
    spelled = {}
    for row in rows:
        if row[0] == "ORG":
            names = row[5].split("|")
            for short in names:
                full = [n for n in names if " " in n and initials(n) == short.replace(".", "")]
                if " " not in short and full:
                    spelled[short] = full[0]
    for row in rows:
        if row[0] == "ORG":
            names = set(row[5].split("|"))
            for name in list(names):
                first, _, rest = name.partition(" ")
                if rest and first in spelled:
                    names.add(f"{spelled[first]} {rest}")
            row[5] = "|".join(sorted(names))
    # Entries of one code that share a spelling are one organisation ("U.N. SECURITY COUNCIL").
    owner: dict[tuple[str, str], list[str]] = {}
    kept = []
    for row in rows:
        if row[0] != "ORG":
            kept.append(row)
            continue
        names = row[5].split("|")
        other = next((owner[(row[1], n)] for n in names if (row[1], n) in owner), None)
        if other is None:
            kept.append(row)
            other = row
        else:
            other[5] = "|".join(sorted(set(other[5].split("|")) | set(names)))
            if "." in other[3] and "." not in row[3]:
                other[3] = row[3]
        for n in names:
            owner[(row[1], n)] = other
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "diplotext" / "data" / "actors")
    args = parser.parse_args()
    if not (args.folder / "Phoenix.Countries.actors.txt").is_file():
        print(f"error: {args.folder}: no Phoenix.Countries.actors.txt there", file=sys.stderr)
        return 2
    rows, agents = build(args.folder)
    rows.sort(key=lambda r: (r[0], r[3], r[1]))
    header = ["type", "cameo", "country", "canonical", "periods", "names", "roles"]
    with open(args.out / "actors.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    with open(args.out / "agents.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("phrase\tagent\n")
        for phrase, code in sorted(set(map(tuple, agents))):
            f.write(f"{phrase}\t{code}\n")
    print(f"{len(rows)} actors, {len(set(map(tuple, agents)))} agent phrases -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
