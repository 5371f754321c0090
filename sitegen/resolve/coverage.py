"""Seed coverage: of each seed's paragraphs, how many the pages cite, how many are excluded with a
reason, and which are neither. One count, read by the sources page and by the coverage check."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Site, SourcePage


@dataclass(frozen=True)
class Coverage:
    source_id: str
    passages: int  # all blocks, headings included
    paragraphs: int
    cited: int
    excluded: int  # excluded and not cited (a cited passage counts as cited only)
    uncited: tuple[int, ...]  # paragraph numbers neither cited nor excluded

    @property
    def complete(self) -> bool:
        return not self.uncited


def source_coverage(source_page: SourcePage) -> Coverage:
    """How the paragraphs of one seed are accounted for."""
    paragraphs = [p for p in source_page.source.passages if not p.is_heading]
    cited = {p.number for p in paragraphs if p.number in source_page.backlinks}
    excluded = {p.number for p in paragraphs if p.excluded and p.number not in cited}
    uncited = tuple(p.number for p in paragraphs if p.number not in cited and p.number not in excluded)
    return Coverage(source_page.source.id, len(source_page.source.passages), len(paragraphs), len(cited), len(excluded), uncited)


def coverage(site: Site) -> list[Coverage]:
    """Per seed, in the order of the sources page: how its paragraphs are accounted for."""
    return [source_coverage(source_page) for source_page in site.source_pages]
