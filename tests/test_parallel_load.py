"""Reading a large dossier in several processes gives what reading it in one gives: entries, entities, problems in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier import parallel, tuning
from dossier.content.load import ContentUrls, load_content
from dossier.incremental.cache import BuildCache
from dossier.problems import Problems

from conftest import entry, write_dossier

pytestmark = pytest.mark.skipif(parallel.workers() < 2, reason="one core: everything is read in this process")

FILES = {
    "entries/2022/erstens.md": entry(extra="entities: [Neue Partei, Kim Jong Un]\nrelated: [drittens]\n", body="Siehe [den Entwurf](drittens.md) und [zweitens](zweitens.md#kontext).\n"),
    "entries/2022/zweitens.md": entry(extra="entities: [NEUE PARTEI, Straße der Einheit]\n", body="## Kontext\n\nText.\n"),
    "entries/2022/drittens.md": entry(extra="draft: true\nentities: [Strasse der Einheit]\n", body="Ein [Link](https://example.org).\n"),
    "entries/2023/viertens.md": entry(extra="tags: [a, b]\n", body="Mit [Verweis](zweitens.md), [nichts](fehlt.md) und [Schema](javascript:alert(1)).\n"),
    "entries/2023/fuenftens.md": "---\ntitle: [kaputt\n---\nText.\n",
    "entries/2023/sechstens.md": entry(themes="[drei]", extra="related: [niemand]\n"),
    "entries/2024/erstens.md": entry(),
}


def _load(content: Path, monkeypatch: pytest.MonkeyPatch, parallel_from: int, cache: BuildCache | None = None):
    monkeypatch.setattr(tuning, "PARALLEL_ENTRIES", parallel_from)
    problems = Problems()
    found = load_content(
        content, problems, base_url=None, drafts=False, urls=ContentUrls(lambda d, slug: f"/entries/{slug}/", lambda d, rel: f"/{rel}"), cache=cache,
    )  # fmt: skip
    return found, problems.items


def _everything(content: Path, monkeypatch: pytest.MonkeyPatch, parallel_from: int):
    root = content.parent
    cache = BuildCache(root / "cache", b"key")
    found, problems = _load(content, monkeypatch, parallel_from, cache)
    entities = (dict(found.entities.by_slug), found.entities.asked) if found else None
    return found and found.entries, entities, [str(p).replace(str(root), "") for p in problems], cache.entries


def test_problems_come_in_the_order_one_process_finds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    content = write_dossier(tmp_path, FILES)
    one = _everything(content, monkeypatch, 10**9)
    many = _everything(content, monkeypatch, 0)
    assert one[0] is None and many[0] is None
    assert many[2] == one[2]
    assert len(one[2]) >= 6


def test_entries_entities_and_cache_records_are_those_one_process_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    files = {name: text for name, text in FILES.items() if "fuenftens" not in name and "sechstens" not in name and "2024" not in name}
    files["entries/2023/viertens.md"] = entry(body="Mit [Verweis](../2022/zweitens.md#kontext).\n")
    content = write_dossier(tmp_path, files)
    one = _everything(content, monkeypatch, 10**9)
    many = _everything(content, monkeypatch, 0)
    assert one[0] is not None
    assert many[0] == one[0]
    assert many[1] == one[1]
    assert many[2] == one[2] and any("drittens" in p and "draft" in p for p in one[2])
    assert many[3] == one[3] and len(one[3]) == 3
    notes = {e.slug: e.notes_html for e in one[0]}
    assert "den Entwurf" in notes["erstens"] and 'href="/entries/drittens/"' not in notes["erstens"]
