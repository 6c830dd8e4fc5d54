"""Entry cards, timeline events and theme badges made once per process: the same HTML as the macros, on every page."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dossier.build import BuildOptions, load_site
from dossier.pages.render import make_environment
from dossier.problems import Problems
from dossier.site.timeline import Gap

from conftest import ROOT, build_dossier, entry, write_dossier

SHARED = "events:\n  - {date: 2022-09-01, title: Gemeinsam, id: shared}\n"
FILES = {
    "entries/a.md": entry(title="Erster <Bericht>", date="2022-09-02", themes="[one, two]", extra=SHARED + "entities: [Kim Jong-un]\n"),
    "entries/b.md": entry(title="Zweiter Bericht", date="2022-09-03", extra=SHARED + "language: en\nentities: [Kim Jong Un]\n"),
    "entries/c.md": entry(title="Dritter Bericht", date="2022-09-04", extra="events:\n  - {date: 2022-09-02, title: Eigenes}\n"),
}


def test_cached_macros_give_what_importing_the_macros_gives(in_tmp):
    write_dossier(in_tmp, FILES)
    _, site = load_site(BuildOptions(content=in_tmp / "content"), Problems())
    env = make_environment([ROOT / "templates"], site)
    direct = env.from_string(
        '{% from "macros.html" import entry_card, event_item, theme_badge, status_badge, related_link, backlink %}'
        "{{ entry_card(e, h) }}|{{ event_item(item, highlight) }}|{{ theme_badge(slug) }}|{{ status_badge(e.status) }}"
        "|{{ related_link(e.slug) }}|{{ backlink(e.slug) }}"
    )
    chips = env.from_string('{% from "macros.html" import entity_chip %}{{ entity_chip(slug) }}')
    cached = env.globals["cached"]
    for e in site.entries.values():
        for item in site.timeline:
            for highlight in (None, e.slug):
                for h in ("h3", "h4"):
                    expected = direct.render(e=e, h=h, item=item, highlight=highlight, slug=e.themes[0])
                    shown = "|".join([
                        cached.entry_card(e, h), cached.event_item(item, highlight), cached("theme_badge", e.themes[0]),
                        cached("status_badge", e.status), cached("related_link", e.slug), cached("backlink", e.slug),
                    ])  # fmt: skip
                    assert shown == expected
        for slug in e.entities:
            assert cached("entity_chip", slug) == chips.render(slug=slug)
    # an entry page's window of events, gaps between them: as the macros, one after the other
    listed = env.from_string(
        '{% from "macros.html" import event_item, event_gap %}'
        "{% for item in items %}{% if item.count is defined %}{{ event_gap(item.count) }}{% else %}{{ event_item(item, highlight) }}{% endif %}{% endfor %}"
    )
    window = [site.timeline[0], Gap(1), site.timeline[1], Gap(12), site.timeline[-1]]
    for highlight in (None, *site.entries):
        assert cached.event_items(window, highlight) == listed.render(items=window, highlight=highlight)
    assert "… 1 Ereignis<" in cached.event_items(window) and "… 12 Ereignisse<" in cached.event_items(window)
    first = next(iter(site.entries.values()))
    assert cached.entry_card(first) is cached.entry_card(first)
    assert cached("backlink", first.slug) is cached("backlink", first.slug)
    assert cached("backlink", first.slug) != cached("backlink", list(site.entries)[1])


def test_an_event_is_marked_own_only_on_the_pages_of_entries_that_report_it(in_tmp):
    write_dossier(in_tmp, FILES)
    build_dossier(in_tmp)

    def marks(url: str) -> dict[str, bool]:
        page = HTMLParser((in_tmp / "site" / url / "index.html").read_text("utf-8"))
        return {li.css_first(".event-title").text(): "own" in li.attributes["class"].split() for li in page.css("li.event")}

    assert marks("entries/a") == {"Gemeinsam": True, "Eigenes": False}
    assert marks("entries/b") == {"Gemeinsam": True, "Eigenes": False}
    assert marks("entries/c") == {"Gemeinsam": False, "Eigenes": True}
    assert marks("themes/one") == {"Gemeinsam": False, "Eigenes": False}


def test_a_card_reads_the_same_on_every_page_that_lists_it(in_tmp):
    write_dossier(in_tmp, FILES)
    build_dossier(in_tmp)

    def card(url: str, slug: str) -> str:
        page = HTMLParser((in_tmp / "site" / url / "index.html").read_text("utf-8"))
        found = [c for c in page.css("article.card") if c.css_first(f'a[href="/sub/entries/{slug}/"]')]
        assert len(found) == 1, url
        return found[0].html

    on_entity, on_source = card("entities/kim-jong-un", "a"), card("sources/news-de", "a")
    assert on_entity == on_source and "Erster &lt;Bericht&gt;" in on_entity and "<h3" in on_entity
    assert card("themes/one", "a") == card("themes/two", "a") == on_entity.replace("h3", "h4")
    assert 'lang="en"' in card("sources/news-de", "b")
