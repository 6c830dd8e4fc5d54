"""The search index in shards: which bundle each entry page goes to, and what each Pagefind run writes."""

from __future__ import annotations

import gzip
import json

import pytest

from dossier.search import index as search
from dossier.search.index import MEMORY_VARIABLE, MOST_VALUES, SHARDS_VARIABLE, FILTERS, SORTS, UI_FILES, Bundle, SearchIndexError, bundle_names, filters_file, plan_shards, run_memory, sorts_file

from conftest import build_dossier, entry, write_dossier

MB = 2**20


def pages(n: int, text: int = 0) -> dict[str, int]:
    return {f"entries/e{i}/index.html": text for i in range(n)}


def test_one_bundle_while_one_run_fits_the_budget_then_as_few_as_fit():
    budget = 4096 * MB
    fit = budget * 0.95 / run_memory([5000])  # pages of 5,000 bytes of text that one run may index
    assert len(plan_shards(pages(int(fit), 5000), budget=budget)) == 1
    assert len(plan_shards(pages(int(fit) + 1, 5000), budget=budget)) == 2
    assert len(plan_shards(pages(int(7 * fit), 5000), budget=budget)) == 7
    assert len(plan_shards(pages(int(7 * fit) + 1, 5000), budget=budget)) == 8
    assert plan_shards({}) == [[]]


def test_pages_with_more_text_take_more_memory_and_more_shards():
    budget = 4096 * MB
    assert len(plan_shards(pages(20_000, 1_000), budget=budget)) == 2
    assert len(plan_shards(pages(20_000, 40_000), budget=budget)) == 3


def test_the_default_budget_indexes_10000_entries_in_one_run_and_100000_in_a_few():
    # the generated benchmark entries have some 4,800 bytes of text; one run over 10,000 took 2.8 GB
    assert len(plan_shards(pages(10_000, 4_800))) == 1
    assert 6 <= len(plan_shards(pages(100_000, 4_800))) <= 8


def test_the_memory_model_matches_the_measured_runs():
    # peak resident memory of pagefind 1.5 over generated entry pages (search/index.py: PAGE_MEMORY)
    assert run_memory([4_800] * 10_000) == pytest.approx(2_766_544 * 1024, rel=0.1)
    assert run_memory([4_800 + 16_500] * 3_000) == pytest.approx(1_098_632 * 1024, rel=0.1)


def test_every_page_is_in_exactly_one_shard_and_no_shard_is_empty():
    for n, count in [(10, 3), (3, 3), (2, 5), (2007, 2)]:
        shards = plan_shards(pages(n), count)
        assert sorted(p for shard in shards for p in shard) == sorted(pages(n))
        assert all(shards)
        assert len(shards) == min(count, n)


def test_a_page_keeps_its_shard_when_others_come_and_go():
    before = plan_shards(pages(100), 4)
    kept = dict(list(pages(100).items())[1:])
    after = plan_shards({**kept, "entries/new/index.html": 0}, 4)
    moved = [p for i, shard in enumerate(before) for p in shard if p in kept and p not in after[i]]
    assert moved == []


def test_the_environment_forces_the_number_of_shards_or_sets_the_budget(monkeypatch):
    monkeypatch.setenv(SHARDS_VARIABLE, "3")
    assert len(plan_shards(pages(10))) == 3
    assert len(plan_shards(pages(10), 2)) == 2  # a parameter wins
    assert bundle_names([[], [], []]) == ["pagefind", "pagefind-1", "pagefind-2"]
    monkeypatch.delenv(SHARDS_VARIABLE)
    monkeypatch.setenv(MEMORY_VARIABLE, "1")  # 1 MB: four pages of 250,000 bytes a run
    monkeypatch.setattr(search, "TEXT_MEMORY", 0)
    assert len(plan_shards(pages(10))) == 3
    for wrong in ["many", "0", "-2"]:
        monkeypatch.setenv(MEMORY_VARIABLE, wrong)
        with pytest.raises(SearchIndexError, match=f"{MEMORY_VARIABLE} must be a positive number, not '{wrong}'"):
            plan_shards(pages(10))


def test_the_filters_file_keeps_each_filters_commonest_values_over_every_bundle():
    tags = {f"t{i:02d}": i for i in range(1, 40)}  # t01 on one page ... t39 on 39
    bundles = [
        Bundle(("a",), {"date": ("2021", "2022")}, {"Tag": tags, "Jahr": {"2022": 1, "2021": 1}}),
        Bundle(("b",), {"date": ("2020",)}, {"Tag": {"t01": 100}, "Jahr": {"2020": 1}}),
    ]
    filters = json.loads(filters_file(bundles))
    shown = filters["Tag"]
    assert list(shown) == sorted(shown) and len(shown) == MOST_VALUES
    assert shown["t01"] == 101 and "t10" not in shown and shown["t11"] == 11  # 101, then 39 down to 11
    assert filters["Jahr"] == {"2020": 1, "2021": 1, "2022": 1}
    assert json.loads(sorts_file(bundles)) == {"date": [["2021", "2022"], ["2020"]]}


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
    assert json.loads((in_tmp / "site/pagefind" / FILTERS).read_text(encoding="utf-8"))["Jahr"] == {"2022": 1}
