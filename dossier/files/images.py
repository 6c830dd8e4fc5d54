"""The dossier's favicon and social preview image, made from its title and theme colours at build time.

Pillow draws the preview with Source Serif and Source Sans from their PyPI packages (Pillow's own
embedded font has no umlauts), so the build needs no system fonts and the same title always gives
the same image. They cover Latin scripts; other scripts need `social_image` in dossier.yaml.
"""

from __future__ import annotations

import io
import textwrap
from importlib import resources
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from ..model import Site

ACCENT = "#8a1c1c"
# The stylesheet's theme colours (light scheme), in theme order.
THEME_COLOURS = ("#1f5fa8", "#a33b20", "#2d7d46", "#7a4ba0", "#9a6b00", "#1c7c80", "#b0306a", "#4f5b66")
WIDTH, HEIGHT = 1200, 630


def favicon_svg(site: Site) -> bytes:
    """Return a square icon with the dossier's initial."""
    initial = escape((site.dossier.title.strip() or "D")[0].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{ACCENT}"/>'
        f'<text x="32" y="45" font-family="Georgia, serif" font-size="40" font-weight="bold" fill="#fff" text-anchor="middle">{initial}</text>'
        "</svg>\n"
    )
    return svg.encode("utf-8")


def social_png(site: Site) -> bytes:
    """Return a 1200×630 preview: the dossier's title and description over a band of its theme colours."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#fdfcf9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    themes = list(site.themes.values()) or [None]
    band = WIDTH / len(themes)
    for index, _ in enumerate(themes):
        draw.rectangle((round(index * band), HEIGHT - 24, round((index + 1) * band), HEIGHT), fill=THEME_COLOURS[index % len(THEME_COLOURS)])
    title_font = _font("font_source_serif_pro", "SourceSerifPro-Bold.ttf", 68)
    text_font = _font("font_source_sans_pro", "SourceSansPro-Regular.ttf", 32)
    y = 80
    for line in textwrap.wrap(site.dossier.title, width=30)[:3]:
        draw.text((80, y), line, font=title_font, fill="#1d1d1f")
        y += 80
    y += 20
    for line in textwrap.wrap(site.dossier.description, width=62)[:5]:
        draw.text((80, y), line, font=text_font, fill="#4a4a50")
        y += 42
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(package: str, name: str, size: int) -> ImageFont.FreeTypeFont:
    with resources.as_file(resources.files(package) / "files" / name) as path:
        return ImageFont.truetype(str(path), size)


def social_name(site: Site) -> str:
    """Return the file name of the link-preview image in the site."""
    own = site.dossier.social_image
    return f"social{own.suffix.lower()}" if own else "social.png"


def image_files(site: Site) -> list[tuple[str, bytes]]:
    """Return the favicon and the link-preview image (the dossier's own, or one drawn), by path below the output folder."""
    own = site.dossier.social_image
    return [("favicon.svg", favicon_svg(site)), (social_name(site), own.read_bytes() if own else social_png(site))]
