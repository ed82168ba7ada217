"""The corpus: the seed is unchanged byte for byte, with validated metadata."""

import datetime as dt
import hashlib

import pytest

from diplotext import InputError, load_article
from diplotext.corpus import SEED_ARTICLE, decode, parse_date


def test_seed_matches_the_sha256_in_its_metadata(seed):
    """The seed's metadata records the SHA-256 of the original file; the file still has it."""
    recorded = seed.meta["sha256"]
    assert recorded == "e6548f6a826f094c1d68670c60e8994b1d36cd3d1c1bf2f383947b94b32a5a36"
    assert hashlib.sha256(SEED_ARTICLE.read_bytes()).hexdigest() == recorded


def test_an_edited_article_is_refused_by_its_sha256(tmp_path):
    (tmp_path / "a.txt").write_bytes(SEED_ARTICLE.read_bytes().replace(b"Chinese official", b"Chinese officer", 1))
    (tmp_path / "a.yml").write_bytes(SEED_ARTICLE.with_suffix(".yml").read_bytes())
    with pytest.raises(InputError, match="do not match the sha256 in a.yml"):
        load_article(tmp_path / "a.txt")
    (tmp_path / "a.yml").write_text("title: null\nsource: X\nlanguage: en\npublished: null\n"
                                    "published_basis: unknown\nsha256: E6548F6A\n", encoding="utf-8")
    with pytest.raises(InputError, match="field 'sha256' must be 64 lower-case hexadecimal digits"):
        load_article(tmp_path / "a.txt")


def test_seed_metadata(seed):
    assert seed.meta["title"] is None and "headline" in seed.meta["title_note"]
    assert seed.meta["source"] == "Beijing Comprehensive News"
    assert seed.meta["language"] == "en"
    assert "Machine-translated from Chinese" in seed.meta["translation"]
    assert seed.published == dt.date(2022, 9, 14)
    assert seed.meta["published_basis"] == "inferred"
    assert seed.meta["published_range"] == ["2022-09-12", "2022-09-14"]
    assert "on the 12th" in seed.meta["published_reasoning"]


def test_seed_text_is_decoded_unchanged(seed):
    assert seed.raw == SEED_ARTICLE.read_bytes().decode("utf-8")
    assert seed.raw.startswith("(Beijing Comprehensive News) Chinese official")
    assert len(seed.raw) == 2419


def test_published_override(tmp_path):
    article = load_article(SEED_ARTICLE, published="2022-09-13")
    assert article.published == dt.date(2022, 9, 13)
    assert article.meta["published_basis"] == "stated"
    assert load_article(SEED_ARTICLE).published == dt.date(2022, 9, 14)  # the file is not changed


def test_article_without_metadata_has_no_date(tmp_path):
    path = tmp_path / "bare.txt"
    path.write_text("Talks were held.", encoding="utf-8")
    article = load_article(path)
    assert article.published is None
    assert article.meta["published_basis"] == "unknown"


@pytest.mark.parametrize("value", ["2022-02-29", "2022-13-01", "22-09-14", "", "2022-09-14T10:00"])
def test_parse_date_refuses(value):
    with pytest.raises(InputError, match="invalid date"):
        parse_date(value)


def test_decode_strictness():
    assert decode(b"\xef\xbb\xbfabc") == ("abc", "utf-8")
    assert decode("abc".encode("utf-16")) == ("abc", "utf-16")
    with pytest.raises(InputError, match="not valid UTF-8"):
        decode("d\u00e9j\u00e0".encode("latin-1"))
    with pytest.raises(InputError, match="binary"):
        decode(b"ab\x00cd")
