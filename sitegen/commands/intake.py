"""`add-source` and `update-source` on the command line: their arguments and what they print (the
new seed's coverage line; the plan of an update as a table, then its totals)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import display_path, shown_all
from ..intake.add import add_source
from ..intake.align import UNCHANGED, Fate
from ..intake.update import Update, update_source

_EXCERPT = 60


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """The two commands' parsers, under `commands`."""
    add_cmd = commands.add_parser("add-source", help="bring a document (.html, .pdf, .md, .txt) in as a new seed, with its entry in seeds/sources.yaml")
    add_cmd.add_argument("file", type=Path, help="the document")
    add_cmd.add_argument("--id", dest="seed_id", help="the seed's id (default: one more than the highest numeric id, such as 004)")
    add_cmd.add_argument("--url", help="the document's web address (default: the one the page gives, if any)")
    update_cmd = commands.add_parser("update-source", help="bring in a new version of a seed and move every citation of it to the new passage numbers")
    update_cmd.add_argument("seed_id", metavar="ID", help="the seed to update")
    update_cmd.add_argument("file", type=Path, help="the new version of the document")
    update_cmd.add_argument("--drop", action="store_true", help="remove citations of passages the new version no longer has (default: refuse)")
    update_cmd.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")


def add_source_command(root: Path, args: argparse.Namespace) -> int:
    added = add_source(root, args.file, args.seed_id, args.url)
    print(f"added seed {added.seed_id} as {display_path(str(added.seed))} (the document is kept as {display_path(str(added.original))})")
    paragraphs = added.passages - added.headings
    print(f"seed {added.seed_id}: {added.passages} passages ({added.headings} headings, {paragraphs} paragraphs), 0 cited, 0 excluded")
    if added.to_fill:
        fill = " and ".join(added.to_fill)
        print(f"next: fill in {fill} of seed {added.seed_id} in seeds/sources.yaml, then cite its passages as [@{added.seed_id}:p{added.first_paragraph}]")
    return 0


def update_source_command(root: Path, args: argparse.Namespace) -> int:
    update = update_source(root, args.seed_id, args.file, drop=args.drop, dry_run=args.dry_run)
    if update.same:
        print(f"seed {update.seed_id}: the new version's text is the seed's own; nothing was written")
        return 0
    print(plan_table(update))
    print(totals(update))
    if update.refused:
        print("\n".join(shown_all(update.refused)), file=sys.stderr)
        print(f"update-source would be refused: {len(update.refused)} citations of removed passages; nothing was written", file=sys.stderr)
        return 1
    if update.written:
        print(f"changed {len(update.files)} files; the previous version is kept in seeds/previous/")
    else:
        print(f"dry run: nothing was written (without --dry-run, {len(update.files)} files would change)")
    return 0


def _cited(update: Update) -> dict[int, int]:
    """How many citations name each old passage, across content/."""
    seen = {
        (name, found.line, found.cited, found.fate.old)
        for plan in (update.moved, update.edited, update.removed) for name, citations in plan.items() for found in citations
    }
    counts: dict[int, int] = {}
    for *_, old in seen:
        counts[old] = counts.get(old, 0) + 1
    return counts


def plan_table(update: Update) -> str:
    """One row per passage that is not unchanged: old and new number, what became of it, its citations, its text."""
    cited = _cited(update)
    rows = [f"{'old':<6} {'new':<6} {'change':<9} {'cited':>5}  text"]
    changed = [fate for fate in update.alignment.fates if fate.kind != UNCHANGED]
    for fate in sorted(changed, key=lambda fate: (fate.new or fate.old, fate.old)):
        rows.append(_row(f"p{fate.old}", f"p{fate.new}" if fate.new else "-", fate.kind, cited.get(fate.old, 0), _text(fate)))
    for number in update.alignment.added:
        rows.append(_row("-", f"p{number}", "added", 0, _excerpt(update.alignment.new[number - 1])))
    return "\n".join(rows)


def _row(old: str, new: str, kind: str, cited: int, text: str) -> str:
    return f"{old:<6} {new:<6} {kind:<9} {cited:>5}  {text}".rstrip()


def _text(fate: Fate) -> str:
    return _excerpt(fate.new_text or fate.old_text)


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def totals(update: Update) -> str:
    kinds = [fate.kind for fate in update.alignment.fates]
    counts = ", ".join(f"{kinds.count(kind)} {kind}" for kind in ("unchanged", "moved", "edited", "removed"))
    renumbered = sum(len(citations) for citations in update.moved.values())
    review = sum(len(citations) for citations in update.edited.values())
    dropped = sum(len(citations) for citations in update.removed.values())
    files = len(set(update.moved) | set(update.removed))
    end = f", {dropped} dropped" if dropped else ""
    return (
        f"seed {update.seed_id}: {counts}, {len(update.alignment.added)} added; {renumbered} citations renumbered in {files} files, "
        f"{review} to review (check lists them){end}"
    )
