"""Read a content file: UTF-8 text, YAML front matter with the line of every value, and the body."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problems, describe

# libyaml parses front matter several times faster than the pure-Python loader; both are safe loaders.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that leaves dates as text, so the engine parses (and reports) them itself."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


Key = tuple[str | int, ...]

# Limits that keep a hostile or broken file from exhausting the build (documented in docs/format.md).
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 20_000


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed content file: its data, where each value stands, and its Markdown body."""

    path: Path
    """The file."""
    data: Any
    """The YAML data (a mapping for well-formed files), dates left as strings."""
    lines: dict[Key, int] = field(default_factory=dict)
    """1-based line of each value, keyed by its path in the data: ("events", 0, "date")."""
    key_lines: dict[Key, int] = field(default_factory=dict)
    """1-based line of each mapping key, keyed like `lines` (an unknown field is reported there)."""
    cut: dict[Key, str] = field(default_factory=dict)
    """What follows a plain value on its line where it looks like text YAML took for a comment (` #shadowfleet`)."""
    body: str = ""
    """The Markdown after the front matter."""
    body_line: int = 1
    """The 1-based line of the file where the body starts."""

    def line(self, *key: str | int) -> int:
        """Return the line of the value at `key`, or of its nearest enclosing value."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def key_line(self, *key: str | int) -> int:
        """Return the line where the mapping key at `key` is written (for unknown-field errors)."""
        return self.key_lines.get(key) or self.line(*key)


def read_text(path: Path, problems: Problems) -> str | None:
    """Return the file's text, or record where it stops being UTF-8 (or that it is too large) and return None."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.error(path, 1, f"the file has {size:,} bytes, more than the {MAX_FILE_BYTES:,} a content file may have")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.error(path, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8")
        return None
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, text: str, problems: Problems, first_line: int = 1) -> Document | None:
    """Parse YAML `text` that starts at `first_line` of `path`; record syntax errors with their line."""
    loader = Loader(text)
    document = Document(path=path, data=None)
    try:
        node = loader.get_single_node()
        seen: set[int] = set()
        aliased = node is not None and _Walk(text, first_line, document, seen, problems).index(node, ())
        # Without aliases, the values are the nodes walked; with them, they are counted as expanded.
        if node is not None and (_expanded_size(node, {}, MAX_VALUES) if aliased else len(seen)) > MAX_VALUES:
            problems.error(path, first_line + node.start_mark.line, f"the YAML expands to more than {MAX_VALUES:,} values through its aliases (*name); write the values out")
            return None
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = exc.problem or "could not be read"
        if exc.context:
            what = f"{exc.context}, {what}"
        problems.error(path, line, f"YAML syntax error: {what}{_syntax_hint(exc, text, first_line)}")
        return None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        problems.error(path, line, f"YAML error: character #x{exc.character:04x} is not allowed in YAML ({exc.reason})")
        return None
    except yaml.YAMLError as exc:
        problems.error(path, first_line, f"YAML error: {str(exc).splitlines()[0]}")
        return None
    finally:
        loader.dispose()
    return dataclasses.replace(document, data=data)


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> str:
    """Return what to write instead, for the YAML mistakes curators make most, as "; ..." after YAML's own message."""
    mark = exc.problem_mark
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line].rstrip("\r") if mark.line < len(lines) else ""
    problem = exc.problem or ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent or "tab" in problem or "'\\t'" in problem:
        return "; YAML indents with spaces, not tabs: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        field, colon, value = line.strip().partition(": ")
        if colon and value and mark.column > line.index(": "):
            quoted = yaml.safe_dump(value.strip(), default_style='"', allow_unicode=True, width=1_000_000).strip()
            return f'; a value that contains ": " must be in quotes: {field}: {quoted}'
        return '; YAML reads this line as going on from the line above: has that line lost the ": " after its field name, or is this one indented too far?'
    if "quoted scalar" in (exc.context or "") and "end of stream" in problem and exc.context_mark is not None:
        return f"; the quote opened on line {first_line + exc.context_mark.line} is never closed: end the value with the same quote mark"
    if "cannot start any token" in problem and line[mark.column : mark.column + 1] in ("@", "`"):
        return f'; a value cannot start with "{line[mark.column]}": put the whole value in quotes'
    if "flow sequence" in (exc.context or "") and exc.context_mark is not None:
        return f'; check the list opened with "[" on line {first_line + exc.context_mark.line}: it must end with "]", and an item that holds ": " must be in quotes'
    if "block mapping" in (exc.context or "") or "block end" in problem:
        if mark.column > len(indent):
            return "; text follows a value's closing quote mark: put the whole value in quotes"
        if line.lstrip(" \t").startswith("-"):
            return '; a list item ("- ...") must stand in the same column as the items above it, indented below its field'
        return "; check the indentation: the fields of one mapping start in the same column"
    return ""


