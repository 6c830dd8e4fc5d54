"""The search index in shards: which bundle each entry page goes to, and what each Pagefind run writes."""

from __future__ import annotations

import gzip
import json

from dossier.search.index import MAX_BUNDLES, SHARD_PAGES, SHARDS_VARIABLE, SORTS, UI_FILES, bundle_names, plan_shards

from conftest import build_dossier, entry, write_dossier


def pages(n: int) -> list[str]:
    return [f"entries/e{i}/index.html" for i in range(n)]


def test_one_shard_up_to_the_shard_size_then_one_more_per_shard_size():
    assert len(plan_shards(pages(SHARD_PAGES))) == 1
    assert len(plan_shards(pages(SHARD_PAGES + 1))) == 2
    assert len(plan_shards(pages(5 * SHARD_PAGES))) == 5
    assert plan_shards([]) == [[]]


def test_beyond_the_most_bundles_the_shards_grow_instead():
    shards = plan_shards(pages(MAX_BUNDLES * SHARD_PAGES * 3))
    assert len(shards) == MAX_BUNDLES
    assert all(2 * SHARD_PAGES < len(shard) < 4 * SHARD_PAGES for shard in shards)


def test_every_page_is_in_exactly_one_shard_and_no_shard_is_empty():
    for n, count in [(10, 3), (3, 3), (2, 5), (SHARD_PAGES * 2 + 7, None)]:
        shards = plan_shards(pages(n), count)
        assert sorted(p for shard in shards for p in shard) == sorted(pages(n))
        assert all(shards)
        assert len(shards) == min(count or 3, n)


def test_a_page_keeps_its_shard_when_others_come_and_go():
    before = plan_shards(pages(100), 4)
    after = plan_shards(pages(100)[1:] + ["entries/new/index.html"], 4)
    moved = [p for i, shard in enumerate(before) for p in shard if p in pages(100)[1:] and p not in after[i]]
    assert moved == []


def test_the_environment_forces_the_number_of_shards(monkeypatch):
    monkeypatch.setenv(SHARDS_VARIABLE, "3")
    assert len(plan_shards(pages(10))) == 3
    assert len(plan_shards(pages(10), 2)) == 2  # a parameter wins
    assert bundle_names([[], [], []]) == ["pagefind", "pagefind-1", "pagefind-2"]


def test_each_shard_is_a_bundle_whose_urls_are_the_sites(in_tmp, monkeypatch):
    monkeypatch.setenv(SHARDS_VARIABLE, "3")
    files = {f"entries/e{i}.md": entry(title=f"Eintrag {i}", date=f"2022-09-{i + 1:02d}") for i in range(9)}
    write_dossier(in_tmp, files)
    build_dossier(in_tmp)
    site = in_tmp / "site"
    urls = []
    for name in ["pagefind", "pagefind-1", "pagefind-2"]:
        for fragment in (site / name / "fragment").iterdir():
            data = gzip.decompress(fragment.read_bytes())
            urls.append(json.loads(data[data.index(b"{") :])["url"])
    assert sorted(urls) == sorted(f"/entries/e{i}/" for i in range(9))
    assert 'data-bundles="pagefind pagefind-1 pagefind-2"' in (site / "search/index.html").read_text(encoding="utf-8")
    sorts = json.loads((site / "pagefind" / SORTS).read_text(encoding="utf-8"))
    assert sorted(d for part in sorts["date"] for d in part) == [f"2022-09-{i + 1:02d}" for i in range(9)]
    assert all(part == sorted(part) for part in sorts["date"])
    assert not list(in_tmp.glob(".site-*")), "the folders of linked pages are removed"
    # the search page takes Pagefind's interface from the first bundle; the others keep only what pagefind.js loads
    assert (site / "pagefind/pagefind-ui.js").is_file()
    assert sorted(p.name for p in (site / "pagefind-1").iterdir() if p.name in UI_FILES) == []
    assert (site / "pagefind-1/pagefind.js").is_file() and (site / "pagefind-1/pagefind-worker.js").is_file()


def test_a_small_site_is_one_bundle_as_before(in_tmp):
    write_dossier(in_tmp, {"entries/a.md": entry()})
    build_dossier(in_tmp)
    assert (in_tmp / "site/pagefind/pagefind-ui.js").is_file()
    assert not list((in_tmp / "site").glob("pagefind-*"))
    assert not (in_tmp / "site/pagefind" / SORTS).exists()
