"""What is known about a reported event over time: its reports in the order published, how sure each makes it,
how that changed, and from how many independent origins the reports come.

A report relays what its source names in `via` (an agency's story, another paper's, an intelligence service's
claim), else it is its own origin. Where an event's other report comes from what a `via` names, that report's
own origins are followed instead, so a paper relaying an agency relaying the New York Times counts the Times.
Publications of one declared owner count as one origin: two papers of one group are not two confirmations.

A report that only repeats the claim (`reported`) does not undo a confirmation or a denial; any other status a
report gives that differs from the event's is a change, dated by the report's publication.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Entry, Outlet, Report, Status, StatusChange


class Origins:
    """Names of publications and other origins, each to one key and one name to show: a declared publication with
    an owner to its owner, any other name to itself (matched ignoring case)."""

    def __init__(self, outlets: Iterable[Outlet]):
        self._declared = {outlet.name.casefold(): outlet for outlet in outlets}

    def __call__(self, name: str) -> tuple[str, str]:
        """Return the origin `name` stands for: its key and the name to show."""
        outlet = self._declared.get(name.strip().casefold())
        shown = (outlet.owner or outlet.name) if outlet is not None else name.strip()
        return shown.casefold(), shown


def event_reports(reports: Sequence[tuple[Entry, int]], origins: Origins) -> tuple[tuple[Report, ...], tuple[StatusChange, ...], tuple[str, ...]]:
    """Return an event's reports (one per entry, `reports` in the order published), its status history and its
    independent origins in the order first reported."""
    once = list({entry.slug: (entry, index) for entry, index in reversed(reports)}.values())[::-1]  # an entry's first report of it
    relays: dict[str, list[tuple[str, str]]] = {}
    for entry, _ in once:
        if entry.source.via:
            relays.setdefault(origins(entry.source.name)[0], []).extend(origins(name) for name in entry.source.via)

    def followed(origin: tuple[str, str], seen: frozenset[str]) -> list[tuple[str, str]]:
        key = origin[0]
        if key not in relays or key in seen:
            return [origin]
        return [found for relayed in relays[key] for found in followed(relayed, seen | {key})]

    made: list[Report] = []
    history: list[StatusChange] = []
    shown: dict[str, str] = {}
    for entry, index in once:
        own = origins(entry.source.name)
        relayed = [origins(name) for name in entry.source.via]
        found = [origin for name in relayed for origin in followed(name, frozenset({own[0]}))] if relayed else [own]
        keys = list(dict.fromkeys(key for key, _ in found))
        names = {key: name for key, name in reversed(found)}
        first = tuple(names[key] for key in keys if key not in shown)
        for key in keys:
            shown.setdefault(key, names[key])
        status = entry.events[index].status or entry.status
        if not history or (status is not history[-1].status and status is not Status.REPORTED):
            history.append(StatusChange(entry.date, status, entry.slug))
        made.append(Report(entry.slug, status, tuple(names[key] for key in keys), first))
    return tuple(made), tuple(history), tuple(shown.values())
