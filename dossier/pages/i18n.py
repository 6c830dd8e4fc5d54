"""Interface strings and locales: one message table per language, dates and plurals through Babel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import yaml
from babel import Locale, UnknownLocaleError

from ..content.dates import PartialDate

if TYPE_CHECKING:
    from ..model import Dossier

FALLBACK = "en"


@cache
def available_languages() -> tuple[str, ...]:
    """Return the languages that have a message table."""
    folder = resources.files(__package__) / "messages"
    return tuple(sorted(item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml")))


@cache
def message_table(language: str) -> dict[str, Any]:
    """Return the message table of `language` (a primary subtag such as `de`)."""
    text = (resources.files(__package__) / "messages" / f"{language}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def babel_locale(language: str) -> Locale:
    """Return the Babel locale for a BCP 47 code.

    Plain `en` is taken as British usage, so dates read `24 February 2022`; write `en-US` for
    the American order.
    """
    if language.lower() == "en":
        language = "en-GB"
    return Locale.parse(language, sep="-")


@cache
def direction(language: str) -> str:
    """Return the direction text of `language` (BCP 47) runs in: `rtl` (Arabic, Hebrew, Persian, ...) or `ltr`."""
    try:
        order = Locale.parse(language, sep="-").character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


@lru_cache(maxsize=65536)
def _formatted(date: PartialDate, locale: Locale) -> str:
    """Format through Babel once per date: a dossier shows the same dates on many pages."""
    return date.format(locale)


@dataclass(frozen=True, slots=True)
class Messages:
    """The interface strings and date formats of one language."""

    language: str
    """The BCP 47 code asked for."""
    table: dict[str, Any]
    """Key to text, or to `{one, other, ...}` plural forms."""
    locale: Locale
    """Babel's locale, for dates, plurals and language names."""

    @classmethod
    def for_language(cls, language: str, overrides: Mapping[str, Any] | None = None) -> Messages:
        """Return the messages of `language`, in English where no table exists for it, with the curator's
        `overrides` (dossier.yaml's `messages`) in place of the table's strings."""
        primary = language.split("-")[0].lower()
        table = message_table(primary if primary in available_languages() else FALLBACK)
        return cls(language, {**table, **overrides} if overrides else table, babel_locale(language))

    @classmethod
    def of(cls, dossier: Dossier) -> Messages:
        """Return the messages a dossier's pages and files speak: its language's, with its own strings."""
        return cls.for_language(dossier.language, dossier.messages)

    def __call__(self, key: str, n: int | None = None, **values: object) -> str:
        """Return the string for `key`, choosing the plural form for `n` and filling in `values`."""
        text = self.table[key]
        if isinstance(text, dict):
            form = self.locale.plural_form(n if n is not None else 1)
            text = text.get(form, text["other"])
        return text.format(n=n, **values)

    def date(self, date: PartialDate) -> str:
        """Return `date` as readers of this language write it, to its precision."""
        return _formatted(date, self.locale)

    def event_date(self, date: PartialDate, end: PartialDate | None = None, approximate: bool = False) -> str:
        """Return an event's date to its precision, as a span when it has an end, marked when approximate."""
        text = self.date(date)
        if end is not None:
            text = self("date_span", start=text, end=self.date(end))
        return self("date_approximate", date=text) if approximate else text

    def month(self, year: int, month: int) -> str:
        """Return a month as a heading: `September 2022`."""
        return self.date(PartialDate(year, month))

    def language_name(self, code: str) -> str:
        """Return the name of the language `code` in this language (`Englisch`)."""
        return Locale.parse(code, sep="-").get_display_name(self.locale) or code
