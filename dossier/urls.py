"""URLs from content: which are allowed, and how internal URLs carry the site's base path."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .content.slugs import make_slug

ALLOWED_SCHEMES = ("http", "https", "mailto")


def scheme_of(url: str) -> str:
    """Return the URL's scheme in lower case, '' for a relative URL.

    Control characters and whitespace are dropped first, as browsers do, so `java\\tscript:` is
    seen as the `javascript:` it is.
    """
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    return urlsplit(cleaned).scheme.lower()


def is_web_url(url: str) -> bool:
    """Return whether `url` is an absolute http or https URL with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and url == url.strip()


def base_path(base_url: str) -> str:
    """Return the path part of the base URL, always starting and ending with `/`."""
    path = urlsplit(base_url).path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def entry_path(slug: str) -> str:
    """Return the path of an entry's page below the base URL."""
    return f"entries/{slug}/"


def event_path(event_id: str) -> str:
    """Return the path of the page of the event with this id below the base URL."""
    return f"events/{make_slug(event_id, 'en') or 'event'}/"


def asset_name(relative: str) -> str:
    """Return where a file from content/ goes in the site: `media/<slug>.<ext>`, from `[a-z0-9-]` only.

    `media/Karte Kiew.PNG` becomes `media/karte-kiew.png`, `entries/2022/foto.jpg` `media/entries-2022-foto.jpg`.
    """
    path = PurePosixPath(relative.removeprefix("media/"))
    extension = "".join(ch for ch in path.suffix.lower() if ch.isascii() and ch.isalnum())
    stem = make_slug(str(path.with_suffix("")).replace("/", " "))
    return f"media/{stem}.{extension}" if extension else f"media/{stem}"
