"""What each statement cites, as a reader checks it: for every citation it carries, the full text of
the cited seed passages (with their source and section) or the publication's entry, the part cited
and its `note`; and the text its quotes and numbers may come from. Shared by the checks of quotes,
numbers and softened claims and by `review`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..resolve.model import Reference, ResolvedPage
from ..resolve.page_state import Statement


@dataclass(frozen=True)
class Cited:
    """One citation of a statement: how it is written, what it shows a reader, and what it vouches for."""

    label: str  # "[2] @000:p4" or "[3] @schwenk2018, abstract"
    key: str  # "@000:p4", as messages name it
    texts: tuple[str, ...]  # the passages quoted in full, or the publication's entry, part cited and note
    passages: tuple[str, ...]  # the words themselves: each passage's text, or the publication's note ("" for none)
    entry: str  # what the cited entry says of itself: a seed's title and year, a publication's title and year
    in_source_words: bool  # whether `passages` are the source's own words (a seed's), not the site's note on it


Uses = Mapping[str, tuple[Reference, int]]  # anchor of a citation → its reference and which use of it it is


def citation_uses(page: ResolvedPage) -> Uses:
    """Every citation of `page` by its anchor."""
    return {anchor: (reference, index) for reference in page.references for index, anchor in enumerate(reference.anchors)}


def cited_by(statement: Statement, uses: Uses) -> tuple[Cited, ...]:
    """What `statement` cites, in reading order (citations that did not resolve are left out)."""
    return tuple(cited(*uses[anchor]) for anchor in statement.citations if anchor in uses)


def cited(reference: Reference, index: int) -> Cited:
    """What the `index`-th use of `reference` points at."""
    locator = reference.locators[index] if index < len(reference.locators) else ""
    key = str(reference.key)
    label = f"[{reference.number}] {key}" + (f", {locator}" if locator else "")
    if reference.source is not None:
        source = reference.source
        texts = tuple(
            f"{source.publisher}, \u201c{source.title}\u201d, {passage.anchor}"
            + (f", section \u201c{passage.section}\u201d" if passage.section else "")
            + f": {passage.text}"
            for passage in reference.passages
        )
        return Cited(label, key, texts, tuple(passage.text for passage in reference.passages), f"{source.title} {(source.date or '')[:4]}", True)
    publication = reference.publication
    assert publication is not None  # a reference is of a passage or of a publication
    texts = (publication.citation,) + ((f"Part cited: {locator}",) if locator else ()) + ((f"Note: {publication.note}",) if publication.note else ())
    return Cited(label, key, texts, (publication.note,), f"{publication.title} {publication.year}", False)
