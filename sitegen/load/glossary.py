"""The glossary: `content/glossary.yaml`, a list of terms, each with its id, definition and aliases,
validated with the one schema helper; ids that the page template uses are refused."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BuildError, Problems
from ..core.files import read_text
from ..core.layout import GLOSSARY_FILE
from .fields import Fields
from .pages import is_reserved_id
from .schema import TEXT, TEXTS, Key, Schema, read_mapping
from .yaml_files import parse_yaml

TERM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GLOSSARY_TERM = Schema((
    Key("term", TEXT, required=True),
    Key("id", TEXT),
    Key("definition", TEXT, required=True),
    Key("aliases", TEXTS),
))


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str  # Markdown, inline
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def load_glossary(content_dir: Path) -> tuple[GlossaryTerm, ...]:
    """`content/glossary.yaml`: a list of {term, id, definition, aliases}."""
    path = content_dir / GLOSSARY_FILE
    if not os.path.lexists(path):
        return ()
    doc = parse_yaml(read_text(path, content_dir.parent), path)
    data = doc.data or []
    if not isinstance(data, list):
        raise BuildError.at(path, 1, "glossary.yaml must be a list of terms (- term: …)")
    problems = Problems()
    fields = Fields(path, doc, problems)
    terms: dict[str, GlossaryTerm] = {}
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            problems.add(path, doc.line(index), "each glossary entry must be a mapping with term and definition")
            continue
        found = len(problems.items)
        term = _glossary_term(fields, read_mapping(fields, entry, GLOSSARY_TERM, (index,)), index)
        if term is not None and term.id in terms:
            problems.add(path, doc.line(index), f"duplicate glossary id {term.id!r}")
        elif term is not None and len(problems.items) == found:
            terms[term.id] = term
    problems.raise_if_any()
    return tuple(sorted(terms.values(), key=lambda t: t.term.lower()))


def _glossary_term(fields: Fields, values: dict[str, Any], index: int) -> GlossaryTerm | None:
    """The term of entry `index`, its fields read (None when its term, definition or id is unusable)."""
    if values["term"] is None or values["definition"] is None:
        return None
    term = fields.text(values["term"], (index, "term"), "glossary term")
    definition = fields.markdown(values["definition"], (index, "definition"), "glossary definition")
    term_id = values["id"] or re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
    line = fields.doc.line(index, "id")
    if not TERM_ID.match(term_id):
        fields.problems.add(fields.path, line, f"glossary id {term_id!r} must be lowercase letters, digits and hyphens")
        return None
    if is_reserved_id(term_id):
        fields.problems.add(fields.path, line, f"glossary id {term_id!r} is one the page template uses: give the term another id")
        return None
    aliases = fields.words(values["aliases"] or [], (index, "aliases"), "aliases")
    return GlossaryTerm(term_id, term, definition, aliases)
