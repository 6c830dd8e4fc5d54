"""Citations of each entry's source article as BibTeX, RIS and CSL-JSON, for reference managers.

What is cited is the article an entry is about, not the dossier's page on it: the publication is the
container, its author the author, its publication date the date. The title cited is the article's own
headline (`source.title`) where the curator gave it, else the entry's; the language likewise
(`source.language`, else the entry's).

`source.author` is free text. It is read as a list of names separated by commas, semicolons, slashes,
`and`, `und` or `&` (`Jeff Mason, Steve Holland`, `dpa/AFP`). A name is taken for an organisation, and kept
whole rather than split into given and family name, when it is one word (`dpa`), a known news agency
(`Associated Press`) or contains a word such as `Redaktion` or `Staff`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..content.dates import PartialDate
from ..content.slugs import make_slug
from ..model import Entry, Site
from ..urls import entry_path
from .jsonfile import json_file

# Agencies credited as authors of news items; written out, so two-word ones are not read as a person.
_AGENCIES = frozenset(
    name.casefold()
    for name in (
        "Associated Press", "AP", "dpa", "Deutsche Presse-Agentur", "Reuters", "AFP", "Agence France-Presse",
        "epd", "KNA", "Bloomberg", "APA", "SDA", "Keystone-SDA", "ANSA", "EFE", "Interfax", "TASS", "Xinhua",
        "Yonhap", "Kyodo", "Kyodo News", "UPI", "Anadolu", "PTI", "Press Association", "PA Media",
    )
)  # fmt: skip
_ORGANISATION_WORDS = frozenset(
    ("redaktion", "staff", "newsroom", "agency", "agentur", "desk", "team", "bureau", "büro", "korrespondenten")
)
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;/]|\s(?:and|und|&)\s)\s*")

# Words a citation key skips, as reference managers do, so `The ...` does not give every key `the`.
_KEY_STOPWORDS = frozenset(
    "a an the of on in to for from with and or at by as is are "
    "der die das den dem des ein eine einen einem einer und oder im in am an auf aus bei mit von vom zu zum zur "
    "le la les un une des du de et el los las".split()
)  # fmt: skip

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def cited_title(entry: Entry) -> str:
    """Return the headline to cite: the article's own where given, else the entry's."""
    return entry.source.title or entry.title


def cited_language(entry: Entry) -> str:
    """Return the language to cite: the article's where given, else the entry's."""
    return entry.source.language or entry.language


def authors(entry: Entry) -> list[tuple[str, bool]]:
    """Return the source's authors as (name, is_organisation), in the order written."""
    if not entry.source.author:
        return []
    names = [name.strip() for name in _AUTHOR_SEPARATORS.split(entry.source.author)]
    return [(name, _is_organisation(name)) for name in names if name]


def _is_organisation(name: str) -> bool:
    words = name.casefold().split()
    return len(words) == 1 or name.casefold() in _AGENCIES or any(word in _ORGANISATION_WORDS for word in words)


def citation_key(entry: Entry) -> str:
    """Return the entry's citation key: source name, year and first significant title word (`newsde2022munition`).

    ASCII letters and digits only, so every BibTeX and LaTeX setup accepts it; a parenthesis in the source
    name (`Reuters (via Nasdaq)`) is left out, since it names where the article was read, not who wrote it.
    """
    source = _ascii_word(entry.source.name.split("(")[0], entry.language) or "source"
    words = (_ascii_word(word, entry.language) for word in re.split(r"[\s:]+", entry.title))
    first = next((word for word in words if word and word not in _KEY_STOPWORDS), "")
    return f"{source}{entry.date.year}{first}"


def _ascii_word(text: str, language: str) -> str:
    slug = make_slug(text, language)
    return "" if slug == "x" and text.strip().casefold() != "x" else slug.replace("-", "")


def citation_keys(entries: Iterable[Entry]) -> dict[str, str]:
    """Return each entry's citation key, unique across the dossier: a clash gets `a`, `b`, ... by date, then slug.

    Oldest first, so adding a newer entry never changes the key of one already cited.
    """
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.slug)):
        groups.setdefault(citation_key(entry), []).append(entry)
    keys = {}
    for key, entries in groups.items():
        for index, entry in enumerate(entries):
            keys[entry.slug] = key if len(entries) == 1 else key + _suffix(index)
    return keys


