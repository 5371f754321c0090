"""`update-source ID FILE`: a new version of a seed. The new text is extracted as `add-source` does,
aligned with the old (see `align`), and every citation in content/ and every passage id of the seed's
entry in `sources.yaml` moves to the new numbers; edited passages are recorded under `edited:` (see
`load.edits`) so that `check` asks for their citations to be reviewed; citations of removed passages
are refused, each named, unless dropped. The previous seed (and its original) go to `seeds/previous/`.
Every file changes or none does; a dry run makes the plan and writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problem, Problems, absolute_path
from ..core.files import list_inputs
from ..core.layout import SOURCES_FILE
from ..load.edits import Edit
from ..load.settings import load_settings
from ..load.sources import Source, load_sources
from .align import EDITED, REMOVED, Alignment, align
from .entry import update_entry, yaml_text
from .extract import Extracted, extract
from .recite import CitedFate, recite
from .seeds import ORIGINALS, PREVIOUS, block_overrides, read_brought, seed_text, sources_document
from .transaction import Transaction

_CITING = (".md", ".yaml", ".yml")


@dataclass(frozen=True)
class Update:
    """The plan: the alignment, each content file's citations that move, need review or were removed, and the files it changes."""

    seed_id: str
    alignment: Alignment
    moved: Mapping[str, tuple[CitedFate, ...]]  # by content path (relative to content/)
    edited: Mapping[str, tuple[CitedFate, ...]]
    removed: Mapping[str, tuple[CitedFate, ...]]
    files: tuple[Path, ...]
    written: bool
    refused: tuple[Problem, ...] = ()  # citations of removed passages (a dry run lists them; otherwise they stop the update)
    same: bool = False  # the new version's text is the seed's own: nothing to do


def update_source(
    root: Path, seed_id: str, document: Path, drop: bool = False, dry_run: bool = False, today: dt.date | None = None,
) -> Update:
    """Bring `document` in as the new version of seed `seed_id` (see the module docstring)."""
    settings = load_settings(root)
    seeds_dir = root / "seeds"
    sources = load_sources(seeds_dir)
    if seed_id not in sources:
        known = ", ".join(sorted(sources)) or "none"
        raise BuildError.at(seeds_dir / SOURCES_FILE, 0, f"no seed {seed_id!r} to update (seeds: {known}); bring a new one with add-source")
    source = sources[seed_id]
    data = read_brought(document)
    found = extract(document.resolve(), data)
    alignment = align([passage.text for passage in source.passages], [block.text for block in found.blocks])
    if seed_text(found.blocks).encode("utf-8") == (seeds_dir / source.file_name).read_bytes():
        return Update(seed_id, alignment, {}, {}, {}, (), False, same=True)
    day = (today or dt.date.today()).isoformat()
    change = Transaction()
    moved, edited, removed = _recite_content(settings.content_dir, seed_id, alignment, drop, change)
    refused = () if drop else _refusals(settings.content_dir, seed_id, removed)
    if refused and not dry_run:
        raise BuildError(list(refused))
    _replace_seed(seeds_dir, source, found, alignment, document, data, day, change)
    if not dry_run:
        change.commit()
    return Update(seed_id, alignment, moved, edited, removed, tuple(change.paths), not dry_run, refused)


def _recite_content(content_dir: Path, seed_id: str, alignment: Alignment, drop: bool, change: Transaction) -> tuple[dict, dict, dict]:
    """Every citing file of content/ re-cited into `change`; what moved, needs review and was removed, by file."""
    moved: dict[str, tuple[CitedFate, ...]] = {}
    edited: dict[str, tuple[CitedFate, ...]] = {}
    removed: dict[str, tuple[CitedFate, ...]] = {}
    listing = list_inputs(content_dir)
    for name in listing.files:
        if not name.endswith(_CITING):
            continue
        path = content_dir / name
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not text: the build reports it, and there is nothing here to renumber
        result = recite(text, seed_id, alignment, drop)
        for found, kept in ((moved, result.moved), (edited, result.edited), (removed, result.removed)):
            if kept:
                found[name] = kept
        change.replace(path, raw, result.text.encode("utf-8"))
    return moved, edited, removed


