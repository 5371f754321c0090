"""Seeds: verbatim seed texts split into numbered passages, with their metadata.

A seed's id is its file-name prefix before "_". Each non-empty line is one block, numbered p1, p2, …
`seeds/sources.yaml` carries each seed's metadata, checksum and deliberate exclusions. (Outside
publications, cited by key, are in `publications`.)
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BuildError, Problems
from ..core.files import InputListing, decode_text, list_inputs, read_input_bytes, read_text
from ..core.layout import SOURCES_FILE
from ..core.records import compact
from ..core.urls import text_fragment
from .edits import Edit, read_edits
from .fields import Fields, text_problem
from .schema import DATE, MAPPING, TEXT, TRUE_OR_FALSE, Key, Schema, read_mapping
from .yaml_files import YamlDocument, parse_yaml

SEED_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a plain URL segment: the seed's page is sources/<id>/
PASSAGE_ID = re.compile(r"^p([1-9][0-9]*)$")
SEED_ENTRY = Schema((
    *(Key(name, TEXT, required=True) for name in ("title", "publisher", "kind")),
    Key("sha256", TEXT),  # required, but its absence is reported with the value to paste (see `_checksum_problem`)
    Key("date", DATE), Key("promotional", TRUE_OR_FALSE, default=False), Key("url", TEXT), Key("blocks", MAPPING), Key("exclude", MAPPING),
    # Written by add-source and update-source: when and how the text was obtained, where its original is, when it last changed and what.
    Key("retrieved", DATE), Key("extractor", TEXT), Key("original", TEXT), Key("changed", DATE), Key("edited", MAPPING),
))
_SEED_TEXTS = ("title", "publisher", "kind", "sha256")
_HEADING_MAX_WORDS = 12
_SEED_ID_RULE = "is not a plain URL segment: use lowercase letters, digits and single hyphens (such as 004 or who-2023)"


@compact
@dataclass(frozen=True, slots=True)
class Passage:
    """One block of a seed: a heading or a paragraph, with its section heading."""

    source_id: str
    number: int
    text: str
    is_heading: bool
    section: str
    line: int
    excluded: str  # the stated reason, or "" when the passage is in use

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


@dataclass(frozen=True)
class Source:
    """A seed text with its metadata and passages."""

    id: str
    file_name: str
    title: str
    publisher: str
    date: str | None
    kind: str
    promotional: bool
    url: str
    sha256: str
    passages: tuple[Passage, ...]
    changed: str | None = None  # the date the seed last changed (update-source records it)
    edits: tuple[Edit, ...] = ()  # passages whose text changed, with the pages reviewed since

    def passage_link(self, passage: Passage) -> str:
        """The address of `passage` in the original web page, highlighted by a text fragment ("" when the source has no URL)."""
        return text_fragment(self.url, passage.text) if self.url else ""

    def edit(self, number: int) -> Edit | None:
        return next((edit for edit in self.edits if edit.number == number), None)

    def passage(self, number: int) -> Passage | None:
        return self.passages[number - 1] if 1 <= number <= len(self.passages) else None


def split_blocks(text: str) -> list[tuple[int, str]]:
    """The non-empty lines of a seed with their 1-based line numbers."""
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def looks_like_heading(text: str) -> bool:
    """Short lines without a sentence-ending full stop are headings; `blocks:` overrides the guess."""
    return len(text.split()) <= _HEADING_MAX_WORDS and not text.endswith((".", ",", ";", ":"))


def load_sources(seeds_dir: Path) -> dict[str, Source]:
    """All seeds in `seeds_dir`, validated against `sources.yaml`; every problem reported at once. A project
    without seeds needs neither the folder nor the file."""
    meta_path = seeds_dir / SOURCES_FILE
    problems = Problems()
    listing = list_inputs(seeds_dir, recursive=False)
    if "" in listing.refused:  # seeds/ itself
        raise BuildError(listing.problems)
    listed = os.path.lexists(meta_path)  # a project without seeds needs no sources.yaml
    doc = parse_yaml(read_text(meta_path, seeds_dir.parent), meta_path) if listed else YamlDocument({})
    meta = doc.data if doc.data is not None else {}
    if not isinstance(meta, dict):
        raise BuildError.at(meta_path, 1, "sources.yaml must map each seed id to its metadata")
    files = _seed_files(seeds_dir, listing, problems)
    sources: dict[str, Source] = {}
    for key in meta:
        if not SEED_ID.match(str(key)):
            problems.add(meta_path, doc.line(key), f"seed id {key!r} {_SEED_ID_RULE}")
        elif str(key) not in files:
            hint = " (quote ids such as \"000\": unquoted, YAML reads them as numbers)" if isinstance(key, int) else ""
            problems.add(meta_path, doc.line(key), f"seed {key!r} is listed but seeds/{key}_*.txt does not exist{hint}")
    for seed_id, path in files.items():
        if seed_id not in meta:
            where = "in seeds/sources.yaml: add" if listed else "(seeds/sources.yaml does not exist): create it with"
            problems.add(path, 0, f"seed {seed_id!r} has no entry {where} its title, publisher, kind and sha256{_digest_of(path)}")
            continue
        try:
            sources[seed_id] = _load_seed(seed_id, path, meta[seed_id], doc, meta_path)
        except BuildError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    return sources


def _digest_of(path: Path) -> str:
    """`(sha256: …)` of the seed file at `path`, to paste into its entry ("" when it cannot be read: that is reported when it is loaded)."""
    try:
        return f" (sha256: {hashlib.sha256(read_input_bytes(path, path.parent.parent)).hexdigest()})"
    except BuildError:
        return ""


def _seed_files(seeds_dir: Path, listing: InputListing, problems: Problems) -> dict[str, Path]:
    """Each seed file (`<id>_<name>.txt` in `listing` of seeds/) by its id; bad names are problems."""
    problems.items.extend(listing.problems)
    files: dict[str, Path] = {}
    # A refused file is still a seed file: reading it says why again (one line: problems are reported once), never "listed but missing".
    for name in sorted([*listing.files, *listing.refused]):
        if not name.endswith(".txt"):
            continue
        path = seeds_dir / name
        seed_id, underscore, _ = name.partition("_")
        if not underscore:
            problems.add(path, 0, f"a seed file is named <id>_<name>.txt: rename {name!r} (the id is the part before '_')")
            continue
        if not SEED_ID.match(seed_id):
            problems.add(path, 0, f"seed id {seed_id!r} (the file name before '_') {_SEED_ID_RULE}")
            continue
        if seed_id in files:
            problems.add(path, 0, f"two seed files share the id {seed_id!r} (also {files[seed_id].name})")
        files[seed_id] = path
    return files


def _load_seed(seed_id: str, path: Path, entry: object, doc: YamlDocument, meta_path: Path) -> Source:
    if not isinstance(entry, dict):
        raise BuildError.at(meta_path, doc.line(seed_id), f"seed {seed_id!r}: metadata must be a mapping")
    problems = Problems()
    fields = Fields(meta_path, doc, problems)
    values = read_mapping(fields, entry, SEED_ENTRY, (seed_id,))
    raw = read_input_bytes(path, meta_path.parent.parent)
    digest = hashlib.sha256(raw).hexdigest()
    _checksum_problem(seed_id, path, values["sha256"], digest, doc.line(seed_id), meta_path, problems)
    blocks = split_blocks(decode_text(raw, path))
    if not blocks:
        problems.add(path, 0, "seed is empty: a seed needs at least one passage")
    overrides = _passage_map(seed_id, "blocks", values["blocks"], len(blocks), doc, meta_path, problems, _block_kind_problem)
    excluded = _passage_map(seed_id, "exclude", values["exclude"], len(blocks), doc, meta_path, problems, _exclusion_problem)
    texts = {key: fields.text(values[key], (seed_id, key), f"seed {seed_id!r}: {key!r}") for key in _SEED_TEXTS}
    date = fields.date(values["date"], (seed_id, "date"), f"seed {seed_id!r}: date", partial=True) or None
    url = fields.url(values["url"], (seed_id, "url"), f"seed {seed_id!r}: url")
    changed = fields.date(values["changed"], (seed_id, "changed"), f"seed {seed_id!r}: changed") or None
    edited = values["edited"] or {}
    numbers = {key: number for key in edited if (number := _passage_number(seed_id, key, len(blocks), doc.line(seed_id, "edited", key), meta_path, problems))}
    edits = read_edits(seed_id, edited, numbers, fields)
    problems.raise_if_any()
    return Source(
        id=seed_id,
        file_name=path.name,
        title=texts["title"],
        publisher=texts["publisher"],
        date=date,
        kind=texts["kind"],
        promotional=values["promotional"],
        url=url,
        sha256=digest,
        passages=_passages(seed_id, blocks, overrides, excluded),
        changed=changed,
        edits=edits,
    )


def _checksum_problem(seed_id: str, path: Path, recorded: object, digest: str, entry_line: int, meta_path: Path, problems: Problems) -> None:
    """A missing checksum, with the value to paste; a wrong one, with the file's and what to do."""
    if recorded is None or not str(recorded).strip():
        problems.add(meta_path, entry_line, f"seed {seed_id!r} has no sha256: add `sha256: {digest}` to its entry (the checksum of {path.name} as it is now)")
    elif str(recorded).strip().lower() != digest:
        problems.add(
            path, 0,
            f"seed changed: the file's sha256 is {digest}, sources.yaml records {recorded}; if the seed changed on purpose, re-check every "
            f"citation of it (passage numbers may have moved), then record `sha256: {digest}` in seeds/sources.yaml",
        )


