"""Render an entry's notes: Markdown to HTML, with every link checked and links to entry files rewritten."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..problems import Problems, closest, display_path
from ..urls import ALLOWED_SCHEMES, scheme_of
from .entries import resolve_content_file
from .frontmatter import Document
from .slugs import make_slug

# Entry pages give the notes an h2 of their own, so the notes' headings start one level below it.
HEADING_SHIFT = 2


def make_markdown(allow_html: bool = False) -> MarkdownIt:
    """Return the Markdown parser for notes: CommonMark, tables, strikethrough, footnotes; raw HTML off unless allowed."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # Headings get ids (`## Kontext` becomes #kontext), so other entries can link to a section.
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=lambda text: make_slug(text, "de"))
    # Every link reaches our own check (which reports what it refuses) instead of being
    # silently left as text by markdown-it's built-in filter.
    md.validateLink = lambda url: True
    return md


@dataclass(slots=True)
class RenderedNotes:
    """An entry's notes as HTML, with what they refer to."""

    html: str
    """The notes, ready to be placed in a page."""
    entry_links: list[str] = field(default_factory=list)
    """Slugs of the entries the notes link to."""
    assets: list[Path] = field(default_factory=list)
    """Files below content/ the notes link to or show, to be copied into the site."""
    lookups: list[Path] = field(default_factory=list)
    """Every file below content/ a link or image resolved to: the notes stay the same while these do."""


