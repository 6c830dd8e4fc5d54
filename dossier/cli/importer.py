"""Turn a saved article page into the skeleton of an entry: its metadata, never its words.

The curator writes the summary and notes; the importer only spares them copying the title, date
and source by hand. The article's text is read for one purpose, to find the dossier's declared
entities it names, and none of it is written into the entry: a dossier publishes its own words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import trafilatura
from babel import Locale, UnknownLocaleError
from trafilatura.utils import load_html

from ..content.slugs import make_slug
from ..model import Dossier
from ..urls import is_web_url
from .skeleton import yaml_scalar

# Longer file names are hard to read in a folder listing; the curator may still rename the file.
MAX_SLUG = 60

NOTES_PLACEHOLDER = "[//]: # (TODO write your notes on the article here, in Markdown; this line shows nowhere.)\n"


class ArticleError(Exception):
    """The page cannot become an entry; the message says why, for the curator."""


@dataclass(frozen=True, slots=True)
class Article:
    """What a saved page says about itself, as far as an entry needs it."""

    title: str
    """The headline."""
    date: dt.date | None
    """The day of publication, None when the page does not give it."""
    site: str | None
    """The publication's name, None when the page does not give it."""
    url: str | None
    """The canonical http or https address of the article."""
    author: str | None
    """Who wrote it, as the page names them (several are separated by `; `)."""
    language: str | None
    """BCP 47 code of the page, None when it declares none (or a code that is not one)."""


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """A new entry file for the curator to complete, and where it should go."""

    article: Article
    """The metadata the entry was made from."""
    slug: str
    """The suggested slug: the title made a slug in the dossier's language."""
    path: PurePosixPath
    """The suggested file, relative to the content folder: entries/<year>/<slug>.md."""
    entities: tuple[str, ...]
    """Declared names of the dossier's entities the article names, in dossier order."""
    text: str
    """The file's text: front matter to complete and a placeholder for the notes."""


def import_article(html: str | bytes, dossier: Dossier, today: dt.date) -> ImportedEntry:
    """Return the entry skeleton for the saved page `html`; raise ArticleError when it has no title.

    `html` may be the file's bytes: trafilatura then finds the encoding the page declares (or guesses
    it), as saved pages are not always UTF-8. `today` stands in for a publication date the page does
    not give (marked for checking).
    """
    article = read_article(html)
    entities = find_entities(_article_text(html, article.title), dossier)
    slug = _short_slug(make_slug(article.title, dossier.language))
    year = (article.date or today).year
    return ImportedEntry(
        article=article,
        slug=slug,
        path=PurePosixPath("entries", str(year), f"{slug}.md"),
        entities=entities,
        text=entry_text(article, dossier, entities, today),
    )


def read_article(html: str | bytes) -> Article:
    """Return the metadata of the saved page `html` (read offline); raise ArticleError without a title."""
    if not html.strip():
        raise ArticleError("the page is empty: expected the HTML of a saved article")
    # The extensive date search turns a bare year in the headline into 1 January of that year; an
    # entry dated by such a guess would look certain, so without a real date the curator is asked.
    meta = trafilatura.extract_metadata(html, extensive=False)
    title = _clean(meta.title)
    if title is None:
        raise ArticleError(
            "the page has no title: expected a <title>, an og:title meta tag or a JSON-LD headline; "
            "save the article's own page rather than a print view or a fragment"
        )
    url = meta.url if meta.url and is_web_url(meta.url) else None
    return Article(
        title=title,
        date=_date(meta.date),
        site=_clean(meta.sitename) or _host(url),
        url=url,
        author=_clean(meta.author),
        language=_page_language(html),
    )


def find_entities(text: str, dossier: Dossier) -> tuple[str, ...]:
    """Return the declared names of the dossier's entities whose name or an alias `text` contains.

    Names match as whole words regardless of case, so "Iran" is not found in "Iranian"; names made
    of several words match across any whitespace, as a line break may fall between them.
    """
    found = []
    for entity in dossier.entities:
        for label in (entity.name, *entity.aliases):
            words = [re.escape(word) for word in label.split()]
            if words and re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text, re.IGNORECASE):
                found.append(entity.name)
                break
    return tuple(found)