def _passages(seed_id: str, blocks: list[tuple[int, str]], overrides: dict[int, str], excluded: dict[int, str]) -> tuple[Passage, ...]:
    """The blocks of a seed as passages: headings by `overrides` or by their look, each paragraph under its heading."""
    passages: list[Passage] = []
    section = ""
    for number, (line, block) in enumerate(blocks, start=1):
        kind = overrides.get(number)
        is_heading = kind == "heading" if kind else looks_like_heading(block)
        if is_heading:
            section = block
        passages.append(Passage(seed_id, number, block, is_heading, "" if is_heading else section, line, excluded.get(number, "")))
    return tuple(passages)


def _passage_number(seed_id: str, key: object, count: int, line: int, meta_path: Path, problems: Problems) -> int | None:
    match = PASSAGE_ID.match(str(key))
    if not match:
        problems.add(meta_path, line, f"seed {seed_id!r}: {key!r} is not a passage id such as p12")
        return None
    number = int(match.group(1))
    if number > count:
        problems.add(meta_path, line, f"seed {seed_id!r}: passage {key} does not exist (the seed has p1-p{count})")
        return None
    return number


def _block_kind_problem(key: object, kind: object) -> str:
    return "" if kind in ("heading", "paragraph") else f"block kind must be heading or paragraph, not {kind!r}"


def _exclusion_problem(key: object, reason: object) -> str:
    if isinstance(reason, str) and len(reason.split()) >= 3:
        return text_problem(reason, f"the reason for excluding {key}")
    return f"exclusion of {key} needs a specific reason (a few words on why)"


def _passage_map(
    seed_id: str, field: str, value: dict[Any, Any] | None, count: int, doc: YamlDocument, meta_path: Path, problems: Problems,
    value_problem: Callable[[object, object], str],
) -> dict[int, str]:
    """A `blocks:` or `exclude:` mapping of passage ids to text, validated: {passage number: text}."""
    if value is None:
        return {}
    result: dict[int, str] = {}
    for key, text in value.items():
        line = doc.line(seed_id, field, key)
        number = _passage_number(seed_id, key, count, line, meta_path, problems)
        message = value_problem(key, text)
        if message:
            problems.add(meta_path, line, f"seed {seed_id!r}: {message}")
        elif number:
            result[number] = str(text).strip()
    return result
