"""The command line: parse options, run a command, print problems and progress, choose the exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import re
import sys
from collections import Counter
from pathlib import Path

from ..content.config import load_dossier
from ..options import BuildOptions, BuildResult
from ..problems import ContentError, Problem, Problems
from .skeleton import SkeletonError, new_entry

COMMANDS = ("build", "check", "serve", "new", "import", "init")


def program() -> str:
    """Return how the curator called the engine, for its help and messages: `dossier` or `python build.py`."""
    called = Path(sys.argv[0]).name
    if called == "build.py":
        return "python build.py"
    return "python -m dossier" if called == "__main__.py" else "dossier"


def make_parser(prog: str = "dossier") -> argparse.ArgumentParser:
    """Return the command line's parser, calling itself `prog`."""
    parser = argparse.ArgumentParser(
        prog=prog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build a curated news dossier from content/ into a static site in site/.",
        epilog="Without a command, 'build' runs. Problems in the content are printed as\n"
        "path:line: message; the build then exits with status 1 and leaves the previous site untouched.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="validate the content and build the site (the default)")
    check_cmd = commands.add_parser("check", help="validate the content only; write nothing")
    serve_cmd = commands.add_parser("serve", help="preview on http://127.0.0.1:8000/, rebuilding and reloading on every change")
    new_cmd = commands.add_parser("new", help="write a new entry's skeleton and print its path")
    import_cmd = commands.add_parser("import", help="turn a saved article page (HTML) into a new entry's skeleton")
    init_cmd = commands.add_parser("init", help="start a new dossier repository in a folder, ready to publish on GitHub Pages")
    for sub in (build_cmd, check_cmd, serve_cmd):
        _add_content(sub)
        sub.add_argument("--base-url", metavar="URL", help="where the site will live, overriding base_url in dossier.yaml")
        sub.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    for sub in (build_cmd, serve_cmd):
        sub.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)")
        sub.add_argument(
            "--templates", type=Path, metavar="DIR",
            help="your own templates and static files, each used in place of the built-in one of the same name (default: templates beside the content folder)",
        )
        sub.add_argument("--no-search", dest="search", action="store_false", help="skip the search index (faster previews; the search page then finds nothing)")
        sub.add_argument("--cache", type=Path, metavar="DIR", help="where builds keep what the next one reuses (default: .cache beside the content folder)")
        sub.add_argument("--no-cache", action="store_true", help="build everything anew, ignoring and not writing the cache")
    for sub in (build_cmd, check_cmd):
        sub.add_argument("--quiet", "-q", action="store_true", help="print only errors and the summary line")
        sub.add_argument("--verbose", "-v", action="store_true", help="also print each step as it starts")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument("--links", action="store_true", help="also check the entries' external URLs over the network")
    check_cmd.add_argument("--link-workers", type=int, default=8, metavar="N", help="parallel requests for --links (default: 8)")
    check_cmd.add_argument("--link-timeout", type=float, default=10.0, metavar="SECONDS", help="timeout per link for --links (default: 10)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    new_cmd.add_argument("title", help="the entry's title")
    new_cmd.add_argument("--theme", action="append", default=[], metavar="SLUG", help="a theme of the entry (repeat for several)")
    new_cmd.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day the article was published (default: today); the file goes into that year's folder")
    _add_content(new_cmd)
    import_cmd.add_argument("file", type=Path, help="the saved article page (.html)")
    import_cmd.add_argument("--force", action="store_true", help="overwrite an entry file of the same name")
    _add_content(import_cmd)
    init_cmd.add_argument("folder", type=Path, help="where the new dossier goes (its content/ is written there)")
    init_cmd.add_argument("--title", help="the dossier's title (asked for on a terminal; default: from the folder's name)")
    init_cmd.add_argument("--language", help="its language, a BCP 47 code such as en, en-US, de (default: en)")
    init_cmd.add_argument("--base-url", metavar="URL", help="where it will be published (default: https://example.github.io/<folder>/)")
    init_cmd.add_argument("--theme", action="append", default=[], metavar="TITLE", help="a theme's title (repeat for several; default: one theme, General)")
    init_cmd.add_argument("--from-sample", action="store_true", help="copy the sample dossier instead of starting an empty one")
    init_cmd.add_argument("--engine", metavar="REQUIREMENT", help="what the publishing workflow installs (default: this version of Dossier, by its git address)")
    # `--help` shows every command's options, not only the command names.
    helps = [sub.format_help() for sub in (build_cmd, check_cmd, serve_cmd, new_cmd, import_cmd, init_cmd)]
    parser.epilog = "\n\n".join([parser.epilog or "", *helps])
    return parser


def _add_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="the dossier's content folder (default: content)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser(program()).parse_args(argv)
    command = {"build": _build, "check": _check, "serve": _serve, "new": _new, "import": _import, "init": _init}[args.command]
    return command(args)


def _day(text: str) -> dt.date:
    """Return the day `text` names (YYYY-MM-DD), for argparse."""
    parts = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    padded = f"{parts[1]}-{int(parts[2]):02}-{int(parts[3]):02}" if parts else "2023-10-08"
    try:
        if parts:
            day = dt.date.fromisoformat(padded)
            if padded == text.strip():
                return day
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a day of the calendar') from None
    raise argparse.ArgumentTypeError(f'"{text}" is not a day written YYYY-MM-DD; write {padded}')


def _options(args: argparse.Namespace) -> BuildOptions:
    extra = {key: getattr(args, key) for key in ("out", "search") if hasattr(args, key)}
    if hasattr(args, "templates"):
        extra["templates"] = args.templates or args.content.parent / "templates"
    if hasattr(args, "cache") and not args.no_cache:
        extra["cache"] = args.cache or args.content.parent / ".cache"
    return BuildOptions(content=args.content, base_url=args.base_url, drafts=args.drafts, **extra)


def _build(args: argparse.Namespace) -> int:
    options = _options(args)
    # A build makes millions of objects that live until it ends, and few reference cycles: collecting cycles
    # every 700 allocations, as Python does by default, spends a tenth of a cold build and a fifth of a
    # rebuild going through them again and again.
    gc.set_threshold(100_000, 50, 100)
    progress = Progress(verbose=args.verbose, quiet=args.quiet)
    state = None
    if options.cache is not None:  # whether anything changed, found without loading the pipeline
        from ..incremental.uptodate import look

        state = look(options)
    try:
        if state is not None and state.result is not None:
            progress("nothing changed since the last build")
            result = state.result
        else:
            from ..build import build  # the pipeline, imported only when there is something to build

            result = build(options, progress=progress, state=state)
    except ContentError as exc:
        progress.clear()
        _print_problems(exc.problems, quiet=False)
        errors = sum(not p.warning for p in exc.problems)
        print(f"Build failed: {errors} error(s); {options.out}/ was left as it was.", file=sys.stderr)
        return 1
    progress.clear()
    _print_problems(result.warnings, quiet=args.quiet)
    print(_summary(result, options))
    return 0


def _summary(result: BuildResult, options: BuildOptions) -> str:
    if not options.search:
        search = " (no search index)"
    else:  # a rebuild that changed no page keeps the previous index
        search = f" (search index {result.search_seconds:.2f} s)" if result.search_seconds else ""
    reuse = f"; {result.rendered} of {result.pages} pages rendered anew" if options.cache and result.rendered < result.pages else ""
    return (
        f"Built {result.entries} entries into {options.out}/: {result.pages} pages, {result.files} files, "
        f"{len(result.warnings)} warning(s) in {result.seconds:.2f} s{search}{reuse}."
    )


def _check(args: argparse.Namespace) -> int:
    from ..build import build, load_site
    from .linkcheck import check_links

    options = _options(args)
    try:
        result = build(options, check_only=True, progress=Progress(verbose=args.verbose, quiet=args.quiet))
    except ContentError as exc:
        _print_problems(exc.problems, quiet=False)
        print(f"Check failed: {sum(not p.warning for p in exc.problems)} error(s).", file=sys.stderr)
        return 1
    problems = list(result.warnings)
    line = f"Checked {result.entries} entries"
    if args.links:
        links = Problems()
        content, _ = load_site(options, Problems())
        report = check_links(content.entries, links, workers=args.link_workers, timeout=args.link_timeout)
        problems += links.errors + links.warnings
        line += f" and {report.checked} links ({report.dead} dead, {report.blocked} refused the check)"
    _print_problems(problems, quiet=args.quiet)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    print(f"{line}: {warnings} warning(s), {errors or 'no'} error(s).")
    return 1 if errors or (args.strict and warnings) else 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve  # the preview's watcher is only needed here

    options = _options(args)

    def report(outcome: BuildResult | list[Problem]) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if isinstance(outcome, list):
            _print_problems(outcome, quiet=False)
            print(f"{stamp} build failed; still serving the last good site.", file=sys.stderr, flush=True)
        else:
            _print_problems(outcome.warnings, quiet=False)
            print(f"{stamp} {_summary(outcome, options)}", flush=True)

    try:
        serve(options, args.port, report, lambda url: print(f"Serving {url} (Ctrl+C to stop)", flush=True))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"Cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _dossier_or_problems(content: Path):  # type: ignore[no-untyped-def]
    problems = Problems()
    dossier = load_dossier(content / "dossier.yaml", problems)
    if dossier is None or problems.errors:
        _print_problems(problems.errors, quiet=False)
        return None
    return dossier


def _new(args: argparse.Namespace) -> int:
    dossier = _dossier_or_problems(args.content)
    if dossier is None:
        return 1
    try:
        today = dt.date.today()
        entry = new_entry(args.content, dossier, args.title, args.theme, args.date or today, today)
    except SkeletonError as exc:
        print(f"new: {exc}", file=sys.stderr)
        return 1
    entry.path.parent.mkdir(parents=True, exist_ok=True)
    entry.path.write_text(entry.text, encoding="utf-8")
    print(entry.path)
    return 0


def _init(args: argparse.Namespace) -> int:
    from .init import PLACEHOLDER, InitError, check_settings, engine_requirement, start_dossier

    engine = args.engine or engine_requirement()
    try:
        settings = None
        if not args.from_sample:
            name = args.folder.resolve().name
            title = args.title or _ask("Title of the dossier", name.replace("-", " ").replace("_", " ").capitalize())
            language = args.language or _ask("Language (BCP 47: en, en-US, de, fr, ...)", "en")
            base_url = args.base_url or _ask("Where it will be published", f"https://example.github.io/{name}/")
            themes = args.theme or _ask("Themes, by their titles, separated by commas", "General").split(",")
            settings = check_settings(title, language, base_url, themes)
        written = start_dossier(args.folder, settings, engine or PLACEHOLDER, dt.date.today())
    except InitError as exc:
        print(f"init: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"init: cannot write into {args.folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    if engine is None:
        print(
            "init: this copy of Dossier cannot tell where it was installed from; in .github/workflows/pages.yml, set DOSSIER_ENGINE "
            "to the pip requirement of the version to build with (or run init again with --engine).",
            file=sys.stderr,
        )
    print(f"Now: cd {args.folder} && dossier build, then dossier serve to look at it.", file=sys.stderr)
    return 0


def _ask(question: str, default: str) -> str:
    """Return the curator's answer to `question` on a terminal, or `default` (also without a terminal)."""
    if not sys.stdin.isatty():
        return default
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def _import(args: argparse.Namespace) -> int:
    from .importer import ArticleError, import_article  # trafilatura takes a while to import: only here

    dossier = _dossier_or_problems(args.content)
    if dossier is None:
        return 1
    try:
        imported = import_article(args.file.read_bytes(), dossier, dt.date.today())
    except OSError as exc:
        print(f"{args.file}: cannot read it: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ArticleError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    target = args.content / imported.path
    if target.exists() and not args.force:
        print(f"{target} exists already; use --force to overwrite it", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(imported.text, encoding="utf-8")
    print(target)
    print("Now write the summary and notes, choose the themes, and check the date and entities.", file=sys.stderr)
    return 0


def _kind(problem: Problem) -> str:
    """Return what kind of problem this is, for grouping: the message without its particulars, up to the advice
    after its first "; " (which may repeat a value unquoted: `write entities: [NATO, Estlink 2]`)."""
    said = re.sub(r'"[^"]*"', '"…"', problem.message).split("; ")[0]
    return re.sub(r"\d+", "N", said)


def _print_problems(problems: list[Problem], *, quiet: bool) -> None:
    """Print errors one by one; warnings grouped by kind with a count (only the count when quiet)."""
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    for problem in errors:
        print(problem, file=sys.stderr)
    if not warnings:
        return
    kinds = Counter(_kind(p) for p in warnings)
    if quiet:
        print(f"{len(warnings)} warning(s) of {len(kinds)} kind(s); run without --quiet to see them.", file=sys.stderr)
        return
    for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        if count > 1:
            print(f"{count} warnings: {kind}", file=sys.stderr)
        for problem in warnings:
            if _kind(problem) == kind:
                print(f"  {problem}" if count > 1 else problem, file=sys.stderr)


class Progress:
    """Shows the build's current step on a terminal, overwriting one line; prints nothing in CI logs."""

    def __init__(self, *, verbose: bool, quiet: bool):
        self.verbose = verbose and not quiet
        self.live = sys.stderr.isatty() and not quiet and not verbose
        self.shown = False

    def __call__(self, step: str) -> None:
        if self.verbose:
            print(f"… {step}", file=sys.stderr, flush=True)
        elif self.live:
            print(f"\r\x1b[2K… {step}", end="", file=sys.stderr, flush=True)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            print("\r\x1b[2K", end="", file=sys.stderr, flush=True)
            self.shown = False
