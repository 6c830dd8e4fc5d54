"""Incremental builds: after every kind of edit, a rebuild with the cache equals a clean build byte for byte.

The sample dossier is copied, edited step by step (entries added, changed, renamed, deleted, made
drafts; a theme, a template, a static file and an image changed), and after each step built twice:
into one folder with the cache, as a curator rebuilds, and into a fresh folder without it.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
from pathlib import Path

import pytest

from dossier import build as build_module
from dossier import parallel, tuning
from dossier.build import BuildOptions, BuildResult, build
from dossier.cli.main import main
from dossier.incremental import layer, reuse
from dossier.incremental.cache import BuildCache
from dossier.pages import plan as pages
from dossier.search import index as search
from dossier.search.index import SHARDS_VARIABLE, bundle_names, plan_shards
from dossier.site import assemble

from conftest import ROOT
from pagefind_bundle import contents

TODAY = dt.date(2026, 1, 15)
HOUR = 3600 * 10**9


def tree(root: Path) -> dict[str, bytes]:
    """Return every file below `root` with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def site_contents(root: Path) -> dict[str, object]:
    """Return every file below `root` with its bytes, the search bundles' files as what searches answer from."""
    found: dict[str, object] = {}
    for path in sorted(root.iterdir()):
        if path.is_dir() and path.name.startswith(search.BUNDLE):
            found.update({f"{path.name}/{name}": value for name, value in contents(path).items()})
        elif path.is_dir():
            found.update({f"{path.name}/{name}": data for name, data in tree(path).items()})
        else:
            found[path.name] = path.read_bytes()
    return found


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


class Workspace:
    """A copy of the sample dossier and templates, built with and without the cache."""

    def __init__(self, root: Path, search: bool = False):
        self.root = root
        self.content = root / "content"
        self.templates = root / "templates"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "templates", self.templates)
        self.search = search
        self.clean_builds = 0
        self.renewed: list[str] = []
        """The search index's files a rebuild wrote anew (test_a_rebuild_indexes_only_the_shards_whose_pages_changed)."""
        # Files older than the cache: rebuilds trust their time and size (edits below touch them anew).
        past = (dt.datetime.now() - dt.timedelta(hours=1)).timestamp()
        for path in [*self.content.rglob("*"), *self.templates.rglob("*")]:
            os.utime(path, (past, past))

    def options(self, out: str, cache: bool) -> BuildOptions:
        return BuildOptions(
            content=self.content, templates=self.templates, out=self.root / out, today=TODAY, search=self.search,
            cache=self.root / ".cache" if cache else None,
        )  # fmt: skip

    def rebuild(self) -> BuildResult:
        return build(self.options("site", cache=True))

    def assert_same_as_clean(self) -> BuildResult:
        """Rebuild with the cache, build cleanly, and compare the two sites; return the rebuild's result."""
        result = self.rebuild()
        self.clean_builds += 1
        clean = build(self.options(f"clean-{self.clean_builds}", cache=False))
        assert (result.entries, result.pages, result.files) == (clean.entries, clean.pages, clean.files)
        assert [str(p) for p in result.warnings] == [str(p) for p in clean.warnings]
        # Pagefind writes the same index in different bytes from run to run: compare what searches read
        ours, theirs = site_contents(self.root / "site"), site_contents(self.root / f"clean-{self.clean_builds}")
        assert sorted(ours) == sorted(theirs)
        differing = [name for name in ours if ours[name] != theirs[name]]
        assert differing == [], f"the rebuild differs from a clean build in {differing[:10]}"
        shutil.rmtree(self.root / f"clean-{self.clean_builds}")
        return result

    def entry(self, name: str) -> Path:
        return next(self.content.glob(f"entries/*/{name}.md"))

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    space = Workspace(tmp_path)
    first = space.assert_same_as_clean()
    assert first.rendered == first.pages
    return space


