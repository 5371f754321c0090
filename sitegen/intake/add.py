"""`add-source FILE`: a document brought as a new seed. Its text is extracted (see `extract`), written
as `seeds/<id>_<slug>.txt` with an entry in `sources.yaml` (what the document says of itself, the date
it was retrieved, the checksum, the extractor, `kind` to fill in), and the document itself is kept in
`seeds/originals/`. All three files are written or none; no file is replaced."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError
from ..core.layout import SOURCES_FILE
from ..core.urls import url_problem, url_scheme
from ..load.fields import date_problem
from .entry import entry_text, yaml_text
from .extract import Extracted, extract
from .seeds import ORIGINALS, block_overrides, check_new_id, is_heading, next_id, read_brought, seed_files, seed_text, slug, sources_document
from .transaction import Transaction


@dataclass(frozen=True)
class Added:
    """A seed written: its id, files (absolute), passages and how many are headings, and the fields left to fill in."""

    seed_id: str
    seed: Path
    original: Path
    passages: int
    headings: int
    to_fill: tuple[str, ...]
    first_paragraph: int  # the number of the first passage that is not a heading (what a page can cite)


def add_source(root: Path, document: Path, seed_id: str | None = None, url: str | None = None, today: dt.date | None = None) -> Added:
    """Bring `document` into the project at `root` as a new seed (see the module docstring)."""
    seeds_dir = root / "seeds"
    data = read_brought(document)
    found = extract(document.resolve(), data)
    text, doc = sources_document(seeds_dir)
    taken = {str(key) for key in (doc.data or {})} | set(seed_files(seeds_dir))
    seed_id = seed_id or next_id(taken)
    check_new_id(seed_id, taken, seeds_dir / SOURCES_FILE)
    address = url if url is not None else found.url
    if address and (url_problem(address) or url_scheme(address) not in ("http", "https")):
        raise BuildError.at(document.resolve(), 0, url_problem(address) or f"URL {address!r} is not a web address: give one starting with https://")
    name = f"{seed_id}_{slug(found.title or document.stem)}"
    seed_path, original = seeds_dir / f"{name}.txt", seeds_dir / ORIGINALS / f"{name}{document.suffix.lower()}"
    body = seed_text(found.blocks).encode("utf-8")
    fields = _fields(found, address, body, f"{ORIGINALS}/{original.name}", today or dt.date.today())
    entry = entry_text(seed_id, [(key, value) for key, value in fields if value is not None], {"blocks": block_overrides(found.blocks)})
    separator = "" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    change = Transaction()
    change.create(seed_path, body)
    change.create(original, data)
    if text:
        change.replace(seeds_dir / SOURCES_FILE, text.encode("utf-8"), f"{text}{separator}{entry}".encode())
    else:
        change.create(seeds_dir / SOURCES_FILE, entry.encode("utf-8"))
    change.commit()
    to_fill = tuple(key for key, value in fields if value == '""')
    return Added(seed_id, seed_path, original, len(found.blocks), sum(1 for block in found.blocks if is_heading(block)), to_fill,
                 next((number for number, block in enumerate(found.blocks, start=1) if not is_heading(block)), 1))


def _fields(found: Extracted, url: str, body: bytes, original: str, today: dt.date) -> list[tuple[str, str | None]]:
    """The entry's fields as YAML text, in order (None: left out; '""': to fill in)."""
    return [
        ("title", yaml_text(found.title)),
        ("publisher", yaml_text(found.publisher)),
        ("date", _seed_date(found.date)),
        ("kind", '""'),
        ("promotional", "false"),
        ("url", yaml_text(url) if url else None),
        ("retrieved", today.isoformat()),
        ("sha256", hashlib.sha256(body).hexdigest()),
        ("extractor", yaml_text(found.extractor)),
        ("original", yaml_text(original)),
    ]


def _seed_date(found: str) -> str:
    """The document's date as the seed loader reads it (YYYY-MM-DD, YYYY-MM or YYYY of the calendar), else YAML null."""
    iso, problem = date_problem(found, "date", partial=True) if found else ("", "none")
    return "null" if problem else iso
