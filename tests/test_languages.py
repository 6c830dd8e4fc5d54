"""Every reader's language: complete message tables, plural forms, right-to-left, and the curator's own strings."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from conftest import ROOT, build_dossier, entry, write_dossier
from dossier.content.dates import parse_partial_date
from dossier.pages.i18n import Messages, available_languages, message_table

MESSAGES = ROOT / "dossier" / "pages" / "messages"
LANGUAGES = ("de", "en", "uk", "ru", "fr", "es", "pl", "ar")


def used_keys() -> tuple[set[str], set[str]]:
    """Return the quoted words of the templates and the engine's code, and the prefixes of keys they build
    (`'status_' ~ status.value`, `"change_" + kind`)."""
    sources = [p.read_text("utf-8") for p in (ROOT / "templates").glob("*.html")]
    sources += [p.read_text("utf-8") for p in (ROOT / "dossier").rglob("*.py")]
    words = {word for text in sources for word in re.findall(r"""['"]([a-z_]+)['"]""", text)}
    prefixes = {prefix for text in sources for prefix in re.findall(r"""['"]([a-z]+_)['"] *[~+]""", text)}
    prefixes |= {prefix for text in sources for prefix in re.findall(r"""f['"]([a-z_]+_)\{""", text)}
    return words, prefixes


def test_every_language_the_issue_names_has_a_table():
    assert set(LANGUAGES) <= set(available_languages())


@pytest.mark.parametrize("language", sorted(p.stem for p in MESSAGES.glob("*.yaml")))
def test_a_table_has_every_key_of_english_each_used_with_its_placeholders_and_plural_forms(language):
    english, table = message_table("en"), message_table(language)
    assert set(table) - set(english) == set(), "keys English does not have"
    assert set(english) - set(table) == set(), "keys missing"
    forms = set(Locale.parse(language).plural_form.tags) | {"other"}
    names = lambda text: set(re.findall(r"\{(\w+)\}", text))  # noqa: E731
    for key, text in english.items():
        theirs = table[key]
        if isinstance(text, dict):
            assert isinstance(theirs, dict) and set(theirs) == forms, (key, theirs)
            assert all(names(form) <= names(text["other"]) | {"n"} for form in theirs.values()), key
        else:
            assert isinstance(theirs, str) and names(theirs) == names(text), (key, theirs)


def test_every_key_of_the_english_table_is_used():
    words, prefixes = used_keys()
    unused = [key for key in message_table("en") if key not in words and not any(key.startswith(p) for p in prefixes)]
    assert unused == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sample_in_each_language(tmp_path, language):
    """The sample with the interface in `language`: no fallback, lang and dir, dates and plurals as Babel has them,
    and no interface string of another language's table."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    config = content / "dossier.yaml"
    config.write_text(config.read_text("utf-8").replace("language: de\n", f"language: {language}\n", 1), "utf-8")
    result = build_dossier(tmp_path, search=False)
    assert not [str(p) for p in result.warnings if "interface" in p.message or '"language"' in p.message]
    site = tmp_path / "site"
    home = HTMLParser((site / "index.html").read_text("utf-8"))
    html = home.css_first("html")
    assert html.attributes["lang"] == language
    assert html.attributes["dir"] == ("rtl" if language == "ar" else "ltr")
    t = Messages.for_language(language)
    locale = t.locale
    # A date of each precision, as Babel writes it for the locale.
    timeline = (site / "timeline" / "index.html").read_text("utf-8")
    for expected in (
        format_date(dt.date(2022, 9, 5), format="long", locale=locale),
        format_skeleton("yMMMM", dt.date(2022, 8, 1), locale=locale),
        format_date(dt.date(2022, 2, 24), format="long", locale=locale),
    ):
        assert expected in timeline, expected
    assert t.date(parse_partial_date("2022-08")) == format_skeleton("yMMMM", dt.date(2022, 8, 1), locale=locale)
    assert t.date(parse_partial_date("2011")) == "2011" and ">2011<" in timeline
    # Each plural form of a count, for a number that needs it; the sample's own count in the form its number takes.
    forms = {locale.plural_form(n): n for n in [*range(0, 112), 1_000_000, 1.5]}  # whole millions: French "many"; fractions: Slavic "other"
    assert set(forms) == set(locale.plural_form.tags) | {"other"}
    for form, n in forms.items():
        assert t("events_count", n=n) == t.table["events_count"][form].format(n=n)
    events = int(HTMLParser(timeline).css_first("#timeline-count").attributes["data-total"])
    assert t("events_count", n=events) in timeline
    # No interface string of another language's table that this one does not share, on any page kind (the
    # sample's content is German: its words are left out by reading only what the templates write around it).
    ours = _strings(language)
    kinds = ["index.html", "timeline/index.html", "entries/newsde-nordkorea-geschosse/index.html", "events/munitionskauf-nordkorea/index.html",
             "about/index.html", "changes/index.html", "sources/index.html", "entities/index.html", "print/index.html"]  # fmt: skip
    shown = {text for kind in kinds for text in _interface_texts(site / kind)}
    for other in LANGUAGES:
        if other != language:
            foreign = (_strings(other) - ours) & shown
            assert not foreign, (other, sorted(foreign)[:5])


def _strings(language: str) -> set[str]:
    """Return the texts of a table without placeholders, the plural forms' included."""
    texts = [t for value in message_table(language).values() for t in (value.values() if isinstance(value, dict) else [value])]
    return {t for t in texts if "{" not in t}