def test_a_rebuild_with_nothing_changed_renders_and_writes_nothing(workspace: Workspace):
    before = inodes(workspace.root / "site")
    result = workspace.rebuild()
    assert result.rendered == 0
    assert inodes(workspace.root / "site") == before


@pytest.mark.parametrize("update", ["swap", "in place"])
def test_rebuilds_through_a_series_of_edits_equal_clean_builds(workspace: Workspace, update: str, monkeypatch: pytest.MonkeyPatch):
    # a rebuild either swaps in a whole new folder or, when few files change, replaces them in the site
    monkeypatch.setattr(tuning, "IN_PLACE_FILES", 0 if update == "swap" else 10**6)
    monkeypatch.setattr(tuning, "IN_PLACE_SHARE", 1.0)
    site = workspace.root / "site"
    untouched_page = "entries/putin-kim-gipfel-wladiwostok/index.html"

    # change one entry's notes: only the pages showing it are rendered again
    before = inodes(site)
    workspace.edit(workspace.entry("fath-360-lieferung"), "\n\n", "\n\nEin neuer Absatz der Kuratorin.\n\n")
    result = workspace.assert_same_as_clean()
    assert 0 < result.rendered < result.pages / 2
    after = inodes(site)
    assert after[untouched_page] == before[untouched_page], "an unchanged page was written again"
    assert after["entries/fath-360-lieferung/index.html"] != before["entries/fath-360-lieferung/index.html"]
    assert sum(after[name] != before[name] for name in before) < len(before) / 4
    # pages listing it show its card, not its notes: they stay as they were
    for listing in ("themes/index.html", "themes/drohnen-iran/index.html", "index.html"):
        assert after[listing] == before[listing], f"{listing} was written again"

    # retitle an entry that other pages list, link to, recommend and show on timelines
    title = workspace.entry("putin-kim-wostotschny")
    workspace.edit(title, "title: \"", "title: \"Retitled: ")
    workspace.assert_same_as_clean()

    # add an entry that links to another one (which gains a backlink)
    added = workspace.content / "entries" / "2024" / "neuer-bericht.md"
    added.write_text(
        "---\ntitle: Ein neuer Bericht\ndate: 2024-12-01\nsource:\n  name: Beispielzeitung\n"
        "summary: Eine kurze Zusammenfassung.\nthemes: [diplomatie]\nentities: [Kim Jong-un, Erna Beispielfrau]\n---\n"
        "Siehe [den Vertrag](vertrag-pjoengjang-beistand.md).\n",
        encoding="utf-8",
    )
    workspace.assert_same_as_clean()
    assert (site / "entities" / "erna-beispielfrau" / "index.html").is_file()

    # change another entry: the new one, its undeclared person included, comes from the cache
    workspace.edit(workspace.entry("alabuga-drohnenfabrik"), "\n\n", "\n\nNoch ein Absatz.\n\n")
    workspace.assert_same_as_clean()

    # rename it, and delete it
    renamed = added.with_name("umbenannter-bericht.md")
    added.rename(renamed)
    workspace.assert_same_as_clean()
    renamed.unlink()
    workspace.assert_same_as_clean()

    # an entry others link to becomes a draft (their links turn to plain text), then is published again
    target = workspace.entry("putin-kim-wostotschny")
    workspace.edit(target, "---\n", "---\ndraft: true\n")
    result = workspace.assert_same_as_clean()
    assert any("draft" in p.message for p in result.warnings)
    workspace.edit(target, "---\ndraft: true\n", "---\n")
    workspace.assert_same_as_clean()

    # a theme's title, in dossier.yaml
    workspace.edit(workspace.content / "dossier.yaml", "title: Sanktionen und Kontrolle", "title: Sanktionen und ihre Kontrolle")
    workspace.assert_same_as_clean()

    # the dossier's language: the interface strings compiled into the templates (calls.FoldedMessages) change with it
    page = site / "entries" / "fath-360-lieferung" / "index.html"
    assert '<h2 id="notes-heading" data-pagefind-ignore>Anmerkungen</h2>' in page.read_text("utf-8")
    workspace.edit(workspace.content / "dossier.yaml", "language: de", "language: en")
    workspace.assert_same_as_clean()
    assert '<h2 id="notes-heading" data-pagefind-ignore>Notes</h2>' in page.read_text("utf-8")
    workspace.edit(workspace.content / "dossier.yaml", "language: en", "language: de")
    workspace.assert_same_as_clean()

    # a template, the stylesheet, and an image the notes show
    workspace.edit(workspace.templates / "base.html", '<footer class="colophon">', '<footer class="colophon" data-edited="yes">')
    result = workspace.assert_same_as_clean()
    assert result.rendered == result.pages
    workspace.edit(workspace.templates / "static" / "style.css", ":root", "/* edited */\n:root")
    workspace.assert_same_as_clean()
    image = workspace.content / "media" / "route-container-2023.svg"
    image.write_bytes(image.read_bytes().replace(b"</svg>", b"<!-- edited --></svg>"))
    workspace.assert_same_as_clean()