def _expanded_size(node: yaml.Node, sizes: dict[int, int], limit: int) -> int:
    """Return how many values `node` holds once every alias is expanded, counting each node once.

    Nested anchors (an alias bomb) make this number explode while the text stays tiny; sizes are
    memoised per node, so measuring stays linear in the text, and stops past `limit`.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    for child in children:
        total += _expanded_size(child, sizes, limit)
        if total > limit:
            break
    sizes[id(node)] = total
    return total


@dataclass(slots=True)
class _Walk:
    """A walk over the nodes of one YAML text, recording the line of every value."""

    text: str
    first_line: int
    document: Document
    seen: set[int]
    """Every node walked."""
    problems: Problems

    def index(self, node: yaml.Node, key: Key) -> bool:
        """Record the line of `node` and of everything inside it; return whether a node was reached again (through
        an alias).

        A node reached again is not walked twice, so nested anchors cannot make this walk exponential.
        """
        document, first_line, seen = self.document, self.first_line, self.seen
        document.lines[key] = first_line + node.start_mark.line
        if id(node) in seen:
            return True
        seen.add(id(node))
        again = False
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    name = key_node.value
                    again |= id(key_node) in seen
                    seen.add(id(key_node))
                else:  # a collection as a key: counted by _expanded_size
                    name, again = str(key_node.start_mark), True
                if key + (name,) in document.key_lines:
                    self._twice(key + (name,), first_line + key_node.start_mark.line)
                document.key_lines[key + (name,)] = first_line + key_node.start_mark.line
                again |= self.index(value_node, key + (name,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                again |= self.index(item, key + (index,))
        elif not node.style:  # a plain scalar: only these can run on or end at a comment unseen
            self._after(node, key)
            if node.end_mark.line > node.start_mark.line:
                self._run_on(node, key)
        return again

    def _twice(self, key: Key, line: int) -> None:
        """Warn about a field written twice in one mapping: YAML keeps the last value and drops the first unseen."""
        name = ".".join(str(part) for part in key if isinstance(part, str))
        self.problems.warn(
            self.document.path, line, f'field "{name}" is written twice, on line {self.document.key_lines[key]} and here; only this value is read: remove one of them'
        )

    def _after(self, node: yaml.ScalarNode, key: Key) -> None:
        """Keep what follows a plain value on its line when it is a comment that starts like a word (`#shadowfleet`).

        A comment such as `  # the publication` (a space after the #) is one a person wrote as a comment, so only
        the hashtag kind is taken as text cut off.
        """
        end = node.end_mark.index
        stop = self.text.find("\n", end)
        rest = self.text[end : stop if stop >= 0 else len(self.text)].rstrip()
        comment = rest.lstrip(" \t")
        if comment.startswith("#") and len(comment) > 1 and not comment[1].isspace() and comment[1] != "#":
            self.document.cut[key] = rest

    def _run_on(self, node: yaml.ScalarNode, key: Key) -> None:
        """Warn where a line that starts with "- " continues a text: YAML joins it to the item above it."""
        lines = self.text[node.start_mark.index : node.end_mark.index].split("\n")
        for offset, line in enumerate(lines[1:], start=1):
            stripped = line.strip()
            if stripped == "-" or stripped.startswith("- "):
                name = ".".join(str(part) for part in key if isinstance(part, str))
                prefix = f'field "{name}": ' if name else ""
                if key and isinstance(key[-1], int):
                    fix = 'to make it an item of its own, put its "-" in the same column as the "-" above'
                else:
                    fix = f'for a list, write each item on a line of its own below "{key[-1] if key else name}:", starting with "- "'
                self.problems.warn(
                    self.document.path,
                    self.first_line + node.start_mark.line + offset,
                    f'{prefix}"{stripped}" is read as part of the text above it, {describe(node.value)}; {fix}',
                )


def read_front_matter(path: Path, problems: Problems) -> Document | None:
    """Split a Markdown file into front matter and body; record what is wrong with its shape."""
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        problems.error(path, 1, 'expected front matter opening with a line "---" at the top of the file')
        return None
    index = _closing_line(lines)
    if index is None:
        problems.error(path, 1, 'the front matter opened on line 1 is never closed: expected a line "---" after it')
        return None
    document = load_yaml(path, "".join(lines[1:index]), problems, first_line=2)
    if document is None:
        return None
    return Document(
        path=path,
        data=document.data,
        lines=document.lines,
        key_lines=document.key_lines,
        cut=document.cut,
        body="".join(lines[index + 1 :]),
        body_line=index + 2,
    )


def read_body(path: Path) -> Document | None:
    """Return the file's body alone, its front matter unparsed; None where read_front_matter would report a problem first.

    For rendering notes in another process while this one reads the front matter (load.py).
    """
    text = read_text(path, Problems())
    lines = text.splitlines(keepends=True) if text is not None else []
    index = _closing_line(lines) if lines and lines[0].rstrip() == "---" else None
    if index is None:
        return None
    return Document(path=path, data=None, body="".join(lines[index + 1 :]), body_line=index + 2)


def _closing_line(lines: list[str]) -> int | None:
    """Return the index of the line that closes the front matter opened by the first one."""
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None