@dataclass(slots=True)
class NotesRenderer:
    """Renders notes for one build, knowing every entry file and how to address pages."""

    content_dir: Path
    """The content folder; links may not leave it."""
    entry_slugs: dict[str, str]
    """Each entry file (resolved) and its slug."""
    entry_url: Callable[[str], str]
    """The URL of an entry's page, by slug."""
    asset_url: Callable[[str], str]
    """The URL of a copied file, by its path below content/."""
    drafts: set[str]
    """Slugs of draft entries left out of this build: links to them become plain text."""
    allow_html: bool = False
    """Raw HTML in notes is kept (sanitised): dossier.yaml's `allow_html`, for trusted authors."""
    md: MarkdownIt = field(init=False)

    def __post_init__(self) -> None:
        self.md = make_markdown(self.allow_html)

    def render(self, doc: Document, problems: Problems) -> RenderedNotes:
        """Return the notes of `doc` rendered, recording every link that points nowhere or is not allowed."""
        tokens = self.md.parse(doc.body)
        body_lines = doc.body.splitlines()
        result = RenderedNotes("")
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
                token.tag = f"h{level}"
            if token.type == "inline" and token.children:
                self._links(token, doc, body_lines, problems, result)
        result.html = self.md.renderer.render(tokens, self.md.options, {})
        if self.allow_html:
            result.html = sanitize(result.html)
        return result

    def _links(self, inline: Token, doc: Document, body_lines: list[str], problems: Problems, result: RenderedNotes) -> None:
        children = inline.children or []
        for index, token in enumerate(children):
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None:
                continue
            target = str(token.attrGet(attr) or "")
            line = _line_of(target, inline, doc, body_lines)
            new = self._check(target, token.type == "image", doc, line, problems, result)
            if new is None and token.type == "link_open":
                _unlink(children, index)
            elif new is None:
                token.attrSet("src", "")
            else:
                token.attrSet(attr, new)
                if token.type == "image" and not token.content.strip():
                    problems.warn(doc.path, line, f'notes: image "{target}" has no alt text; say what it shows between the brackets, for readers who cannot see it: ![what it shows]({target})')

    def _check(self, target: str, image: bool, doc: Document, line: int, problems: Problems, result: RenderedNotes) -> str | None:
        """Return the URL to put in the page for `target`, or None (recording why) to drop it."""
        what = "image" if image else "link"
        scheme = scheme_of(target)
        if scheme:
            allowed = ("https",) if image else ALLOWED_SCHEMES
            if scheme not in allowed:
                problems.error(doc.path, line, f'notes: {what} to "{target}" is not allowed; expected {", ".join(allowed)} or a relative link')
                return None
            return target
        parts = urlsplit(target)
        if not parts.path:
            return target  # a fragment or query on this page
        if parts.netloc:
            problems.error(doc.path, line, f'notes: {what} to "{target}" has no scheme; write https://{parts.netloc}{parts.path}')
            return None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        file = resolve_content_file(unquote(parts.path), doc.path.parent, self.content_dir)
        if file is None:
            problems.error(doc.path, line, f'notes: {what} to "{target}" leaves the content folder; link to a file below content/')
            return None
        result.lookups.append(file)
        if not image and file.suffix == ".md":
            slug = self.entry_slugs.get(str(file))
            if slug is None:
                hint = self._nearest_entry(file, doc, fragment)
                problems.error(doc.path, line, f'notes: link to "{target}": no entry file {file.name} at that place{hint}')
                return None
            if slug in self.drafts:
                problems.warn(doc.path, line, f'notes: link to "{target}", a draft left out of this build; shown as plain text')
                return None
            if slug not in result.entry_links:
                result.entry_links.append(slug)
            return self.entry_url(slug) + fragment
        if not file.is_file():
            # `image.src` in the front matter is written from content/: a note's image written the same way is found too.
            beside = file
            file = resolve_content_file(unquote(parts.path), self.content_dir)
            if file is None or file == beside:
                problems.error(doc.path, line, f'notes: {what} to "{target}": no such file {display_path(beside)}')
                return None
            result.lookups.append(file)
            if not file.is_file():
                problems.error(
                    doc.path, line, f'notes: {what} to "{target}": no such file, neither beside the entry ({display_path(beside)}) nor below content/ ({display_path(file)})'
                )
                return None
        result.assets.append(file)
        return self.asset_url(file.relative_to(self.content_dir.resolve()).as_posix()) + fragment

    def _nearest_entry(self, file: Path, doc: Document, fragment: str) -> str:
        """Return ` (did you mean "../2021/x.md"?)` for the entry file a broken link most likely meant, or ""."""
        paths = {slug: path for path, slug in self.entry_slugs.items() if slug != doc.path.stem}
        slug = file.stem if file.stem in paths else closest(file.stem, paths)
        if slug is None:
            return ""
        relative = os.path.relpath(paths[slug], doc.path.parent.resolve()).replace(os.sep, "/")
        return f' (did you mean "{relative}{fragment}"?)'


# What raw HTML in notes may keep: nh3 (the Ammonia sanitiser) removes everything else, scripts,
# event handlers and javascript:/data: URLs included. id and class stay for footnotes and anchors.
_TAGS = nh3.ALLOWED_TAGS - {"area", "map", "center", "font", "strike", "acronym", "tt"}
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"id", "class", "lang", "title"}, "a": {"href", "hreflang"}}


def sanitize(html: str) -> str:
    """Return `html` with only safe elements, attributes and URLs (http, https, mailto, relative) left."""
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"
    )


def _line_of(target: str, inline: Token, doc: Document, body_lines: list[str]) -> int:
    """Return the file line where `target` is written within the block `inline` belongs to."""
    start, end = inline.map or (0, 1)
    needle = unquote(target).split("#")[0] or target
    for number in range(start, min(end, len(body_lines))):
        if needle in unquote(body_lines[number]):
            return doc.body_line + number
    return doc.body_line + start


def _unlink(children: list[Token], index: int) -> None:
    """Turn the link opening at `index` into plain text by dropping its open and close tokens."""
    depth = 0
    for close in range(index, len(children)):
        if children[close].type == "link_open":
            depth += 1
        elif children[close].type == "link_close":
            depth -= 1
            if depth == 0:
                children[close] = Token("text", "", 0, content="")
                break
    children[index] = Token("text", "", 0, content="")
