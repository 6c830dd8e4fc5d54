"""Read typed fields out of a YAML mapping, recording `path:line` problems instead of raising."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from ..problems import Problems, closest, describe, did_you_mean
from .frontmatter import Document, Key, Loader


@dataclass(slots=True)
class Fields:
    """A mapping in a document, read field by field; every wrong field becomes one problem."""

    doc: Document
    """The document the mapping comes from."""
    problems: Problems
    """Where problems are recorded."""
    key: Key
    """Where the mapping stands in the document's data (() for the top level)."""
    data: dict[str, Any]
    """The mapping itself."""

    @classmethod
    def top(cls, doc: Document, problems: Problems, what: str) -> Fields | None:
        """Return the document's top-level mapping, or record that it is not one."""
        if not isinstance(doc.data, dict):
            problems.error(doc.path, doc.line(), f"expected {what} as a mapping of fields, found {describe(doc.data)}")
            return None
        return cls(doc, problems, (), doc.data)

    def name(self, field: str) -> str:
        """Return the field's dotted name for messages (`source.url`)."""
        parts = [str(part) for part in self.key if isinstance(part, str)] + [field]
        return ".".join(parts)

    def line(self, field: str | None = None) -> int:
        """Return the line of `field` (or of the mapping itself)."""
        return self.doc.line(*self.key, field) if field else self.doc.line(*self.key)

    def error(self, field: str | None, message: str) -> None:
        """Record a problem with `field` at its line."""
        prefix = f'field "{self.name(field)}": ' if field else ""
        self.problems.error(self.doc.path, self.line(field), prefix + message)

    def warn(self, field: str | None, message: str) -> None:
        """Record a warning about `field` at its line."""
        prefix = f'field "{self.name(field)}": ' if field else ""
        self.problems.warn(self.doc.path, self.line(field), prefix + message)

    def only(self, allowed: Iterable[str], nested: Mapping[str, Iterable[str]] | None = None, outer: Iterable[str] = ()) -> None:
        """Record every field that is not in `allowed` (a typo such as `themse:` must not pass unseen).

        A field in the wrong mapping is pointed to where it belongs: `nested` names the fields of the
        mappings inside this one (`author:` not indented under `source:`), `outer` those of the mapping
        this one is in (`summary:` indented under `source:`).
        """
        allowed = list(allowed)
        for field in self.data:
            if field not in allowed:
                name = str(field)
                known = ", ".join(allowed)
                where = self.doc.key_line(*self.key, name)
                self.problems.error(
                    self.doc.path, where, f'unknown field "{self.name(name)}"{self._meant(name, allowed, nested or {}, outer)}; expected one of: {known}'
                )

    def _meant(self, name: str, allowed: list[str], nested: Mapping[str, Iterable[str]], outer: Iterable[str]) -> str:
        """Return the hint for an unknown field: where it belongs when that is a mapping inside or around this one,
        else the field closest to it."""
        homes = [parent for parent, fields in nested.items() if name in fields]
        if homes:
            meant = " or ".join(f'"{self.name(parent)}.{name}"' for parent in homes)
            if len(homes) > 1:
                return f" (did you mean {meant}? indent it under the one it belongs to)"
            item = " with the fields of its item" if isinstance(self.data.get(homes[0]), list) else ""
            return f' (did you mean {meant}? indent it{item} under "{homes[0]}:")'
        parents = [part for part in self.key if isinstance(part, str)]
        if parents and name in outer:
            meant = ".".join([*parents[:-1], name])
            return f' (did you mean "{meant}"? write it in the column of "{parents[-1]}:", not indented under it)'
        close = closest(name, allowed)
        return f' (did you mean "{self.name(close)}"?)' if close is not None else ""

    def has(self, field: str) -> bool:
        """Return whether `field` is present and not empty."""
        return self.data.get(field) not in (None, "", [])

    def required(self, field: str) -> bool:
        """Record a missing required field; return whether it is there."""
        if field not in self.data or self.data[field] is None:
            # A nested mapping is pointed at by its key (`source:`), the top level by its first line.
            line = self.doc.key_line(*self.key) if self.key else self.line()
            self.problems.error(self.doc.path, line, f'missing required field "{self.name(field)}"')
            return False
        return True

    def text(self, field: str, *, required: bool = False) -> str | None:
        """Return a text field; numbers are taken as text, anything else is a problem."""
        self._cut(field, (field,))
        if required and not self.required(field):
            return None
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            hint = " (put it in quotes)" if isinstance(value, bool) else ""
            self.error(field, f"expected text, found {describe(value)}{hint}")
            return None
        value = str(value).strip()
        if not value:
            if required:
                self.error(field, "expected text, found an empty value")
            return None
        return value

    def number(self, field: str, default: float, *, integer: bool = False, minimum: float = 0) -> float:
        """Return a number field (a whole number when `integer`), at least `minimum`."""
        value = self.data.get(field)
        if value is None:
            return default
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            self.error(field, f"expected {kind}, found {describe(value)}")
            return default
        if value < minimum:
            self.error(field, f"expected {kind} of at least {minimum:g}, found {describe(value)}")
            return default
        return value

    def boolean(self, field: str, default: bool = False) -> bool:
        """Return a true/false field."""
        value = self.data.get(field)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(field, f"expected true or false, found {describe(value)}")
            return default
        return value

    def texts(self, field: str, *, required: bool = False) -> list[tuple[str, int]]:
        """Return a list of texts with their lines; a single text is taken as a list of one."""
        self._cut(field, (field,))
        if required and not self.required(field):
            return []
        value = self.data.get(field)
        if value is None:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            if isinstance(value, str):
                self._commas(field, value)
            return [(str(value).strip(), self.line(field))]
        if not isinstance(value, list):
            self.error(field, f"expected a list of texts, found {describe(value)}")
            return []
        found: list[tuple[str, int]] = []
        for index, item in enumerate(value):
            line = self.doc.line(*self.key, field, index)
            self._cut(field, (field, index))
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.problems.error(
                    self.doc.path, line, f'field "{self.name(field)}": expected text in the list, found {describe(item)}'
                )
                continue
            found.append((str(item).strip(), line))
        if required and not found and isinstance(value, list) and not value:
            self.error(field, "expected at least one item, found an empty list")
        return found

    def _commas(self, field: str, value: str) -> None:
        """Warn about a single text with commas where a list may be written: `entities: NATO, Estlink 2` is one name."""
        items = [part.strip() for part in value.split(",")]
        if len(items) < 2 or not all(items):
            return
        self.warn(
            field,
            f"found one text with commas, {describe(value)}; for a list of {len(items)}, write {field}: {_as_list(items)}; for one text with a comma, write {field}: {_as_list([value])}",
        )

    def _cut(self, field: str, at: tuple[str | int, ...]) -> None:
        """Warn where the value at `at` ended at a `#` YAML reads as a comment (`title: Eagle S #shadowfleet`)."""
        rest = self.doc.cut.get(self.key + at)
        if rest is None:
            return
        value = self.data.get(field) if len(at) == 1 else self.data[field][at[1]]
        written = f"{'' if value is None else value}{rest}".strip()
        comment = rest.strip()
        where = f"{field}:" if len(at) == 1 else "-"
        self.problems.warn(
            self.doc.path,
            self.doc.line(*self.key, *at),
            f'field "{self.name(field)}": the text stops before "{comment}", which YAML reads as a comment; to keep it, put the whole value in quotes: {where} {_quoted(written)}',
        )

    def mapping(self, field: str, *, required: bool = False) -> Fields | None:
        """Return a nested mapping."""
        if required and not self.required(field):
            return None
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(field, f"expected a mapping of fields, found {describe(value)}")
            return None
        return Fields(self.doc, self.problems, self.key + (field,), value)

    def mappings(self, field: str) -> list[Fields]:
        """Return a list of nested mappings."""
        value = self.data.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(field, f"expected a list, found {describe(value)}")
            return []
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.error(
                    self.doc.path,
                    self.doc.line(*self.key, field, index),
                    f'field "{self.name(field)}": expected each item as a mapping of fields, found {describe(item)}',
                )
                continue
            found.append(Fields(self.doc, self.problems, self.key + (field, index), item))
        return found

    def choice(self, field: str, choices: Iterable[str], default: str) -> str:
        """Return a field that must be one of `choices`."""
        choices = list(choices)
        value = self.text(field)
        if value is None:
            return default
        if value not in choices:
            self.error(field, f"expected one of {', '.join(choices)}, found {describe(value)}{did_you_mean(value, choices)}")
            return default
        return value


def _quoted(text: str) -> str:
    """Return `text` as a YAML value in double quotes, for what-to-write hints."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1_000_000).strip()


def _as_list(items: list[str]) -> str:
    """Return `items` as a YAML list on one line (`[NATO, Estlink 2]`), for what-to-write hints."""
    return "[" + ", ".join(item if _reads_back(item) else _quoted(item) for item in items) + "]"


def _reads_back(item: str) -> bool:
    """Return whether `item` written plain in a YAML list reads back as the same text."""
    try:
        return yaml.load(f"[{item}]", Loader=Loader) == [item]
    except yaml.YAMLError:
        return False