def entry_text(article: Article, dossier: Dossier, entities: tuple[str, ...], today: dt.date) -> str:
    """Return the text of a new entry file for `article`, with TODO comments where the curator must write.

    The summary and themes are left empty on purpose: the build rejects an entry without them, so
    an imported entry cannot be published before the curator has written about it.
    """
    lines = ["---", f"title: {yaml_scalar(article.title)}"]
    if article.date is not None:
        lines.append(f"date: {article.date.isoformat()}")
    else:
        lines.append(f"date: {today.isoformat()}  # TODO check: the page gives no date; this is the day of the import")
    lines.append("source:")
    if article.site is not None:
        lines.append(f"  name: {yaml_scalar(article.site)}")
    else:
        lines.append('  name: ""  # TODO name the publication: the page gives neither its name nor its address')
    if article.url is not None:
        lines.append(f"  url: {yaml_scalar(article.url)}")
    if article.author is not None:
        lines.append(f"  author: {yaml_scalar(article.author)}")
    language = _entry_language(article.language, dossier.language)
    if language is not None:
        lines.append(f"language: {yaml_scalar(language)}")
    lines.append('summary: ""  # TODO write your own summary')
    slugs = ", ".join(theme.slug for theme in dossier.themes)
    lines.append(f"themes: []  # TODO one or more of: {slugs}")
    if entities:
        lines.append("entities:")
        lines.extend(f"  - {yaml_scalar(name)}" for name in entities)
    else:
        lines.append("entities: []  # the article names none of the entities in dossier.yaml")
    lines.extend(["status: reported", "---"])
    return "\n".join(lines) + "\n" + NOTES_PLACEHOLDER


def _article_text(html: str | bytes, title: str) -> str:
    """Return the title and main text of the page, without navigation, comments or boilerplate."""
    extracted = trafilatura.bare_extraction(html, include_comments=False, include_tables=True)
    body = getattr(extracted, "text", None) or ""  # None when the page has no main text to speak of
    return f"{title}\n{body}"


def _clean(value: str | None) -> str | None:
    """Return `value` on one line with single spaces, None when nothing is left."""
    text = " ".join((value or "").split())
    return text or None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _host(url: str | None) -> str | None:
    """Return the host of `url` without `www.`, to name a publication the page does not name."""
    if url is None:
        return None
    return (urlsplit(url).hostname or "").removeprefix("www.") or None


def _page_language(html: str | bytes) -> str | None:
    """Return the page's declared language: `<html lang>`, else og:locale, else Content-Language.

    trafilatura leaves `language` empty unless it guesses one from the text with an optional
    package; the page's own declaration is more reliable and costs nothing.
    """
    tree = load_html(html)
    if tree is None:
        return None
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath('//meta[@property="og:locale"]/@content')
    candidates += [
        meta.get("content") for meta in tree.iter("meta") if (meta.get("http-equiv") or "").lower() == "content-language"
    ]
    for candidate in candidates:
        tag = _language_tag(candidate)
        if tag is not None:
            return tag
    return None


def _language_tag(value: str | None) -> str | None:
    """Return `value` as a canonical BCP 47 code (`en_gb` -> `en-GB`), None when it is not one."""
    text = (value or "").strip().replace("_", "-")
    if not text:
        return None
    try:
        locale = Locale.parse(text, sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    return "-".join(part for part in (locale.language, locale.script, locale.territory, locale.variant) if part)


def _entry_language(page: str | None, dossier: str) -> str | None:
    """Return the entry's `language`: the page's, unless it is the dossier's language (regional variants included)."""
    if page is None or page.split("-")[0].lower() == dossier.split("-")[0].lower():
        return None
    return page


def _short_slug(slug: str) -> str:
    """Return `slug` cut after a whole word to at most MAX_SLUG characters."""
    if len(slug) <= MAX_SLUG:
        return slug
    return slug[: MAX_SLUG + 1].rsplit("-", 1)[0] or slug[:MAX_SLUG]
