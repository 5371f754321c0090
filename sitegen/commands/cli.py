"""The command line: `build`, `check`, `review`, `serve`, `deploy`, `draft`, `new`, `theme copy`, `add-source`, `update-source`.
Thin: parses arguments, dispatches to one
short handler per command, and prints every problem (in `_report`, through `core.errors.shown_all`) as
`path:line: message`, exiting 1 on any."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..check.coverage import coverage_table
from ..core.errors import BuildError, Problem, display_path, shown_all
from ..core.files import site_entry
from ..incremental.cache import cache_folder
from ..load.settings import load_settings
from ..pipeline import build
from ..write.swap import FolderBusyError, made_beside
from .deploy import check_target, publish, uncommitted_changes
from .draft import draft_pages
from .git import DeployError
from .intake import add_parsers, add_source_command, update_source_command
from .new import new_project
from .progress import stderr_progress
from .review import DEFAULT_FILE as REVIEW_FILE
from .review import write_review
from .theme import copy_theme


class _Parser(argparse.ArgumentParser):
    """argparse, with a wrong argument reported in one line (argparse adds the usage before it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _port(text: str) -> int:
    """A TCP port from the command line: 1 to 65535, or 0 for a free one the system chooses."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535, or 0 for any free port")
    return port


def program_name(argv0: str) -> str:
    """The name the usage line gives the command: `build.py` when run as `python build.py`, else `sitegen`."""
    return "build.py" if Path(argv0).name == "build.py" else "sitegen"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=program_name(sys.argv[0]), description="Build a static educational site whose every statement cites its source.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command")
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("--quiet", action="store_true", help="show no progress while it runs (shown only on a terminal, after two seconds)")
    build_cmd = commands.add_parser("build", parents=[quiet], help="build the site into the output folder (the default command)")
    build_cmd.add_argument("--strict", action="store_true", help="fail on broken links, anchors or uncited seed passages")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: output_dir of site.yaml)")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster; the search box then says search is unavailable)")
    serve_cmd = commands.add_parser("serve", help="build, serve on loopback and rebuild and reload the browser on every change")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port to listen on, 0 for any free one (default: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in the default web browser")
    serve_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind search index at start")
    check_cmd = commands.add_parser("check", parents=[quiet], help="check links, anchors, citations and seed coverage without writing")
    check_cmd.add_argument("--strict", action="store_true", help="exit non-zero on any finding")
    review_cmd = commands.add_parser("review", help="write one HTML sheet: every statement beside the passages it cites, with the findings marked")
    review_cmd.add_argument("pages", nargs="*", metavar="PAGE", help="the pages to review (their files in content/, such as evidence.md; default: all)")
    review_cmd.add_argument("--out", type=Path, help=f"the file to write (default: {REVIEW_FILE} in the project folder; never in the output folder)")
    deploy_cmd = commands.add_parser("deploy", help="build with --strict, commit the site to the gh-pages branch and push it")
    deploy_cmd.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    deploy_cmd.add_argument("--branch", default="gh-pages", help="branch that receives the site (default: gh-pages); never a checked-out branch")
    deploy_cmd.add_argument("--no-push", action="store_true", help="commit to the branch without pushing")
    deploy_cmd.add_argument("--message", help="commit message (default: names the source commit)")
    deploy_cmd.add_argument(
        "--force", action="store_true", help="deploy to a branch whose history sitegen did not write: a commit on top replaces its files (its history stays)"
    )
    new_cmd = commands.add_parser("new", help="write a new project (settings, two pages, an example source) into a new or empty folder")
    new_cmd.add_argument("folder", type=Path, help="the folder to create (or an empty one)")
    add_parsers(commands)
    draft_cmd = commands.add_parser("draft", help="draft pages from seeds into content/drafts/: each passage quoted and cited, for an author to rewrite")
    draft_cmd.add_argument("ids", nargs="+", metavar="ID", help="the seeds to draft from (their ids, as in seeds/<id>_<name>.txt)")
    draft_cmd.add_argument("--topics", type=Path, help="a YAML list of topics (title, headings, keywords): one draft per topic (default: one per seed section)")
    theme_cmd = commands.add_parser("theme", help="the default theme: `theme copy` puts its templates and static files into the project")
    theme_actions = theme_cmd.add_subparsers(dest="action", required=True)
    copy_cmd = theme_actions.add_parser("copy", help="copy the default theme into templates/ and static/ to change it freely")
    copy_cmd.add_argument("--force", action="store_true", help="replace the project's files of the same names")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names (`build` when none); returns the exit code. Every problem is printed here."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    root = args.project.resolve()
    handler = {
        "build": _build, "check": _check, "review": _review, "deploy": _deploy, "draft": _draft, "new": _new, "serve": _serve, "theme": _theme,
        "add-source": add_source_command, "update-source": update_source_command,
    }[args.command or "build"]
    try:
        return handler(root, args)
    except DeployError as exc:
        return _failed(exc.problems)
    except FolderBusyError as exc:
        return _failed(exc.problems, "build failed: this build wrote nothing")
    except BuildError as exc:
        if args.command == "check":
            return _failed(exc.problems, f"check found {_count(len(exc.problems), 'problem')}")
        if args.command == "review":
            return _failed(exc.problems, "review refused: nothing was written")
        if args.command in ("add-source", "update-source"):
            return _failed(exc.problems, f"{args.command} refused: {_count(len(exc.problems), 'problem')}; nothing was written")
        return _failed(exc.problems, f"build failed: {_count(len(exc.problems), 'problem')}; the previous site was left as it was")
    except OSError as exc:  # a folder that cannot be written, a full disk: the machine's problem, not a bug
        if args.command == "check":
            return _failed([_machine_problem(exc, root)], "check found 1 problem")
        if args.command in ("add-source", "update-source"):
            return _failed([_machine_problem(exc, root)], f"{args.command} failed: nothing was written")
        return _failed([_machine_problem(exc, root)], "build failed: the previous site was left as it was")
    except KeyboardInterrupt:
        return 130


def _build(root: Path, args: argparse.Namespace) -> int:
    """`build`, also run when no command is named (then without the options of `build`)."""
    search, quiet = not getattr(args, "no_search", False), getattr(args, "quiet", False)
    _build_site(root, getattr(args, "strict", False), getattr(args, "out", None), search=search, quiet=quiet)
    return 0


def _build_site(root: Path, strict: bool, out: Path | None, search: bool = True, quiet: bool = False) -> None:
    """Build into `out` (None: the folder site.yaml names), print the findings and what was written."""
    with stderr_progress(quiet) as progress:
        result = build(root, out_dir=out.resolve() if out else None, strict=strict, progress=progress, search=search)
    _report(result.findings + result.warnings)
    target = out or Path(result.site.settings.output_dir)
    done = f"built {len(result.outputs)} files into {target}/" if result.written is not False else f"{target}/ already up to date: {len(result.outputs)} files"
    drafts = f", {_count(len(result.drafts_left_out), 'draft')} left out" if result.drafts_left_out else ""
    print(f"{done} ({len(result.site.pages)} pages, {len(result.site.source_pages)} sources{drafts})")


def _check(root: Path, args: argparse.Namespace) -> int:
    """`check`: the coverage table, each finding, and how many there were."""
    with stderr_progress(args.quiet) as progress:
        result = build(root, write=False, progress=progress)
    print(coverage_table(result.site))
    if result.drafts_left_out:
        their = "its" if len(result.drafts_left_out) == 1 else "their"
        print(f"{_count(len(result.drafts_left_out), 'draft')} left out (draft: true; {their} citations count as uncited): {', '.join(result.drafts_left_out)}")
    _report(result.findings + result.warnings)
    found = _count(len(result.findings), "problem") if result.findings else "no problems"
    warned = f" and {_count(len(result.warnings), 'warning')} to judge" if result.warnings else ""
    print(f"check found {found}{warned} in {len(result.outputs)} files")
    return 1 if args.strict and result.findings else 0


def _review(root: Path, args: argparse.Namespace) -> int:
    """`review [PAGE…] [--out FILE]`: the review sheet written, and what it holds."""
    done = write_review(root, args.pages, args.out)
    print(f"wrote {display_path(done.path)}: {_count(done.pages, 'page')}, {_count(done.statements, 'statement')}, {_count(done.findings, 'finding')} to check")
    return 0


def _deploy(root: Path, args: argparse.Namespace) -> int:
    target = check_target(root, args.branch, None if args.no_push else args.remote, force=args.force)
    try:
        _build_site(root, True, None)
    except BuildError as exc:
        return _failed(exc.problems, f"deploy refused: {_count(len(exc.problems), 'problem')}; nothing was published")
    settings = load_settings(root)
    uncommitted = uncommitted_changes(root, [settings.output_path, *made_beside(site_entry(settings.output_path)), cache_folder(root)])
    if uncommitted:
        print(
            f"warning: the work tree has uncommitted changes ({_count(uncommitted, 'path')}): the site may differ from the last commit, "
            "and the deploy commit's message says so",
            file=sys.stderr,
        )
    done = publish(settings.output_path, target, args.message, cname=settings.cname, uncommitted=uncommitted)
    where = f"pushed to {done.remote}" if done.remote else "not pushed (--no-push)"
    print(f"deployed {done.files} files to branch {done.branch} as {done.commit[:12]}; {where}")
    return 0


def _new(root: Path, args: argparse.Namespace) -> int:
    """`new FOLDER`: FOLDER is named from the working folder, not from --project."""
    try:
        written = new_project(args.folder)
    except BuildError as exc:
        return _failed(exc.problems)
    except OSError as exc:
        return _failed([_machine_problem(exc, args.folder.resolve())])
    print(f"created {args.folder}/ with {_count(len(written), 'file')}; next: cd {args.folder} && sitegen serve")
    return 0


def _draft(root: Path, args: argparse.Namespace) -> int:
    """`draft ID… [--topics FILE]`: each draft written, then what was drafted and what was left out."""
    try:
        drafted = draft_pages(root, args.ids, args.topics.resolve() if args.topics else None)
    except BuildError as exc:
        return _failed(exc.problems, f"draft refused: {_count(len(exc.problems), 'problem')}; nothing was written")
    folder = display_path(drafted.folder)
    for draft in drafted.drafts:
        print(f"{folder}/{draft.file_name}: {_count(len(draft.passages), 'passage')}{' that fit no topic: place them' if draft.to_place else ''}")
    left = [f"{_count(drafted.excluded, 'excluded passage')} left out"] if drafted.excluded else []
    left += [f"no passage fits {title!r}" for title in drafted.empty_topics]
    print(f"drafted {_count(len(drafted.drafts), 'page')} with draft: true{''.join('; ' + item for item in left)}; rewrite each, then remove draft: true")
    return 0


def _serve(root: Path, args: argparse.Namespace) -> int:
    from .serve import serve  # the server and its libraries load only when serving

    return serve(root, args.host, args.port, open_browser=args.open, search=not args.no_search)


def _theme(root: Path, args: argparse.Namespace) -> int:
    """`theme copy`: the default theme into the project; refused, copying nothing, where it would replace a file (unless --force)."""
    try:
        copied = copy_theme(root, force=args.force)
    except BuildError as exc:
        return _failed(exc.problems, f"theme copy refused: {_count(len(exc.problems), 'problem')}; nothing was copied")
    replaced = f", replacing {copied.replaced}" if copied.replaced else ""
    print(f"copied {_count(len(copied.files), 'file')} of the default theme into templates/ and static/{replaced}")
    return 0


def _machine_problem(exc: OSError, root: Path) -> Problem:
    """An operating-system error as a problem of the file it names (of the project when it names none)."""
    named = exc.filename if isinstance(exc.filename, (str, os.PathLike)) else None  # a file descriptor names no path
    return Problem(os.fspath(named or root), 0, str(exc.strerror or exc))


def _failed(problems: Sequence[Problem], summary: str = "") -> int:
    """Report `problems`, then `summary` (if any); the exit code of a failed command."""
    _report(problems)
    if summary:
        print(summary, file=sys.stderr)
    return 1


def _report(problems: Sequence[Problem]) -> None:
    """Each problem as `path:line: message`, its path relative to the working folder when inside it."""
    if problems:
        print("\n".join(shown_all(problems)), file=sys.stderr)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