def _suffix(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# BibTeX counts braces even after a backslash, so `\{` would unbalance a field: braces become commands.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
    "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def bibtex_escape(text: str) -> str:
    """Return `text` safe inside a brace-delimited BibTeX field, whitespace collapsed to single spaces.

    Letters outside ASCII (ä, ß, ğ) stay as they are: the file is UTF-8, which biber and BibTeX with
    `inputenc` read. A straight `"` needs no escape inside braces.
    """
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    # URLs are verbatim in biblatex and hyperref, so `%` and `#` stay; only what would break the field goes.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def bibtex(entry: Entry, key: str | None = None) -> str:
    """Return the source article as a BibTeX `@article`, readable by BibTeX (journal, year, month) and biblatex (date).

    The title is wrapped in a second pair of braces so styles that lower-case titles leave German nouns
    and names alone.
    """
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(cited_title(entry)) + "}")]
    names = authors(entry)
    if names:
        fields.append(("author", " and ".join("{" + bibtex_escape(n) + "}" if org else bibtex_escape(n) for n, org in names)))
    fields += [("journal", bibtex_escape(entry.source.name)), ("date", entry.date.iso()), ("year", str(entry.date.year))]
    if entry.date.month:
        fields.append(("month", _MONTHS[entry.date.month - 1]))
    if entry.date.day:
        fields.append(("day", str(entry.date.day)))
    if entry.source.url:
        fields.append(("url", _bibtex_url(entry.source.url)))
    fields.append(("language", bibtex_escape(cited_language(entry))))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key or citation_key(entry)},\n{body}\n}}\n"


def ris_value(text: str) -> str:
    """Return `text` on one line: RIS has no escapes, and a line break would end the field."""
    return " ".join(text.split())


def _ris_author(name: str, organisation: bool) -> str:
    # RIS writes people as `Family, Given`; an organisation stays whole, without a comma to split at.
    if organisation or " " not in name:
        return name
    given, family = name.rsplit(" ", 1)
    return f"{family}, {given}"


def ris(entry: Entry) -> str:
    """Return the source article as a RIS record (`TY  - NEWS`), lines ending in CRLF as the RIS specification asks."""
    lines = [("TY", "NEWS"), ("TI", cited_title(entry))]
    lines += [("AU", _ris_author(name, org)) for name, org in authors(entry)]
    lines += [("T2", entry.source.name), ("PY", f"{entry.date.year:04d}"), ("DA", _ris_date(entry.date))]
    if entry.source.url:
        lines.append(("UR", entry.source.url))
    lines += [("LA", cited_language(entry)), ("ER", "")]
    return "".join(f"{tag}  - {ris_value(value)}\r\n" for tag, value in lines)


def _ris_date(date: PartialDate) -> str:
    # RIS dates are `YYYY/MM/DD/other`, unknown parts left empty.
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.day else ""
    return f"{date.year:04d}/{month}/{day}/"


def csl_json(entry: Entry, key: str | None = None) -> dict[str, Any]:
    """Return the source article as a CSL-JSON item (`article-newspaper`), as citeproc, pandoc and Zotero read it.

    Authors are `literal` names: the free-text author field gives no reliable split into given and family name.
    """
    item: dict[str, Any] = {"id": key or citation_key(entry), "type": "article-newspaper", "title": cited_title(entry)}
    names = authors(entry)
    if names:
        item["author"] = [{"literal": name} for name, _ in names]
    parts = [entry.date.year] + [part for part in (entry.date.month, entry.date.day) if part]
    item["container-title"] = entry.source.name
    item["issued"] = {"date-parts": [parts]}
    if entry.source.url:
        item["URL"] = entry.source.url
    item["language"] = cited_language(entry)
    return item


def citation_files(site: Site) -> list[tuple[str, bytes]]:
    """Return every entry's citation files next to its page: `cite.bib`, `cite.ris` and `cite.json`."""
    return [(path, make()) for path, _, _, make in citation_makers(site)]


def citation_makers(site: Site) -> Iterator[tuple[str, str, str, Callable[[], bytes]]]:
    """Yield each citation file's path, its entry's slug and citation key, and how to make its bytes.

    The bytes depend on the entry's card fields (title, source, date, language) and its citation key
    only, so a rebuild can carry the files of an unchanged entry over without making them.
    `cite.json` holds a list of one item, the shape pandoc and citeproc expect of a bibliography file.
    """
    keys = site.citation_keys or citation_keys(site.entries.values())
    for slug, entry in site.entries.items():
        folder, key = entry_path(slug), keys[slug]
        yield folder + "cite.bib", slug, key, lambda entry=entry, key=key: bibtex(entry, key).encode("utf-8")
        yield folder + "cite.ris", slug, key, lambda entry=entry: ris(entry).encode("utf-8")
        yield folder + "cite.json", slug, key, lambda entry=entry, key=key: json_file([csl_json(entry, key)])
