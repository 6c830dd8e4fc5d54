"""Generate a synthetic dossier of N entries, and optionally the same entries as a Hugo site.

The shape imitates a real news archive so that costs which grow with it show up: words, entities and
tags follow Zipf's law (a few very common, a long tail), themes are skewed, events are often reported
several times under one `id`, and entries link to earlier ones. The same --seed gives the same bytes.

    python benchmarks/generate.py --n 10000 --out /tmp/bench/dossier [--seed 1] [--hugo /tmp/bench/hugo]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
HUGO_SKELETON = Path(__file__).resolve().parent / "hugo"
START = dt.date(2019, 1, 1)
DAYS = 6 * 365  # publication dates span about six years, ending in 2024: no event lies in the future
VOCABULARY = 4000
THEMES = 12
SOURCES = 40
# Function words at the top ranks make the text read like German and carry Zipf's most frequent words.
FUNCTION_WORDS = (
    "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat "
    "dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis"
).split()
ONSETS = "b br d dr f fl g gr h k kl kr l m n p pf r s sch schw st str t tr w z".split()
VOWELS = "a e i o u a e i o u ä ö ü au ei ie".split()
CODAS = ["", "", "n", "r", "s", "t", "ch", "ck", "ng", "nd", "st", "rt", "lt", "mm", "ß"]
SUFFIXES = ["", "", "", "ung", "heit", "keit", "en", "er", "lich", "isch", "schaft"]
STATUSES = (("reported", 60), ("confirmed", 20), ("disputed", 15), ("refuted", 5))
KINDS = (("person", 40), ("organization", 30), ("place", 20), ("other", 10))
ORG_PATTERNS = ("Ministerium für {}", "{}-Institut", "{} AG", "Bundesamt für {}", "{}-Werke", "Rat der {}")
PLACE_PATTERNS = ("{}stadt", "{}berg", "{}hausen", "Bad {}", "{}burg", "{}dorf")
OTHER_PATTERNS = ("Operation {}", "{}-Abkommen", "Projekt {}", "{}-Resolution")
LINK = re.compile(r"\{link:([a-z0-9-]+)\}")
SOURCE_PATTERNS = ("Der {}", "{} Zeitung", "{}post", "Radio {}", "{} Rundschau", "{}blatt")


class Zipf(Generic[T]):
    """Draws items with probability proportional to 1/rank, the shape of word, name and tag frequencies."""

    def __init__(self, items: list[T], exponent: float = 1.0):
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items))))

    def draw(self, rng: random.Random, k: int = 1) -> list[T]:
        """Return `k` items drawn with replacement."""
        return rng.choices(self.items, cum_weights=self.cum, k=k)

    def distinct(self, rng: random.Random, k: int) -> list[T]:
        """Return up to `k` different items, the common ones most likely."""
        return list(dict.fromkeys(self.draw(rng, k)))


@dataclass(frozen=True, slots=True)
class Entity:
    """A declared entity: its name, kind and other names."""

    name: str
    """The name dossier.yaml declares."""
    kind: str
    """person, organization, place or other."""
    aliases: tuple[str, ...]
    """Other names entries may use instead."""


@dataclass(frozen=True, slots=True)
class Event:
    """An event as an entry reports it; a shared `id` makes reports in several entries one event."""

    date: str
    """YYYY, YYYY-MM or YYYY-MM-DD."""
    title: str
    """What happened."""
    id: str | None
    """Shared by every report of the same event."""
    end: str | None = None
    """The end of a span, a month after the start or later."""
    approximate: bool = False
    """Whether the date is only roughly known."""


@dataclass(frozen=True, slots=True)
class Source:
    """The article an entry is about."""

    name: str
    """The publication."""
    url: str
    """The article's address."""
    author: str | None
    """Who wrote it."""
    title: str | None
    """The article's own headline, when the curator's differs."""
    archive_url: str | None
    """An archived copy."""
    accessed: dt.date | None
    """When the curator last read it."""


@dataclass(slots=True)
class Entry:
    """One synthetic article with everything both sites need; `body` links entries by `{link:slug}`."""

    slug: str
    """The file name without .md; unique."""
    date: dt.date
    """Publication date."""
    title: str
    """Headline."""
    summary: str
    """Two or three sentences."""
    source: Source
    """The article."""
    themes: list[str]
    """Theme slugs, the main theme first."""
    entities: list[str]
    """Names as the entry writes them, aliases included."""
    events: list[Event]
    """What it reports."""
    related: list[str]
    """Slugs of earlier entries in its main theme."""
    status: str
    """reported, confirmed, disputed or refuted."""
    tags: list[str]
    """Keywords."""
    language: str | None
    """`en` for an entry not in the dossier's language."""
    quotes: list[tuple[str, str]]
    """Text and speaker."""
    further_reading: list[tuple[str, str, str]]
    """Title, URL and publication of material outside the dossier."""
    body: str
    """Markdown notes; `{link:slug}` stands for a link to another entry, written per format."""

    @property
    def folder(self) -> str:
        """Return the entries/ sub-folder: one per publication year, as real dossiers are kept."""
        return str(self.date.year)


