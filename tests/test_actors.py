"""The actor dictionary: what the compact files hold, and that the script rebuilds them."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from diplotext.actors import ACTORS_DIR, load_actors, name_key

# The original Phoenix dictionaries (petrarch2/data/dictionaries), when a copy is at hand.
ORIGINALS = Path(os.environ.get("PETRARCH2_DICTIONARIES", "") or "/nonexistent")


@pytest.fixture(scope="module")
def actors():
    return load_actors()


def test_countries_have_iso_codes_and_adjectives(actors):
    for name, canonical, code in [("Chinese", "China", "CHN"), ("U.S.", "United States", "USA"),
                                  ("US", "United States", "USA"), ("American", "United States", "USA"),
                                  ("Russian", "Russia", "RUS"), ("Ukrainian", "Ukraine", "UKR"),
                                  ("South Korea", "South Korea", "KOR")]:
        actor = actors.lookup(name)
        assert (actor.canonical, actor.cameo, actor.is_country) == (canonical, code, True), name


def test_capitals_are_places_with_their_country_code(actors):
    for city, code in [("Beijing", "CHN"), ("Moscow", "RUS"), ("Washington", "USA"), ("Kyiv", "UKR")]:
        actor = actors.lookup(city)
        assert (actor.type, actor.cameo, actor.is_country) == ("GPE", code, False), city


def test_people_have_dated_terms_without_titles_in_their_names(actors):
    lavrov = actors.lookup("Sergei Lavrov")
    assert lavrov.canonical == "Sergey Lavrov" and "foreign minister" in lavrov.roles
    assert lavrov.held_on(dt.date(2010, 1, 1))[0] == "RUSGOV"
    assert actors.lookup("Lavrov") is None  # a surname alone is merged within an article instead
    assert actors.lookup("President Xi Jinping") is None and actors.lookup("Xi Jinping").cameo == "CHNGOV"


def test_organisations_are_spelled_out_with_their_acronyms(actors):
    assert actors.lookup("NATO").canonical == "North Atlantic Treaty Organization"
    assert actors.lookup("UN").canonical == actors.lookup("United Nations").canonical == "United Nations"
    assert actors.lookup("Secretary of State") is None  # an office, not an organisation


def test_name_key_is_case_and_spelling_blind():
    assert name_key("Shanghai  Cooperation Organisation") == name_key("SHANGHAI COOPERATION ORGANIZATION")
    assert name_key("People\u2019s Republic") == "PEOPLE'S REPUBLIC"


def test_the_compact_files_stay_small():
    assert sum(path.stat().st_size for path in ACTORS_DIR.glob("*.tsv")) < 3_000_000
    assert (ACTORS_DIR / "LICENSE").read_text().startswith("The MIT License")


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="set PETRARCH2_DICTIONARIES to the original dictionaries' folder")
def test_the_script_rebuilds_the_committed_files(tmp_path):
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, str(root / "tools" / "build_actors.py"), str(ORIGINALS), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("actors.tsv", "agents.tsv"):
        assert (tmp_path / name).read_bytes() == (ACTORS_DIR / name).read_bytes(), name


def test_the_script_refuses_a_folder_without_dictionaries(tmp_path):
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "tools" / "build_actors.py"), str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error:") and "Traceback" not in done.stderr