def _refusals(content_dir: Path, seed_id: str, removed: Mapping[str, tuple[CitedFate, ...]]) -> tuple[Problem, ...]:
    """Each citation of a removed passage, at its line."""
    problems = Problems()
    for name, citations in removed.items():
        for cited in citations:
            problems.add(
                absolute_path(content_dir / name), cited.line,
                f"{cited.cited} cites p{cited.fate.old}, which the new version of seed {seed_id} no longer has (\"{_excerpt(cited.fate.old_text)}\"): "
                "cite another passage, or run again with --drop to remove the citation",
            )
    return tuple(problems.items)


def _replace_seed(
    seeds_dir: Path, source: Source, found: Extracted, alignment: Alignment, document: Path, data: bytes, day: str, change: Transaction,
) -> None:
    """The new seed text, its entry, its original, and the previous version kept, into `change`."""
    seed_path = seeds_dir / source.file_name
    old_seed = seed_path.read_bytes()
    body = seed_text(found.blocks).encode("utf-8")
    stem = seed_path.stem
    text, doc = sources_document(seeds_dir)
    entry = doc.data[source.id]
    change.create(_free(seeds_dir / PREVIOUS / f"{stem}.{day}.txt"), old_seed)
    original = seeds_dir / ORIGINALS / f"{stem}{document.suffix.lower()}"
    recorded = entry.get("original")
    old_original = seeds_dir / str(recorded) if isinstance(recorded, str) and recorded else None
    if old_original is not None and os.path.isfile(old_original) and old_original.resolve().is_relative_to(seeds_dir.resolve()):
        kept = old_original.read_bytes()
        change.create(_free(seeds_dir / PREVIOUS / f"{stem}.{day}{old_original.suffix}"), kept)
        if old_original == original:
            change.replace(original, kept, data)
        else:
            change.remove(old_original, kept)
            change.create(original, data)
    else:
        change.create(original, data)
    change.replace(seed_path, old_seed, body)
    fields = {
        "sha256": hashlib.sha256(body).hexdigest(), "changed": day, "retrieved": day, "extractor": yaml_text(found.extractor),
        "original": yaml_text(f"{ORIGINALS}/{original.name}"),
    }
    replaced = {"edited": _edited_lines(source, alignment, day)}
    if any(block.heading is not None for block in found.blocks):
        replaced["blocks"] = [f"p{number}: {kind}" for number, kind in sorted(block_overrides(found.blocks).items())]
    renumber = {fate.old: fate.new for fate in alignment.fates}
    new_text = update_entry(text, doc.line(source.id), seeds_dir / SOURCES_FILE, lambda old: renumber.get(old, 0), fields, replaced)
    change.replace(seeds_dir / SOURCES_FILE, text.encode("utf-8"), new_text.encode("utf-8"))


def _edited_lines(source: Source, alignment: Alignment, day: str) -> list[str]:
    """The `edited:` mapping after this change: earlier records renumbered (gone with their passage, replaced when it changed again), new ones added."""
    records: dict[int, Edit] = {}
    for edit in source.edits:
        fate = alignment.of(edit.number)
        if fate is not None and fate.kind not in (REMOVED, EDITED):
            records[fate.new] = Edit(fate.new, edit.changed, edit.was, edit.now, edit.reviewed)
    for fate in alignment.fates:
        if fate.kind == EDITED:
            records[fate.new] = Edit(fate.new, day, fate.old_text, fate.new_text, ())
    lines: list[str] = []
    for number, edit in sorted(records.items()):
        lines += [f"p{number}:", f"  changed: {edit.changed}", f"  was: {yaml_text(edit.was)}", f"  now: {yaml_text(edit.now)}"]
        if edit.reviewed:
            lines += ["  reviewed:", *(f"    - {yaml_text(path)}" for path in edit.reviewed)]
    return lines


def _free(path: Path) -> Path:
    """`path`, or the same name with -2, -3, … before its extension when it is taken."""
    candidate, count = path, 1
    while os.path.lexists(candidate):
        count += 1
        candidate = path.with_name(f"{path.stem}-{count}{path.suffix}")
    return candidate


def _excerpt(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
