"""The bibliography: `content/references.yaml`, the outside publications pages cite by key, read
and checked into `Publication`s, with the forms the site shows them in (a link, a short name, the
reference in Vancouver style).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BuildError, Problems
from ..core.files import read_text
from .fields import Fields
from .schema import TEXT, TEXT_OR_NUMBER, TEXTS, WHOLE_NUMBER, Key, Schema, read_mapping
from .yaml_files import parse_yaml

PUBLICATION = Schema((
    Key("authors", TEXTS, required=True), Key("year", WHOLE_NUMBER, required=True), Key("title", TEXT, required=True),
    *(Key(name, TEXT) for name in ("journal", "doi", "url", "note")),
    *(Key(name, TEXT_OR_NUMBER) for name in ("volume", "issue", "pages", "pmid")),  # a whole number is their text too
))
_PUBLICATION_TEXTS = ("title", "journal", "volume", "issue", "pages", "doi", "pmid", "note")


@dataclass(frozen=True)
class Publication:
    """An outside publication from the bibliography, cited by its key."""

    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    journal: str
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str
    url: str
    note: str

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    @property
    def short(self) -> str:
        first = self.authors[0].split()[0] if self.authors else "Anon."
        more = " et al." if len(self.authors) > 1 else ""
        return f"{first}{more} {self.year}"

    @property
    def citation(self) -> str:
        """The reference in Vancouver style, as text."""
        authors = ", ".join(self.authors).rstrip(".")  # "…, et al." ends the list with its own full stop
        where = self.journal
        if self.volume:
            where += f" {self.year};{self.volume}"
            where += f"({self.issue})" if self.issue else ""
            where += f":{self.pages}" if self.pages else ""
        else:
            where += f" {self.year}"
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{authors}. {self.title.rstrip('.')}. {where}.{doi}".strip()


def load_publications(path: Path, seed_ids: set[str]) -> dict[str, Publication]:
    """The bibliography (`content/references.yaml`); absent means no outside publications."""
    if not os.path.lexists(path):
        return {}
    doc = parse_yaml(read_text(path, path.parent.parent), path)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise BuildError.at(path, 1, "references.yaml must map each citation key to a publication")
    problems = Problems()
    fields = Fields(path, doc, problems)
    publications: dict[str, Publication] = {}
    for key, entry in data.items():
        line = doc.line(key)
        if not isinstance(key, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", key):
            problems.add(path, line, f"citation key {key!r} must start with a letter and use letters, digits, - or _")
            continue
        if key in seed_ids:
            problems.add(path, line, f"citation key {key!r} is also a seed id")
        if not isinstance(entry, dict):
            problems.add(path, line, f"publication {key!r} must be a mapping")
            continue
        publication = _publication(fields, key, entry)
        if publication is not None:
            publications[key] = publication
    problems.raise_if_any()
    return publications


def _publication(fields: Fields, key: str, entry: dict[Any, Any]) -> Publication | None:
    """The publication `key` of the bibliography, its fields read (None when any has a problem)."""
    found = len(fields.problems.items)
    values = read_mapping(fields, entry, PUBLICATION, (key,))
    label = f"publication {key!r}:"
    authors = fields.words(values["authors"] or [], (key, "authors"), f"{label} authors")
    year = fields.whole_number(values["year"], (key, "year"), f"{label} year", dt.MINYEAR, dt.MAXYEAR) if values["year"] is not None else None
    # The schema has refused a number where text alone belongs; where one is left, it is the text.
    text = {name: fields.text(values[name], (key, name), f"{label} {name}", numbers=True) for name in _PUBLICATION_TEXTS}
    url = fields.url(values["url"], (key, "url"), f"{label} url")
    if text["doi"]:
        fields.url(f"https://doi.org/{text['doi']}", (key, "doi"), f"{label} doi")
    if len(fields.problems.items) > found or year is None:
        return None
    if not text["doi"] and not url:
        fields.problems.add(fields.path, fields.doc.line(key), f"publication {key!r}: give a doi or a url so readers can find it")
        return None
    return Publication(key=key, authors=authors, year=year, url=url, **text)
