"""`import FILE.html`: saved article pages in tests/fixtures/import/ become entry skeletons."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from dossier.cli.importer import Article, ArticleError, find_entities, import_article
from dossier.content.config import load_dossier
from dossier.content.load import ContentUrls, load_content
from dossier.model import Dossier
from dossier.problems import Problems

from conftest import write_dossier

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = dt.date(2025, 1, 2)


@pytest.fixture
def dossier(in_tmp) -> Dossier:
    """The test dossier of conftest.py: German, themes one and two, Kim Jong-un and Pjöngjang declared."""
    problems = Problems()
    loaded = load_dossier(write_dossier(in_tmp, {}) / "dossier.yaml", problems)
    assert loaded is not None and not problems.items
    return loaded


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_german_page_with_open_graph_tags(dossier):
    imported = import_article(page("rheinische-tagespost.html"), dossier, TODAY)
    assert imported.article == Article(
        title='Analyse: Der "Containerweg" von Rajin nach Wladiwostok',
        date=dt.date(2023, 10, 14),
        site="Rheinische Tagespost",
        url="https://www.rheinische-tagespost.example/politik/containerweg-rajin-wladiwostok-100.html",
        author="Marlene Vogt",
        language="de",
    )
    assert imported.slug == "analyse-der-containerweg-von-rajin-nach-wladiwostok"
    assert str(imported.path) == "entries/2023/analyse-der-containerweg-von-rajin-nach-wladiwostok.md"
    # "Kim Jong Un" in the text is an alias of the declared "Kim Jong-un".
    assert imported.entities == ("Kim Jong-un", "Pjöngjang")
    # The page is in the dossier's language, so the entry has no `language`.
    assert imported.text == """\
---
title: 'Analyse: Der "Containerweg" von Rajin nach Wladiwostok'
date: 2023-10-14
source:
  name: Rheinische Tagespost
  url: https://www.rheinische-tagespost.example/politik/containerweg-rajin-wladiwostok-100.html
  author: Marlene Vogt
summary: ""  # TODO write your own summary
themes: []  # TODO one or more of: one, two
entities:
  - Kim Jong-un
  - Pjöngjang
