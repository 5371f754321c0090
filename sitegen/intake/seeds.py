"""What the intake commands share about a project's seeds: its ids, a seed's text from extracted
blocks, the overrides that keep each heading a heading, where originals and previous versions go,
and reading a file someone brings."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..core.errors import BuildError
from ..core.layout import SOURCES_FILE
from ..load.sources import SEED_ID, looks_like_heading
from ..load.yaml_files import YamlDocument, parse_yaml
from .extract import Block

ORIGINALS = "originals"  # seeds/originals/<id>_<slug>.<ext>: the document the seed was extracted from
PREVIOUS = "previous"  # seeds/previous/<id>_<slug>.<date>.txt (and its original): a version replaced by update-source
_MAX_SLUG = 40


def read_brought(path: Path) -> bytes:
    """The bytes of a document named on the command line: a regular file, else a problem at its path."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise BuildError.at(path.resolve(), 0, f"cannot read the document: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise BuildError.at(path.resolve(), 0, "is not a regular file: name the document to bring")
    return path.read_bytes()


def sources_document(seeds_dir: Path) -> tuple[str, YamlDocument]:
    """The text of sources.yaml ("" when there is none) and its parsed document."""
    path = seeds_dir / SOURCES_FILE
    if not os.path.lexists(path):
        return "", YamlDocument({})
    text = path.read_bytes().decode("utf-8")
    doc = parse_yaml(text, path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise BuildError.at(path, 1, "sources.yaml must map each seed id to its metadata")
    return text, doc


def seed_files(seeds_dir: Path) -> dict[str, Path]:
    """Each seed file of `seeds_dir` by its id."""
    if not seeds_dir.is_dir():
        return {}
    return {name.partition("_")[0]: seeds_dir / name for name in sorted(os.listdir(seeds_dir)) if name.endswith(".txt") and "_" in name}


def next_id(taken: set[str]) -> str:
    """One more than the highest numeric id in use, as three digits or more (001 in a project without seeds)."""
    numbers = [int(seed_id) for seed_id in taken if seed_id.isdigit()]
    return f"{max(numbers, default=0) + 1:03d}"


def check_new_id(seed_id: str, taken: set[str], where: Path) -> None:
    if not SEED_ID.match(seed_id):
        raise BuildError.at(where, 0, f"seed id {seed_id!r} is not a plain URL segment: use lowercase letters, digits and single hyphens (such as 004)")
    if seed_id in taken:
        raise BuildError.at(where, 0, f"seed id {seed_id!r} is taken: give another with --id, or use update-source {seed_id} FILE for a new version")


def slug(text: str) -> str:
    """A short file-name part from a title: lowercase letters, digits and hyphens ("source" when nothing is left)."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:_MAX_SLUG].rstrip("-") or "source"


def seed_text(blocks: tuple[Block, ...]) -> str:
    """The seed file: one block a line, a blank line between (each non-empty line is one passage)."""
    return "\n\n".join(block.text for block in blocks) + "\n"


def block_overrides(blocks: tuple[Block, ...]) -> dict[int, str]:
    """`blocks:` entries for the blocks the document marks otherwise than the seed's look would guess, by passage number."""
    return {
        number: "heading" if block.heading else "paragraph"
        for number, block in enumerate(blocks, start=1)
        if block.heading is not None and block.heading != looks_like_heading(block.text)
    }


def is_heading(block: Block) -> bool:
    """Whether the seed will read `block` as a heading (its `blocks:` override given, else by its look)."""
    return block.heading if block.heading is not None else looks_like_heading(block.text)
