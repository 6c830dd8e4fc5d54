"""Related reading on known answers: a dossier built so a curator's choice is clear, plus settings and reasons."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.problems import ContentError
from dossier.site.nearest import _WORD, _count_words, _Vocabulary

from conftest import DOSSIER_YAML, assert_file_content, build_dossier, entry, write_dossier

KNOWN = """\
title: Bekannte Antworten
language: de
base_url: https://example.org/
themes:
  - {slug: krieg, title: Krieg}
  - {slug: drohnen, title: Drohnen}
  - {slug: munition, title: Munition}
entities:
  - {name: Shahed-136, kind: other, aliases: [Geran-2]}
  - {name: Alabuga, kind: place}
  - {name: Rajin, kind: place}
  - {name: Wladimir Putin, kind: person, aliases: [Putin]}
"""

FILLER = "Der Krieg geht weiter, die Lage bleibt unübersichtlich, Beobachter sind sich uneins."


def known_dossier(root):
    files = {}
    # three reports on Iranian drones and their production
    files["entries/d1.md"] = entry("Shahed-Drohnen erreichen Russland", "2022-08-29", "[krieg, drohnen]", "entities: [Shahed-136, Putin]\ntags: [iran]\n", "Die ersten Shahed-Drohnen aus Iran sind angekommen; Tests zeigten Fehlfunktionen.\n")
    files["entries/d2.md"] = entry("Erste Shahed über der Ukraine abgeschossen", "2022-09-13", "[krieg, drohnen]", "entities: [Geran-2]\ntags: [iran]\n", "Eine Shahed-Drohne wurde bei Kupjansk abgeschossen, Trümmer zeigen iranische Bauteile.\n")
    files["entries/d3.md"] = entry("Drohnenfabrik in Alabuga", "2023-06-09", "[krieg, drohnen]", "entities: [Shahed-136, Alabuga]\ntags: [iran, produktion]\n", "In Alabuga sollen Shahed-Drohnen in Serie gebaut werden.\n")
    # three reports on shells shipped from Rajin
    files["entries/m1.md"] = entry("Granaten aus Nordkorea", "2022-09-05", "[krieg, munition]", "entities: [Rajin]\ntags: [artillerie]\n", "Munition aus Nordkorea wird über den Hafen Rajin verschifft, Artilleriegranaten in großer Zahl.\n")
    files["entries/m2.md"] = entry("Container aus Rajin", "2023-10-13", "[krieg, munition]", "entities: [Rajin]\ntags: [artillerie, logistik]\n", "Mehr als tausend Container mit Artilleriegranaten verließen Rajin.\n")
    files["entries/m3.md"] = entry("Granaten an der Front", "2024-01-04", "[krieg, munition]", "tags: [artillerie]\n", "Nordkoreanische Artilleriegranaten tauchen an der Front auf, viele Blindgänger.\n")
    # many entries that share only the common theme (and a very common entity) with everything
    for n in range(12):
        files[f"entries/k{n:02d}.md"] = entry(f"Lagebericht {n}", f"2022-{(n % 12) + 1:02d}-15", "[krieg]", "entities: [Putin]\n", f"{FILLER} Bericht Nummer {n}.\n")
    write_dossier(root, files, dossier_yaml=KNOWN)


def related_of(root, slug: str) -> list[str]:
    page = HTMLParser((root / f"site/entries/{slug}/index.html").read_text("utf-8"))
    return [a.attributes["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.css("#related-heading ~ ul.related a")]


@pytest.mark.parametrize("slug,expected", [("d1", {"d2", "d3"}), ("d2", {"d1", "d3"}), ("d3", {"d1", "d2"}), ("m1", {"m2", "m3"}), ("m2", {"m1", "m3"}), ("m3", {"m1", "m2"})])
def test_a_curators_picks_rank_in_the_top_five(in_tmp, slug, expected):
    known_dossier(in_tmp)
    build_dossier(in_tmp)
    top = related_of(in_tmp, slug)
    assert len(top) == 5
    assert expected <= set(top[:3]), top


def test_a_rare_entity_outranks_a_common_theme(in_tmp):
    files = {
        "entries/target.md": entry("Ziel", "2022-05-01", "[one]", "entities: [Seltenes Ding]\n", "Alpha.\n"),
        # same day, same (very common) theme, nothing else
        "entries/same-theme.md": entry("Gleiches Thema", "2022-05-01", "[one]", "", "Beta.\n"),
        # two years earlier, another theme, but the rare entity
        "entries/rare.md": entry("Seltenes", "2020-01-01", "[two]", "entities: [Seltenes Ding]\n", "Gamma.\n"),
    }
    files.update({f"entries/f{n}.md": entry(f"Füller {n}", f"2021-0{n + 1}-01", "[one]", "", f"Delta {n}.\n") for n in range(8)})
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    top = related_of(in_tmp, "target")
    assert "same-theme" in top and top.index("rare") < top.index("same-theme")


def test_reasons_are_given_in_the_readers_words(in_tmp):
    known_dossier(in_tmp)
    build_dossier(in_tmp)
    page = HTMLParser((in_tmp / "site/entries/d3/index.html").read_text("utf-8"))
    reasons = {li.css_first("a").attributes["href"].rstrip("/").rsplit("/", 1)[-1]: li.css_first(".why").text() for li in page.css("#related-heading ~ ul.related li")}
    assert reasons["d1"].startswith("gemeinsam: Shahed-136")
    assert "iran" in reasons["d1"]


def test_curator_picks_come_first_then_computed_up_to_the_count(in_tmp):
    known_dossier(in_tmp)
    write_dossier(in_tmp, {"entries/d1.md": entry("Shahed-Drohnen erreichen Russland", "2022-08-29", "[krieg, drohnen]", "entities: [Shahed-136]\nrelated: [m3, k03]\n")}, dossier_yaml=KNOWN + "related:\n  count: 3\n")
    build_dossier(in_tmp)
    top = related_of(in_tmp, "d1")
    assert top[:2] == ["m3", "k03"] and len(top) == 3
    assert_file_content(in_tmp / "site/entries/d1/index.html", "Empfehlung der Redaktion")


def test_ties_break_by_date_then_slug_and_output_is_stable(in_tmp):
    files = {f"entries/t{n}.md": entry("Gleich", "2022-05-05", "[one]", "tags: [gleich]\n", "Gleich.\n") for n in range(7)}
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    assert related_of(in_tmp, "t3") == ["t0", "t1", "t2", "t4", "t5"]
    first = (in_tmp / "site/entries/t3/index.html").read_bytes()
    build_dossier(in_tmp)
    assert (in_tmp / "site/entries/t3/index.html").read_bytes() == first


def test_further_reading_is_shown_and_validated(in_tmp):
    good = "further_reading:\n  - {title: UN-Bericht, url: 'https://www.un.org/x', source: Vereinte Nationen}\n"
    write_dossier(in_tmp, {"entries/a.md": entry(extra=good)})
    build_dossier(in_tmp)
    assert_file_content(in_tmp / "site/entries/a/index.html", "Weitere Quellen", 'href="https://www.un.org/x"', "Vereinte Nationen")
    bad = "further_reading:\n  - {title: X, url: 'javascript:alert(1)'}\n  - {url: 'https://example.org'}\n"
    write_dossier(in_tmp, {"entries/a.md": entry(extra=bad)})
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    assert [str(p) for p in raised.value.problems] == [
        'content/entries/a.md:9: field "further_reading.url": expected an http or https URL, found "javascript:alert(1)"',
        'content/entries/a.md:10: missing required field "further_reading.title"',
    ]


def test_related_settings_are_validated(in_tmp):
    settings = "related:\n  count: -1\n  weights: {entities: many, colour: 1}\n"
    write_dossier(in_tmp, {"entries/a.md": entry()}, dossier_yaml=DOSSIER_YAML + settings)
    with pytest.raises(ContentError) as raised:
        build_dossier(in_tmp)
    assert [str(p) for p in raised.value.problems] == [
        'content/dossier.yaml:19: field "related.count": expected a whole number of at least 0, found the number -1',
        'content/dossier.yaml:20: unknown field "related.weights.colour"; expected one of: entities, themes, tags, text, date',
        'content/dossier.yaml:20: field "related.weights.entities": expected a number, found "many"',
    ]


def test_theme_pages_list_related_themes(in_tmp):
    known_dossier(in_tmp)
    build_dossier(in_tmp)
    page = HTMLParser((in_tmp / "site/themes/drohnen/index.html").read_text("utf-8"))
    items = [li.text() for li in page.css(".related-themes li")]
    assert items[0].startswith("Krieg") and "3 gemeinsame Einträge" in items[0]
    assert all("Munition" not in item for item in items)


# Casefolding that changes length (ß, ligatures, İ), letters beyond the first plane, digits and underscores
# inside words, marks that fold to letters (U+0345), words of two letters and words at a text's edges.
TRICKY = ["Straße STRASSE strasse", "İstanbul ǅemal ŉabc ΐΐΐ ᾳᾳᾳ a\u0345bc", "ﬃ ﬁnanz Ⓐⓑⓒ ½½½ x²yz", "𝔘𝔫𝔦 𐐀𐐁𐐂 𐐨𐐩𐐪", "ab c4de f_gh ijk", "", "Ende"]


def counted_words(texts: list[str]) -> set[tuple[int, int, int]]:
    """Return related reading's word counts of `texts` (as titles) as (text, word id in order of first use, count)."""
    vocabulary = _Vocabulary()
    rows, ids, counts = _count_words([SimpleNamespace(title=t, summary="", quotes=(), notes_html="") for t in texts], 0, len(texts), vocabulary)
    first_use = np.argsort(np.argsort(vocabulary.first_use(), kind="stable"))
    return set(zip(rows.tolist(), first_use[ids].tolist(), counts.tolist()))


def pattern_words(texts: list[str]) -> set[tuple[int, int, int]]:
    """Return the same counts as Python's regex finds them in the casefolded texts."""
    ids: dict[str, int] = {}
    return {(i, ids.setdefault(word, len(ids)), k) for i, t in enumerate(texts) for word, k in Counter(_WORD.findall(" ".join([t, "", "", "\n"]).casefold())).items()}


def test_words_are_counted_as_the_word_pattern_finds_them():
    assert counted_words(TRICKY) == pattern_words(TRICKY)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), min_size=1, max_size=6))
def test_words_are_counted_as_the_word_pattern_finds_them_in_any_text(texts):
    assert counted_words(texts) == pattern_words(texts)