status: reported
---
[//]: # (TODO write your notes on the article here, in Markdown; this line shows nowhere.)
"""


def test_english_page_with_json_ld(dossier):
    imported = import_article(page("harbour-ledger.html"), dossier, TODAY)
    assert imported.article == Article(
        title="Drone parts found in cargo manifests, researchers say",
        date=dt.date(2024, 3, 5),
        site="The Harbour Ledger",
        url="https://harbourledger.example/world/2024/03/drone-parts-cargo-manifests",
        author="Tom Ashcroft",
        language="en-GB",
    )
    assert str(imported.path) == "entries/2024/drone-parts-found-in-cargo-manifests-researchers-say.md"
    # Only the alias "Pyongyang" occurs; Kim is not named.
    assert imported.entities == ("Pjöngjang",)
    assert "\nlanguage: en-GB\n" in imported.text
    assert "\nentities:\n  - Pjöngjang\nstatus: reported\n" in imported.text


@pytest.mark.parametrize("name", ["rheinische-tagespost.html", "harbour-ledger.html"])
def test_no_words_of_the_article_reach_the_entry(dossier, name):
    html = page(name)
    text = import_article(html, dossier, TODAY).text
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.DOTALL)
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 20]
    assert len(sentences) >= 5
    for sentence in sentences:
        assert sentence not in text
    for description in re.findall(r'name="description" content="([^"]*)"', html):
        assert description not in text


def test_page_saved_in_another_encoding(dossier):
    html = page("rheinische-tagespost.html").replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    imported = import_article(html, dossier, TODAY)
    assert imported.article == import_article(page("rheinische-tagespost.html"), dossier, TODAY).article
    assert imported.entities == ("Kim Jong-un", "Pjöngjang")


def test_page_without_title_is_refused(dossier):
    with pytest.raises(ArticleError) as caught:
        import_article(page("untitled.html"), dossier, TODAY)
    assert str(caught.value) == (
        "the page has no title: expected a <title>, an og:title meta tag or a JSON-LD headline; "
        "save the article's own page rather than a print view or a fragment"
    )


def test_empty_page_is_refused(dossier):
    with pytest.raises(ArticleError, match="the page is empty"):
        import_article("  \n", dossier, TODAY)


def test_page_without_date_or_source_asks_the_curator(dossier):
    html = "<html lang='fr'><head><title>Yes: 2022</title></head><body><p>Un texte sans date ni source.</p></body></html>"
    imported = import_article(html, dossier, TODAY)
    assert imported.article == Article("Yes: 2022", None, None, None, None, "fr")
    assert str(imported.path) == "entries/2025/yes-2022.md"
    assert imported.text.startswith("""\
---
title: 'Yes: 2022'
date: 2025-01-02  # TODO check: the page gives no date; this is the day of the import
source:
  name: ""  # TODO name the publication: the page gives neither its name nor its address
language: fr
summary: ""  # TODO write your own summary
themes: []  # TODO one or more of: one, two
entities: []  # the article names none of the entities in dossier.yaml
status: reported
---
""")


def test_a_year_in_the_title_is_not_taken_for_the_date(dossier):
    html = "<html><head><title>Bilanz 2022</title></head><body><p>Ein Absatz.</p></body></html>"
    assert import_article(html, dossier, TODAY).article.date is None


def test_date_from_the_byline(dossier):
    html = "<html><head><title>Ein Bericht</title></head><body><p class='byline'>Von A. B., 14.10.2023</p><p>Text.</p></body></html>"
    assert import_article(html, dossier, TODAY).article.date == dt.date(2023, 10, 14)


def test_publication_named_by_its_host_when_the_page_names_none(dossier):
    html = (
        '<html lang="de"><head><title>Ein Bericht</title>'
        '<link rel="canonical" href="https://www.beispiel-zeitung.example/a/1"></head>'
        "<body><p>Ein Absatz.</p></body></html>"
    )
    article = import_article(html, dossier, TODAY).article
    assert (article.site, article.url) == ("beispiel-zeitung.example", "https://www.beispiel-zeitung.example/a/1")


def test_entities_match_whole_words_regardless_of_case(dossier):
    assert find_entities("Ein Besuch in PJÖNGJANG.", dossier) == ("Pjöngjang",)
    assert find_entities("Kim Jong\nUn reiste ab.", dossier) == ("Kim Jong-un",)
    assert find_entities("Pyongyangs Hafen; Kim Jong Unterberg", dossier) == ()


def test_completed_entry_passes_validation(dossier, in_tmp):
    imported = import_article(page("rheinische-tagespost.html"), dossier, TODAY)
    completed = imported.text.replace('summary: ""  # TODO write your own summary', "summary: Frachter pendeln.")
    completed = completed.replace("themes: []", "themes: [one]")
    write_dossier(in_tmp, {str(imported.path): completed})
    problems = Problems()
    content = load_content(
        in_tmp / "content", problems, base_url=None, drafts=False,
        urls=ContentUrls(lambda d, slug: f"/entries/{slug}/", lambda d, rel: "/" + rel),
    )  # fmt: skip
    assert content is not None, [str(p) for p in problems.items]
    assert not problems.items
    (entry,) = content.entries
    assert entry.title == 'Analyse: Der "Containerweg" von Rajin nach Wladiwostok'
    assert str(entry.date) == "2023-10-14"
    assert entry.source.name == "Rheinische Tagespost"
    assert entry.source.author == "Marlene Vogt"
    assert entry.language == "de"
    assert entry.entities == ("kim-jong-un", "pjoengjang")
    assert entry.themes == ("one",)
    # The notes placeholder renders to nothing, should the curator leave it in.
    assert entry.notes_html == ""


def test_uncompleted_entry_is_rejected_until_the_curator_writes(dossier, in_tmp):
    imported = import_article(page("harbour-ledger.html"), dossier, TODAY)
    write_dossier(in_tmp, {str(imported.path): imported.text})
    problems = Problems()
    load_content(
        in_tmp / "content", problems, base_url=None, drafts=False,
        urls=ContentUrls(lambda d, slug: f"/entries/{slug}/", lambda d, rel: "/" + rel),
    )  # fmt: skip
    path = "content/entries/2024/drone-parts-found-in-cargo-manifests-researchers-say.md"
    assert [str(p) for p in problems.items] == [
        f'{path}:9: field "summary": expected text, found an empty value',
        f'{path}:10: field "themes": expected at least one item, found an empty list',
    ]