@dataclass(slots=True)
class Plan:
    """A whole synthetic dossier, independent of the format it is written in."""

    themes: list[tuple[str, str]]
    """Slug and title, in declaration order."""
    entities: list[Entity]
    """Declared entities, most often named first."""
    outlets: list[tuple[str, str]]
    """Publications and their home pages, most often cited first."""
    entries: list[Entry] = field(default_factory=list)
    """Oldest first."""


def slugify(text: str) -> str:
    """Return the slug the engine makes of `text` (German umlauts spelled out)."""
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled).replace(umlaut.upper(), spelled.capitalize())
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def pseudo_word(rng: random.Random) -> str:
    """Return a German-looking word of one to three syllables."""
    syllables = rng.choice((1, 1, 2, 2, 3))
    word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))
    return word + rng.choice(SUFFIXES)


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Return `size` distinct words by rank: function words, then pseudo-words, some compounds of earlier ones."""
    words = dict.fromkeys(FUNCTION_WORDS)
    stems: list[str] = []
    while len(words) < size:
        if len(stems) > 50 and rng.random() < 0.2:
            word = rng.choice(stems).capitalize() + rng.choice(("", "s")) + rng.choice(stems)  # Munitions|lieferung
        else:
            word = pseudo_word(rng)
            stems.append(word)
        words[word.capitalize() if rng.random() < 0.4 else word] = None  # nouns are capitalized
    return list(words)


class Writer:
    """Makes titles, sentences, names and notes from one vocabulary."""

    def __init__(self, rng: random.Random, vocabulary: list[str]):
        self.rng = rng
        self.text = Zipf(vocabulary)
        self.content = Zipf(vocabulary[len(FUNCTION_WORDS) :])  # headlines skip "der und die"

    def sentences(self, words: int, low: int = 7, high: int = 18) -> list[str]:
        """Return sentences of `low` to `high` words, about `words` in all, drawn in one call (per sentence, drawing dominated the run time)."""
        drawn = self.text.draw(self.rng, max(words, low))
        result, start = [], 0
        while start < len(drawn):
            chunk = drawn[start : start + self.rng.randint(low, high)]
            start += len(chunk)
            if len(chunk) > 9 and self.rng.random() < 0.4:
                chunk[len(chunk) // 2] += ","
            result.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        return result

    def sentence(self, low: int = 7, high: int = 18) -> str:
        """Return one sentence."""
        return self.sentences(self.rng.randint(low, high), low, high)[0]

    def title(self) -> str:
        """Return a headline of 5 to 9 words."""
        words = self.content.draw(self.rng, self.rng.randint(5, 9))
        return " ".join([words[0].capitalize(), *words[1:]])

    def name(self) -> str:
        """Return a new capitalized word: names and tags are many and each rare, unlike running text."""
        return pseudo_word(self.rng).capitalize()

    def person(self) -> str:
        """Return a first and last name."""
        return f"{self.name()} {self.name()}"

    def paragraphs(self, words: int, links: list[str]) -> list[str]:
        """Return about `words` words of Markdown in 3-5 paragraphs, with `links` (slugs) woven in."""
        count = self.rng.randint(3, 5)
        paragraphs = []
        for index in range(count):
            sentences = self.sentences(words // count)
            if index < len(links):
                sentences.append(f"Siehe [{self.name()} {self.name()}]({{link:{links[index]}}}).")
            if self.rng.random() < 0.15:
                sentences.append(f"Mehr bei [{self.name()}](https://example.org/{slugify(self.name())}).")
            if self.rng.random() < 0.2:
                sentences[0] = f"**{sentences[0]}**"
            paragraphs.append(" ".join(sentences))
        if self.rng.random() < 0.2:
            paragraphs.insert(1, f"## {self.title()}")
        if self.rng.random() < 0.2:
            paragraphs.append("\n".join(f"- {self.sentence(3, 8)}" for _ in range(self.rng.randint(2, 5))))
        return paragraphs


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    """Return one of the values in `pairs`, drawn by its weight."""
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def make_entities(writer: Writer, count: int) -> list[Entity]:
    """Return `count` entities of every kind, about a third with aliases; no name, alias or slug used twice."""
    rng, taken, entities = writer.rng, set(), []
    patterns = {"organization": ORG_PATTERNS, "place": PLACE_PATTERNS, "other": OTHER_PATTERNS}
    while len(entities) < count:
        kind = weighted(rng, KINDS)
        name = writer.person() if kind == "person" else rng.choice(patterns[kind]).format(writer.name())
        if {name.casefold(), "slug:" + slugify(name)} & taken:
            continue
        aliases = []
        if rng.random() < 0.35:
            short = name.split()[-1] if kind == "person" else "".join(w[0] for w in name.replace("-", " ").split()).upper()
            spelled = slugify(name).replace("-", " ").title()  # the name without umlauts, as English sources write it
            aliases = [a for a in dict.fromkeys((short, spelled)) if a.casefold() != name.casefold() and a.casefold() not in taken]
        taken |= {name.casefold(), "slug:" + slugify(name), *(a.casefold() for a in aliases)}
        entities.append(Entity(name, kind, tuple(aliases)))
    return entities


def plan_dossier(n: int, seed: int) -> Plan:
    """Return a dossier of `n` entries in publication order; the same seed gives the same plan."""
    rng = random.Random(seed)
    writer = Writer(rng, make_vocabulary(rng, VOCABULARY))
    themes = []
    for index in range(THEMES):
        title = f"{writer.name()} und {writer.name()}"
        themes.append((f"{slugify(title)}-{index + 1}", title))
    scale = max(20, int(3 * n**0.5))  # 300 entities and tags at 10,000 entries
    outlets = {slugify(name): (name, f"https://www.{slugify(writer.name())}.de/") for name in
               (rng.choice(SOURCE_PATTERNS).format(writer.name()) for _ in range(SOURCES))}  # fmt: skip
    planner = Planner(writer, Plan(themes, make_entities(writer, scale), list(outlets.values())), scale)
    dates = sorted(START + dt.timedelta(days=int(rng.triangular(0, DAYS, DAYS * 0.8))) for _ in range(n))
    for index, date in enumerate(dates):
        planner.add_entry(index, date)
    return planner.plan


class Planner:
    """Adds entries one by one in publication order, so each may refer to those before it."""

    def __init__(self, writer: Writer, plan: Plan, scale: int):
        self.rng, self.writer, self.plan = writer.rng, writer, plan
        self.themes = Zipf([slug for slug, _ in plan.themes])
        self.entities = Zipf(plan.entities)
        self.tags = Zipf(list(dict.fromkeys(slugify(writer.name()) for _ in range(scale))))
        self.outlets = Zipf(plan.outlets)
        self.undeclared = [writer.person() for _ in range(scale // 3)]
        self.shared: list[Event] = []
        """Events with an id, which later entries report again."""
        self.by_theme: dict[str, list[str]] = {slug: [] for slug, _ in plan.themes}

    def add_entry(self, index: int, date: dt.date) -> None:
        """Add entry number `index`, published on `date`."""
        rng, writer = self.rng, self.writer
        title = writer.title()
        themes = self.themes.distinct(rng, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
        earlier = self.plan.entries
        links = [rng.choice(earlier).slug for _ in range(rng.choice((1, 1, 2)))] if earlier and rng.random() < 0.3 else []
        same_theme = self.by_theme[themes[0]][-50:]
        related = [rng.choice(same_theme) for _ in range(rng.randint(1, 3))] if same_theme and rng.random() < 0.25 else []
        slug = f"{slugify(' '.join(title.split()[:5]))[:60].strip('-')}-{index + 1}"
        self.plan.entries.append(Entry(
            slug=slug, date=date, title=title,
            summary=" ".join(writer.sentence(10, 22) for _ in range(rng.randint(2, 3))),
            source=self._source(slug, date),
            themes=themes, entities=self._mentions(), events=self._events(date), related=list(dict.fromkeys(related)),
            status=weighted(rng, STATUSES), tags=self.tags.distinct(rng, rng.choices(range(6), weights=(20, 25, 25, 15, 10, 5))[0]),
            language="en" if rng.random() < 0.1 else None,
            quotes=[(writer.sentence(6, 14), writer.person()) for _ in range(rng.randint(1, 2))] if rng.random() < 0.2 else [],
            further_reading=[(writer.title(), f"https://example.org/{slugify(writer.name())}", self.outlets.draw(rng)[0][0])
                             for _ in range(rng.randint(1, 2))] if rng.random() < 0.1 else [],
            body="\n\n".join(writer.paragraphs(int(rng.gauss(500, 80)), list(dict.fromkeys(links)))) + "\n",
        ))  # fmt: skip
        self.by_theme[themes[0]].append(slug)

    def _source(self, slug: str, published: dt.date) -> Source:
        """Return the article: a publication (a few cite most), its URL, now and then an archive copy."""
        rng = self.rng
        name, home = self.outlets.draw(rng)[0]
        url = f"{home}{published:%Y/%m}/{slug}"
        return Source(
            name, url, self.writer.person() if rng.random() < 0.5 else None,
            self.writer.title() if rng.random() < 0.2 else None,
            f"https://web.archive.org/web/{published:%Y%m%d}/{url}" if rng.random() < 0.1 else None,
            published + dt.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.3 else None,
        )  # fmt: skip

    def _mentions(self) -> list[str]:
        """Return 0-6 entity names as an entry writes them: sometimes an alias, now and then an undeclared name."""
        rng, names = self.rng, []
        for entity in self.entities.distinct(rng, rng.choices(range(7), weights=(10, 20, 25, 20, 12, 8, 5))[0]):
            names.append(rng.choice(entity.aliases) if entity.aliases and rng.random() < 0.3 else entity.name)
        if rng.random() < 0.05:
            names.append(rng.choice(self.undeclared))
        return list(dict.fromkeys(names))

    def _events(self, published: dt.date) -> list[Event]:
        """Return 0-3 events, a fifth of them another report of a recent event an earlier entry reported."""
        rng, events = self.rng, []
        for _ in range(rng.choices(range(4), weights=(30, 35, 25, 10))[0]):
            if self.shared and rng.random() < 0.2:
                event = rng.choice(self.shared[-50:])
                if all(event.id != other.id for other in events):
                    events.append(event)
                continue
            day = published - dt.timedelta(days=rng.randint(0, 90))
            date = day.strftime(rng.choices(("%Y-%m-%d", "%Y-%m", "%Y"), weights=(60, 30, 10))[0])
            event_id = f"ereignis-{len(self.shared) + 1}" if rng.random() < 0.3 else None
            end = f"{day.year + 1}-{day.month:02d}" if rng.random() < 0.05 else None
            events.append(Event(date, self.writer.title(), event_id, end, rng.random() < 0.05))
            if event_id:
                self.shared.append(events[-1])
        return events


def q(text: str) -> str:
    """Return `text` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def qlist(items: list[str]) -> str:
    """Return a YAML flow sequence of quoted strings."""
    return "[" + ", ".join(q(item) for item in items) + "]"


