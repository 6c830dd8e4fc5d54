"""The command line: parse options, run the build, print problems and the summary, choose the exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import BuildOptions, build
from .problems import ContentError

COMMANDS = ("build", "check")


def make_parser() -> argparse.ArgumentParser:
    """Return the parser for `python build.py`."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build a curated news dossier from content/ into a static site in site/.",
        epilog="Without a command, 'build' runs. Problems in the content are printed as\n"
        "path:line: message; the build then exits with status 1 and leaves the previous site untouched.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="validate the content and build the site (the default)")
    check_cmd = commands.add_parser("check", help="validate the content only; write nothing")
    for sub in (build_cmd, check_cmd):
        _add_common(sub)
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)")
    build_cmd.add_argument("--no-search", dest="search", action="store_false", help="skip the search index (faster previews; the search page then finds nothing)")
    build_cmd.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR", help="templates and static files (default: templates)")
    # `python build.py --help` shows every command's options, not only the command names.
    parser.epilog = "\n\n".join([parser.epilog or "", build_cmd.format_help(), check_cmd.format_help()])
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="the dossier's content folder (default: content)")
    parser.add_argument("--base-url", metavar="URL", help="where the site will live, overriding base_url in dossier.yaml")
    parser.add_argument("--drafts", action="store_true", help="include entries marked draft: true")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    options = BuildOptions(
        content=args.content,
        base_url=args.base_url,
        drafts=args.drafts,
        **({"out": args.out, "templates": args.templates, "search": args.search} if args.command == "build" else {}),
    )
    try:
        result = build(options, check_only=args.command == "check")
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(not p.warning for p in exc.problems)
        print(f"Build failed: {errors} error(s); {options.out}/ was left as it was.", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if args.command == "check":
        print(f"Checked {result.entries} entries: {len(result.warnings)} warning(s), no errors.")
        return 1 if args.strict and result.warnings else 0
    search = f" (search index {result.search_seconds:.2f} s)" if options.search else " (no search index)"
    print(
        f"Built {result.entries} entries into {options.out}/: {result.pages} pages, {result.files} files, "
        f"{len(result.warnings)} warning(s) in {result.seconds:.2f} s{search}."
    )
    return 0