def _interface_texts(page) -> set[str]:
    """Return the texts of a page's elements that the templates label: headings, labels, navigation, buttons."""
    tree = HTMLParser(page.read_text("utf-8"))
    selectors = "h1, h2, h3, dt, nav a, nav p, button, label, .kicker, .small, .change-kind, footer a, .status"
    return {node.text(strip=True) for node in tree.css(selectors)} | {node.attributes.get("aria-label") or "" for node in tree.css("[aria-label]")}


def test_an_arabic_entry_in_a_german_dossier_runs_right_to_left(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry(extra="language: ar\n"), "entries/b.md": entry(title="Deutsch", date="2022-09-07")})
    build_dossier(in_tmp, search=False)
    page = HTMLParser((in_tmp / "site/entries/a/index.html").read_text("utf-8"))
    assert page.css_first("html").attributes["dir"] == "ltr"
    article = page.css_first("article.entry")
    assert (article.attributes["lang"], article.attributes["dir"]) == ("ar", "rtl")
    card = HTMLParser((in_tmp / "site/index.html").read_text("utf-8")).css_first('article.card[lang="ar"]')
    assert card is not None and card.attributes["dir"] == "rtl"
    other = HTMLParser((in_tmp / "site/entries/b/index.html").read_text("utf-8")).css_first("article.entry")
    assert "dir" not in other.attributes


def test_a_curator_overrides_strings_and_completes_a_language_not_shipped(in_tmp):
    from conftest import DOSSIER_YAML

    swedish = DOSSIER_YAML.replace("language: de\n", "language: sv\n") + (
        "messages:\n  nav_home: Översikt\n  entries_count: {one: \"{n} post\", other: \"{n} poster\"}\n  nav_themez: Teman\n"
    )
    write_dossier(in_tmp, {"entries/a.md": entry()}, swedish)
    result = build_dossier(in_tmp, search=False)
    warnings = [str(p) for p in result.warnings]
    assert 'content/dossier.yaml:21: warning: field "messages.nav_themez": no interface string has this key (did you mean "nav_themes"?); it is not used' in warnings
    missing = next(w for w in warnings if '"language"' in w)
    assert missing.startswith('content/dossier.yaml:3: warning: field "language": no interface strings for "sv" yet: ')
    assert f"{len(message_table('en')) - 2} of {len(message_table('en'))} are in English" in missing
    home = (in_tmp / "site/index.html").read_text("utf-8")
    assert ">Översikt<" in home and "1 post" in home


def test_a_string_with_a_placeholder_it_cannot_fill_is_an_error(in_tmp):
    from conftest import DOSSIER_YAML

    from dossier.problems import ContentError

    write_dossier(in_tmp, {"entries/a.md": entry()}, DOSSIER_YAML + 'messages:\n  entry_by: "von {writer}"\n')
    with pytest.raises(ContentError) as caught:
        build_dossier(in_tmp, search=False)
    assert [str(p) for p in caught.value.problems if not p.warning] == [
        'content/dossier.yaml:19: field "messages.entry_by": {writer} is not filled in here; this string can use {author}'
    ]


def test_the_tables_are_tidy_yaml():
    for path in MESSAGES.glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text("utf-8")), dict), path