def write_dossier(plan: Plan, out: Path) -> None:
    """Write `plan` as content/dossier.yaml and content/entries/<year>/<slug>.md below `out`."""
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    lines = ["title: Synthetisches Dossier", "description: Ein erzeugtes Dossier für Leistungsmessungen.",
             "language: de", "base_url: https://example.org/bench/", "themes:"]  # fmt: skip
    for slug, title in plan.themes:
        lines += [f"  - slug: {slug}", f"    title: {q(title)}", f"    description: {q(title + '.')}"]
    lines.append("entities:")
    for entity in plan.entities:
        lines += [f"  - name: {q(entity.name)}", f"    kind: {entity.kind}"]
        if entity.aliases:
            lines.append(f"    aliases: {qlist(list(entity.aliases))}")
        if entity.kind == "place":
            # Invented places are not in the gazetteer: each gets coordinates of its own, in Central and Eastern
            # Europe, drawn from its name so that the entries' random sequence stays as it was.
            spot = random.Random(entity.name)
            lines.append(f"    coordinates: [{spot.uniform(44, 56):.3f}, {spot.uniform(2, 38):.3f}]")
    lines.append("sources:")
    for rank, (name, home) in enumerate(plan.outlets):
        if rank % 4 != 3:  # a quarter are only named by entries, as in a dossier still being written
            lines += [f"  - name: {q(name)}", f"    url: {home}", "    country: DE", "    language: de"]
    (content / "entries").mkdir(parents=True)
    (content / "dossier.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folders = {entry.slug: entry.folder for entry in plan.entries}
    for year in set(folders.values()):
        (content / "entries" / year).mkdir()
    for entry in plan.entries:
        text = "---\n" + _front_matter(entry) + "---\n" + _file_links(entry, folders)
        (content / "entries" / entry.folder / f"{entry.slug}.md").write_text(text, encoding="utf-8")


def _file_links(entry: Entry, folders: dict[str, str]) -> str:
    """Return the notes with links to entry files, relative to the entry's folder as the format asks."""

    def link(match: re.Match[str]) -> str:
        target = match.group(1)
        return f"{target}.md" if folders[target] == entry.folder else f"../{folders[target]}/{target}.md"

    return LINK.sub(link, entry.body)


def _front_matter(entry: Entry) -> str:
    """Return the entry's front matter in our format."""
    source = entry.source
    lines = [f"title: {q(entry.title)}", f"date: {entry.date.isoformat()}", "source:", f"  name: {q(source.name)}", f"  url: {source.url}"]
    lines += [f"  author: {q(source.author)}"] if source.author else []
    lines += [f"  title: {q(source.title)}"] if source.title else []
    lines += [f"  archive_url: {source.archive_url}"] if source.archive_url else []
    lines += [f"  accessed: {source.accessed.isoformat()}"] if source.accessed else []
    if entry.language:
        lines.append(f"language: {entry.language}")
    lines += [f"summary: {q(entry.summary)}", f"themes: {qlist(entry.themes)}"]
    if entry.entities:
        lines.append(f"entities: {qlist(entry.entities)}")
    if entry.events:
        lines.append("events:")
    for event in entry.events:
        lines += [f"  - date: {q(event.date)}", f"    title: {q(event.title)}"]
        lines += [f"    id: {event.id}"] if event.id else []
        lines += [f"    end: {q(event.end)}"] if event.end else []
        lines += ["    approximate: true"] if event.approximate else []
    if entry.related:
        lines.append(f"related: {qlist(entry.related)}")
    if entry.further_reading:
        lines.append("further_reading:")
    for title, url, outlet in entry.further_reading:
        lines += [f"  - title: {q(title)}", f"    url: {url}", f"    source: {q(outlet)}"]
    lines.append(f"status: {entry.status}")
    if entry.tags:
        lines.append(f"tags: {qlist(entry.tags)}")
    if entry.quotes:
        lines.append("quotes:")
    for text, by in entry.quotes:
        lines += [f"  - text: {q(text)}", f"    by: {q(by)}"]
    return "\n".join(lines) + "\n"


def write_hugo(plan: Plan, out: Path) -> None:
    """Write `plan` as a Hugo site: the skeleton in benchmarks/hugo/ plus content/entries/<slug>.md."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(HUGO_SKELETON, out)
    for slug, title in plan.themes:  # the themes' titles, and a feed per theme as Dossier writes
        (out / "content" / "themes" / slug).mkdir(parents=True)
        front = f"---\ntitle: {q(title)}\noutputs: [html, rss]\n---\n{title}.\n"
        (out / "content" / "themes" / slug / "_index.md").write_text(front, encoding="utf-8")
    entries = out / "content" / "entries"
    entries.mkdir(parents=True)
    # Dossier resolves aliases to one entity; Hugo would make each spelling a term of its own.
    canonical = {alias: entity.name for entity in plan.entities for alias in entity.aliases}
    for entry in plan.entries:
        front = {
            "title": entry.title, "date": entry.date.isoformat(), "summary": entry.summary,
            "source": {"name": entry.source.name, "url": entry.source.url}, "sources": [entry.source.name], "themes": entry.themes,
            "entities": list(dict.fromkeys(canonical.get(name, name) for name in entry.entities)), "tags": entry.tags,
            "events": [{"date": e.date, "title": e.title} for e in entry.events],
        }  # fmt: skip
        body = LINK.sub(r"../\1/", entry.body)  # the entry's page, relative to this one
        # JSON front matter between YAML fences: JSON is YAML, and much faster to write than yaml.dump.
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
        (entries / f"{entry.slug}.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def generate(n: int, out: Path, seed: int = 1, hugo: Path | None = None) -> Plan:
    """Write a dossier of `n` entries into `out` (and the same as a Hugo site into `hugo`); return its plan."""
    plan = plan_dossier(n, seed)
    write_dossier(plan, out)
    if hugo is not None:
        write_hugo(plan, hugo)
    return plan


def main() -> None:
    """Parse the command line and generate."""
    parser = argparse.ArgumentParser(description="Generate a synthetic dossier (and optionally a Hugo site).")
    parser.add_argument("--n", type=int, default=1000, help="number of entries (default: 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write content/ into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--hugo", type=Path, help="also write the entries as a Hugo site into this folder")
    args = parser.parse_args()
    plan = generate(args.n, args.out, args.seed, args.hugo)
    print(f"{len(plan.entries)} entries, {len(plan.entities)} entities in {args.out / 'content'}" + (f"; Hugo site in {args.hugo}" if args.hugo else ""))


if __name__ == "__main__":
    main()
