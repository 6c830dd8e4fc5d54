"""Property-based: whatever front matter and notes a curator writes, the build succeeds or says `path:line: message`."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.build import BuildOptions, build
from dossier.problems import ContentError

from conftest import ROOT, write_dossier

FIELDS = [
    "title", "date", "source", "language", "summary", "themes", "entities", "events", "related", "further_reading",
    "status", "tags", "quotes", "image", "draft", "themse",
]  # fmt: skip
PROBLEM = re.compile(r"^[^\n:]+(:\d+)?: (warning: )?\S.*$")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["2022-09-06", "2022-02-30", "2022-13", "2019", "one", "two", "https://x.org", "javascript:x", "../x.md"]),
)  # fmt: skip
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS + ["name", "url", "text", "by", "src", "alt", "id"]), inner, max_size=4), max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(FIELDS), values, max_size=10)
valid_base = {"title": "T", "date": "2022-09-06", "source": {"name": "news.de"}, "summary": "S", "themes": ["one"]}
pieces = list("abc xyz\n#*_`[]()!<>|:-/.\\&;\"'") + ["[l](x.md)", "[l](../a/b.md#c)", "![i](m.png)", "<script>", "javascript:", "```", "[^1]", "\n[^1]: n", "\x00", "\u202e"]
notes = st.lists(st.sampled_from(pieces), max_size=60).map("".join)


def run(front: dict | str, body: str) -> list[str]:
    """Build a dossier with one such entry; return its problems ([] on success)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text = front if isinstance(front, str) else yaml.safe_dump(front, allow_unicode=True)
        write_dossier(root, {"entries/a.md": f"---\n{text}---\n{body}", "entries/b.md": "---\n" + yaml.safe_dump(valid_base) + "---\nok\n"})
        try:
            build(BuildOptions(content=root / "content", templates=ROOT / "templates", out=root / "site", search=False))
        except ContentError as exc:
            return [str(p) for p in exc.problems]
        return []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter, notes)
def test_any_front_matter_builds_or_reports_path_line(front, body):
    for problem in run(front, body):
        assert PROBLEM.match(problem), problem


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional={key: values for key in ("entities", "events", "tags", "quotes", "image", "related")}), notes)
def test_valid_entries_with_any_extras_and_notes(extra, body):
    for problem in run({**valid_base, **extra}, body):
        assert PROBLEM.match(problem), problem


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_as_front_matter(text):
    for problem in run(text if text.endswith("\n") else text + "\n", "notes\n"):
        assert PROBLEM.match(problem), problem


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(list("/s#?%:@ \t\n\x00\x1f\x7fé.-+aH1") + ["/sub/", "//", "%2F", "%C3%A9", "https:", "#", "mailto:"]), max_size=12).map("".join))
def test_links_parse_as_urllib_parses_them(link):
    """The link check takes the links templates write apart itself (integrity._PLAIN): it finds what urllib finds."""
    from urllib.parse import unquote, urlsplit

    from dossier.publish.integrity import LinkIndex

    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        expected = None
    elif not parts.path:
        expected = (None, unquote(parts.fragment))
    elif unquote(parts.path).startswith("/sub/"):
        expected = (unquote(parts.path)[len("/sub/") :], unquote(parts.fragment))
    else:
        expected = f'broken link "{link}": it does not start with the base path /sub/'
    assert LinkIndex("/sub/")._parse(link) == expected