def test_an_edit_after_the_opening_of_the_notes_keys_only_the_pages_showing_them(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    # Related reading reads only the opening of the notes: an edit after it leaves every site-wide value as it
    # was, and the rebuild takes every other page's key from the last build (fingerprint.PageKeys.same).
    path = workspace.entry("tausend-container-nordkorea")
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "Ein langer Nachtrag der Kuratorin. " * 60 + "\n", encoding="utf-8")
    workspace.assert_same_as_clean()
    keyed: list[int] = []
    page_keys = layer._page_keys
    monkeypatch.setattr(layer, "_page_keys", lambda shared, start, stop: keyed.append(stop - start) or page_keys(shared, start, stop))
    path.write_text(path.read_text(encoding="utf-8") + "\nNoch ein Satz am Ende.\n", encoding="utf-8")
    result = workspace.assert_same_as_clean()
    # (the clean build computes each page's key as it renders it)
    assert keyed == [2], "the rebuild should key the entry's page and the print edition alone"
    assert result.rendered == 2


def test_a_new_title_keys_only_the_pages_that_showed_the_entry(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    # A title is on the entry's card, not in its layout: every page still shows the entries it showed, so the
    # rebuild keys the pages that showed this one, the entry pages whose related reading changed and the
    # overview of every card, and takes the other keys from the last build (fingerprint.PageKeys.layout).
    keyed: list[int] = []
    page_keys = layer._page_keys
    monkeypatch.setattr(layer, "_page_keys", lambda shared, start, stop: keyed.append(stop - start) or page_keys(shared, start, stop))
    path = workspace.entry("tausend-container-nordkorea")
    # the new title shares its words with another entry's, which now recommends this one (its related reading changed)
    other = workspace.root / "site" / "entries" / "nordkoreanische-soldaten-nis" / "index.html"
    assert "tausend-container-nordkorea" not in other.read_text(encoding="utf-8")
    workspace.edit(path, 'title: "', 'title: "Südkoreas Geheimdienst: Nordkorea schickt Tausende Soldaten nach Russland, und ')
    result = workspace.assert_same_as_clean()
    assert "tausend-container-nordkorea" in other.read_text(encoding="utf-8")
    assert 1 < sum(keyed) < result.pages / 2  # the new title changes the related reading of many of the 34 entries
    # without the last build's related reading to compare with, every entry's page is keyed
    (workspace.root / ".cache" / "memo.pickle").unlink()
    keyed.clear()
    workspace.edit(path, 'title: "', 'title: "Noch einmal: ')
    result = workspace.assert_same_as_clean()
    assert result.entries <= sum(keyed) < result.pages
    # a new date changes its layout: the lists it is in may change order, and every page is keyed
    keyed.clear()
    workspace.edit(path, 'date: 2023-10-13', 'date: 2023-10-12')
    result = workspace.assert_same_as_clean()
    assert sum(keyed) == result.pages


def test_a_new_status_keeps_related_reading_and_a_new_title_computes_it(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    # Related reading reads an entry's words, entities, tags, themes, date and picks, not its status or source.
    computed: list[int] = []
    related_reading = assemble.related_reading
    monkeypatch.setattr(assemble, "related_reading", lambda entries, settings: computed.append(len(entries)) or related_reading(entries, settings))
    path = workspace.entry("tausend-container-nordkorea")
    workspace.edit(path, "status: confirmed", "status: disputed")
    workspace.assert_same_as_clean()
    assert len(computed) == 1  # by the clean build alone
    workspace.edit(path, 'title: "', 'title: "Neu betitelt: ')
    workspace.assert_same_as_clean()
    assert len(computed) == 3  # by the rebuild and the clean build


def test_rebuilds_with_work_done_in_other_processes_equal_clean_builds(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    # A large site's files are looked for, and its whole-site files made, by another process meanwhile (as at
    # 10,000 entries); here the sample's rebuilds do the same.
    monkeypatch.setattr(tuning, "BACKGROUND_FILES", 0)
    monkeypatch.setattr(tuning, "SITE_FILES_ENTRIES", 0)
    started: list[str] = []
    in_background = build_module.in_background
    spy = lambda func, *args: started.append(func.__name__) or in_background(func, *args)  # noqa: E731

    def rebuild() -> BuildResult:  # what the rebuilds start, not the clean builds beside them
        monkeypatch.setattr(reuse, "in_background", spy)
        monkeypatch.setattr(build_module, "in_background", spy)
        try:
            return build(workspace.options("site", cache=True))
        finally:
            monkeypatch.setattr(reuse, "in_background", in_background)
            monkeypatch.setattr(build_module, "in_background", in_background)

    monkeypatch.setattr(workspace, "rebuild", rebuild)
    path = workspace.entry("tausend-container-nordkorea")
    (workspace.root / "site" / "entries" / "putin-kim-gipfel-wladiwostok" / "index.html").unlink()
    workspace.edit(path, 'title: "', 'title: "Neu betitelt: ')
    workspace.assert_same_as_clean()
    assert started == ["site_files", "_files"]
    # notes edited past their opening: the same shape, and the whole-site files are carried over, not made
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "Ein langer Nachtrag der Kuratorin. " * 60 + "\n", encoding="utf-8")
    workspace.assert_same_as_clean()
    started.clear()
    path.write_text(path.read_text(encoding="utf-8") + "\nNoch ein Satz am Ende.\n", encoding="utf-8")
    workspace.assert_same_as_clean()
    assert started == ["site_files"]


def test_pages_rendered_by_several_processes_are_those_one_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """At 10,000 entries the pages are rendered, and after an entry is added keyed, by every process, a few at a
    time, the long ones first: the site, each page's key and the parts kept for the next build are what one
    process makes of them."""
    if not parallel._forks():
        pytest.skip("one core, or no fork: every page is rendered in this process")
    monkeypatch.setattr(pages, "PRINT_VOLUME", 4)  # print volumes are long pages, made of kept parts
    monkeypatch.setattr(tuning, "RENDER_CHUNK", 3)

    def spy(module: object, name: str) -> Path:
        """Have the processes calling the module's function `name` write their ids into the file returned."""
        called, func = tmp_path / name, getattr(module, name)

        def noted(shared, start, stop):  # noqa: ANN001, ANN202
            with called.open("a") as file:
                file.write(f"{os.getpid()}\n")
            return func(shared, start, stop)

        monkeypatch.setattr(module, name, noted)
        return called

    renderers, keyers = spy(build_module, "render_range"), spy(layer, "_page_keys")
    workspace = Workspace(tmp_path / "dossier")
    model = workspace.entry("tausend-container-nordkorea")
    added = model.with_name("nachtrag.md")
    made: dict[str, list[tuple[object, ...]]] = {}
    for name, parallel_from in [("one", 10**9), ("several", 0)]:
        monkeypatch.setattr(tuning, "PARALLEL_PAGES", parallel_from)
        for folder in ("site", ".cache"):
            shutil.rmtree(workspace.root / folder, ignore_errors=True)
        added.unlink(missing_ok=True)
        made[name] = []
        for _ in range(2):  # a first build, then one after adding an entry, which keys every page again
            workspace.rebuild()
            record = BuildCache.open(workspace.root / ".cache", b"").site
            assert record is not None
            kept = {page: parts for _, page, parts in kept_parts(workspace.root / ".cache").values()}
            made[name].append((tree(workspace.root / "site"), record.pages, record.anchors, pickle.loads(record.refs), kept))
            added.write_text(model.read_text(encoding="utf-8").replace('title: "', 'title: "Nachtrag: ', 1), encoding="utf-8")
    assert len({line for line in renderers.read_text().split()}) > 1, "the pages were not shared out to render"
    assert len({line for line in keyers.read_text().split()}) > 1, "the pages were not shared out to key"
    for one, several in zip(made["one"], made["several"]):
        assert len([page for page in one[4] if page.startswith("print/")]) > 3
        for what, ours, theirs in zip(["files", "page keys", "anchors", "entries shown", "kept parts"], several, one):
            assert ours == theirs, what


def kept_parts(cache: Path) -> dict[Path, tuple[object, str, dict[bytes, tuple[str, tuple[object, ...], bytes]]]]:
    """Return what the cache keeps of pages (render.py's Kept), by file: (format, page, parts)."""
    return {path: pickle.loads(path.read_bytes()) for path in sorted((cache / "kept").iterdir())}


def test_the_print_edition_reuses_the_sections_of_unchanged_entries(workspace: Workspace):
    [(kept, (version, page, parts))] = kept_parts(workspace.root / ".cache").items()
    assert page == "print/index.html"
    sections = (workspace.root / "site" / "print" / "index.html").read_text(encoding="utf-8").count('<article class="print-entry"')
    assert len(parts) == sections > 20
    # mark every kept section: the ones the rebuild takes from the cache show the mark
    marked = {key: (html.replace('<article class="print-entry"', '<article data-kept class="print-entry"'), *rest) for key, (html, *rest) in parts.items()}
    kept.write_bytes(pickle.dumps((version, page, marked)))
    workspace.edit(workspace.entry("fath-360-lieferung"), "\n\n", "\n\nEin neuer Absatz der Kuratorin.\n\n")
    workspace.rebuild()
    page = (workspace.root / "site" / "print" / "index.html").read_text(encoding="utf-8")
    assert page.count("<article data-kept ") == len(parts) - 1
    assert '<article class="print-entry" id="fath-360-lieferung"' in page
    assert "Ein neuer Absatz der Kuratorin." in page


def test_rebuilds_of_a_print_edition_in_volumes_equal_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pages, "PRINT_VOLUME", 4)
    workspace = Workspace(tmp_path)
    workspace.assert_same_as_clean()
    assert (workspace.root / "site" / "print" / "2023" / "index.html").is_file()
    # an entry moves to another year's volume: the entries linking to it now link into that volume
    target = workspace.entry("putin-kim-wostotschny")
    workspace.edit(target, "date: 2023-", "date: 2021-")
    workspace.assert_same_as_clean()
    workspace.edit(workspace.entry("fath-360-lieferung"), "\n\n", "\n\nEin neuer Absatz der Kuratorin.\n\n")
    before = {path: path.stat().st_mtime_ns for path in kept_parts(workspace.root / ".cache")}
    result = workspace.assert_same_as_clean()
    assert result.rendered <= 3  # the entry's page and its volume
    # the volumes not rendered again keep their parts for the next build, untouched; the edited one's are written anew
    kept = kept_parts(workspace.root / ".cache")
    volumes = sorted(path.parent.relative_to(workspace.root / "site").as_posix() + "/index.html" for path in (workspace.root / "site" / "print").glob("*/index.html"))
    assert sorted(page for _, page, _ in kept.values()) == volumes
    rewritten = [page for path, (_, page, _) in kept.items() if path.stat().st_mtime_ns != before.get(path)]
    assert rewritten == ["print/2024-09/index.html"]  # the edited entry is of September 2024, a month of its own
    # an entry added to that volume: the other volumes show nothing it changes, and stay as they were
    printed = {path: path.stat().st_mtime_ns for path in (workspace.root / "site" / "print").rglob("index.html")}
    model = workspace.entry("fath-360-lieferung")
    model.with_name("fath-360-nachtrag.md").write_text(model.read_text(encoding="utf-8").replace('title: "', 'title: "Nachtrag: ', 1), encoding="utf-8")
    workspace.assert_same_as_clean()
    changed = sorted(path.relative_to(workspace.root / "site").as_posix() for path, time in printed.items() if path.stat().st_mtime_ns != time)
    assert changed == ["print/2024-09/index.html", "print/index.html"]  # the list of volumes tells their sizes


def test_an_edit_in_the_same_clock_tick_as_the_last_build_is_seen(workspace: Workspace):
    """A file edited just before a build and again at once, keeping its size and time, is found by its hash."""
    path = workspace.entry("fath-360-lieferung")
    path.touch()
    workspace.assert_same_as_clean()
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Fath", "Fatk", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if within the file system's clock tick
    assert path.stat().st_size == stat.st_size
    workspace.assert_same_as_clean()


def test_a_page_removed_from_the_site_by_hand_is_made_again(workspace: Workspace):
    page = workspace.root / "site" / "entries" / "fath-360-lieferung" / "index.html"
    page.unlink()
    workspace.assert_same_as_clean()
    assert page.is_file()


def test_generated_files_removed_from_the_site_by_hand_are_made_again(workspace: Workspace):
    # nothing else changed: the rebuild carries the other generated files over without making them
    for name in ("feed.xml", "dossier.json", "entries/fath-360-lieferung/cite.bib"):
        (workspace.root / "site" / name).unlink()
    result = workspace.assert_same_as_clean()
    assert result.rendered == 0
    assert (workspace.root / "site" / "entries" / "fath-360-lieferung" / "cite.bib").is_file()


def test_a_failed_rebuild_leaves_the_site_and_the_cache_as_they_were(workspace: Workspace):
    before = tree(workspace.root / "site")
    path = workspace.entry("fath-360-lieferung")
    original = path.read_text(encoding="utf-8")
    workspace.edit(path, "date:", "date: 2024-13-45\nold_date:")
    with pytest.raises(Exception):
        workspace.rebuild()
    assert tree(workspace.root / "site") == before
    path.write_text(original, encoding="utf-8")
    workspace.assert_same_as_clean()


def test_the_search_index_is_carried_over_when_no_page_changed(tmp_path: Path):
    space = Workspace(tmp_path, search=True)
    first = space.rebuild()
    assert first.search_seconds > 0
    bundle = {name: ino for name, ino in inodes(tmp_path / "site").items() if name.startswith("pagefind/")}
    # a change that no page shows: an unused file in the content folder
    (space.content / "media" / "notes.txt").write_text("Notiz der Kuratorin", encoding="utf-8")
    second = space.rebuild()
    assert second.rendered == 0 and second.search_seconds == 0
    assert {name: ino for name, ino in inodes(tmp_path / "site").items() if name.startswith("pagefind/")} == bundle
    space.edit(space.entry("fath-360-lieferung"), "\n\n", "\n\nEin neuer Absatz.\n\n")
    third = space.rebuild()
    assert third.search_seconds > 0 and 0 < third.rendered < third.pages


@pytest.mark.parametrize("update", ["swap", "in place"])
def test_a_rebuild_indexes_only_the_shards_whose_pages_changed(tmp_path: Path, update: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(tuning, "IN_PLACE_FILES", 0 if update == "swap" else 10**6)
    monkeypatch.setattr(tuning, "IN_PLACE_SHARE", 1.0)
    monkeypatch.delenv(SHARDS_VARIABLE, raising=False)
    # a run may index 10.07 pages (a 5 % margin taken): the sample's 26 entries in 3 shards, 31 in 4
    monkeypatch.setattr(search, "PAGE_MEMORY", 2**20)
    monkeypatch.setattr(search, "TEXT_MEMORY", 0)
    monkeypatch.setenv(search.MEMORY_VARIABLE, "10.6")
    space = Workspace(tmp_path, search=True)
    site = tmp_path / "site"

    def entry_shards() -> list[list[str]]:
        return plan_shards({name: 0 for name in tree(site) if name.startswith("entries/") and name.endswith("/index.html")})

    def step() -> tuple[BuildResult, set[str], set[str]]:
        """Rebuild and compare with a clean build; return the result, the bundles with a changed page, those written anew."""
        files, before = tree(site), inodes(site)
        result = space.assert_same_as_clean()
        after, shards = inodes(site), entry_shards()
        edited = {name for shard, name in zip(shards, bundle_names(shards)) if any(files.get(p) != (site / p).read_bytes() for p in shard)}
        bundle_files = {name for name in before.keys() | after.keys() if name.startswith(search.BUNDLE) and not name.endswith((search.SORTS, search.FILTERS))}
        space.renewed = sorted(name for name in bundle_files if before.get(name) != after.get(name))
        return result, edited, {name.split("/")[0] for name in space.renewed}

    first = space.assert_same_as_clean()
    assert first.search_runs == len(entry_shards()) == 3

    # a new paragraph in one entry: only its page among the entries changes, and only its shard is indexed anew
    space.edit(space.entry("fath-360-lieferung"), "\n\n", "\n\nEin neuer Absatz der Kuratorin.\n\n")
    result, edited, moved = step()
    assert result.search_runs == 1 and len(edited) == 1 and moved == edited
    # of that bundle, the files Pagefind wrote as they were are kept: each page's fragment is named by its bytes
    fragments = f"{moved.pop()}/fragment/"
    assert len([name for name in space.renewed if name.startswith(fragments) and (site / name).exists()]) == 1

    # another entry retitled: pages in other shards recommend it or link to it, but search reads only its own page
    space.edit(space.entry("putin-kim-wostotschny"), 'title: "', 'title: "Retitled: ')
    result, edited, moved = step()
    assert len(edited) > 1 and result.search_runs == 1 and len(moved) == 1

    # a declared entity renamed: the entries naming it give it as a filter, and their shards are indexed anew
    space.edit(space.content / "dossier.yaml", "name: Kim Jong-un", "name: Kim Jong Un")
    result, edited, moved = step()
    assert result.search_runs >= 1

    # a theme's description, which no entry page shows: no Pagefind run, the index stays as it was
    space.edit(space.content / "dossier.yaml", "Strafmaßnahmen der EU", "Strafmaßnahmen der Europäischen Union")
    result, edited, moved = step()
    assert result.search_runs == 0 and edited == moved == set()

    # entries added past what three runs may index: pages move between shards, every bundle is made anew
    for i in range(5):
        (space.content / "entries" / "2024" / f"neu-{i}.md").write_text(
            f"---\ntitle: Neuer Bericht {i}\ndate: 2024-12-0{i + 1}\nsource:\n  name: Beispielzeitung\n"
            "summary: Eine kurze Zusammenfassung.\nthemes: [diplomatie]\n---\nText.\n",
            encoding="utf-8",
        )  # fmt: skip
    result, edited, moved = step()
    assert result.search_runs == len(entry_shards()) == 4
    assert moved == set(bundle_names(entry_shards()))

    # one of them deleted: back to three shards
    (space.content / "entries" / "2024" / "neu-4.md").unlink()
    result, edited, moved = step()
    assert result.search_runs == len(entry_shards()) == 3


def test_the_command_line_keeps_its_cache_beside_the_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    space = Workspace(tmp_path)
    args = ["build", "--content", str(space.content), "--templates", str(space.templates), "--out", str(tmp_path / "out"), "--no-search", "-q"]
    assert main(args) == 0
    assert (tmp_path / ".cache" / "entries.pickle").is_file()
    assert main(args) == 0
    assert "0 of " in capsys.readouterr().out
    assert main([*args, "--no-cache"]) == 0
    assert "rendered anew" not in capsys.readouterr().out


def test_rebuilds_after_a_reports_status_origin_or_correction_changes_equal_clean_builds(workspace: Workspace):
    site = workspace.root / "site"
    event = site / "events" / "munitionskauf-nordkorea" / "index.html"
    assert "seit 13. Oktober 2023" in event.read_text("utf-8")
    # one report's status: the event's history, its page, the timelines and /changes/ change with it
    workspace.edit(workspace.entry("tausend-container-nordkorea"), "    status: confirmed\n", "    status: reported\n")
    result = workspace.assert_same_as_clean()
    assert result.rendered < result.pages and "seit 22. September 2022" in event.read_text("utf-8")
    # what a source relays, and the owner of a declared publication: the origins counted
    workspace.edit(workspace.entry("nordkorea-verdeckte-granaten"), "  via: [US-Regierung]\n", "  via: [KCNA]\n")
    workspace.assert_same_as_clean()
    workspace.edit(workspace.content / "dossier.yaml", "    owner: ARD\n", "    owner: Yonhap\n")
    workspace.assert_same_as_clean()
    # a correction
    workspace.edit(workspace.entry("fath-360-lieferung"), "\n---\n", "\ncorrections:\n  - {date: 2024-09-12, text: Ein Datum war falsch.}\n---\n")
    workspace.assert_same_as_clean()
    assert "Ein Datum war falsch." in (site / "changes" / "index.html").read_text("utf-8")


def test_rebuilds_after_a_place_moves_or_an_event_names_its_places_equal_clean_builds(workspace: Workspace):
    site = workspace.root / "site"
    # the curator's coordinates (dossier.yaml's settings key every page)
    before = (site / "map" / "index.html").read_text("utf-8")
    workspace.edit(workspace.content / "dossier.yaml", "    coordinates: [55.80, 52.15]\n", "    coordinates: [55.70, 52.30]\n")
    workspace.assert_same_as_clean()
    assert (site / "map" / "index.html").read_text("utf-8") != before
    # a place the gazetteer finds, then one it does not: left off the map, with a warning
    workspace.edit(workspace.content / "dossier.yaml", "  - name: Kiew\n    kind: place\n    aliases: [Kyiv, Kyjiw]\n", "  - name: Kiewx\n    kind: place\n")
    result = workspace.assert_same_as_clean()
    assert any("Kiewx" in p.message for p in result.warnings)
    assert 'data-slug="kiewx"' not in (site / "map" / "index.html").read_text("utf-8")
    # an event naming its own places
    workspace.edit(workspace.entry("drohnenangriff-kiew-oktober-2022"), "    id: kiew-drohnenangriff-2022-10-17\n", "    id: kiew-drohnenangriff-2022-10-17\n    places: [Alabuga]\n")
    workspace.assert_same_as_clean()
    assert "Alabuga" in (site / "events" / "kiew-drohnenangriff-2022-10-17" / "index.html").read_text("utf-8").split('id="places-heading"')[1].split("</section>")[0]
