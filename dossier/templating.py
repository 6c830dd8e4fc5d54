"""Where the templates and static files come from: the engine's own, each replaced by a curator's file of the same name.

A curator who wants to change one template puts that one file into a `templates/` folder beside the content
(`templates/entry.html`, `templates/static/style.css`); every other file still comes from the engine, as MkDocs'
`custom_dir` works. Kept apart from the pipeline: the check whether anything changed (uptodate.py) needs it too.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(package: str, repository: str) -> Path:
    """Return a folder the engine ships: `dossier/<package>` when installed from a wheel (setup.py maps the
    repository's folders there), the repository's `<repository>` folder when run from a checkout."""
    packaged = _PACKAGE / package
    return packaged if packaged.is_dir() else _PACKAGE.parent / repository


def built_in() -> Path:
    """Return the engine's own templates and static files."""
    return shipped("templates", "templates")


def folders(own: Path | None) -> tuple[Path, ...]:
    """Return the folders to look templates up in, the first holding a name winning: `own`, then the engine's."""
    engine = built_in()
    if own is None or not own.is_dir() or own.resolve() == engine.resolve():
        return (engine,)
    return (own, engine)


def files(searched: tuple[Path, ...]) -> dict[str, Path]:
    """Return every template and static file by its name below its folder (`static/style.css`), the first found."""
    found: dict[str, Path] = {}
    for folder in searched:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found.setdefault(path.relative_to(folder).as_posix(), path)
    return dict(sorted(found.items()))
