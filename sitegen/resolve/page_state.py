"""The page being converted, as `Markup` and the processors of its extension share it: the Markdown as
written (to find the line of what the processors meet) and what they collect (citations, glossary
terms, cross-links, problems). Reset for every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.records import compact
from .citations import CitationKey, FoundCitation


@compact
@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A rewritten cross-link, kept so that checks can verify the target anchor."""

    line: int
    target_url: str
    fragment: str
    written: str = ""  # the href as the author wrote it ("setup.md#install"), for messages


@dataclass(frozen=True)
class LinkProblem:
    """Something wrong at a line of the page's Markdown."""

    line: int
    message: str


EXCERPT = 40  # characters of a statement's Markdown a message quotes


@compact
@dataclass(frozen=True, slots=True)
class Statement:
    """A paragraph, list item, table cell or definition of a page body, as `statements` finds it: its
    line (of the body; of the file once resolved), whether it carries a citation, the types of the
    admonitions around it (outermost first), and its Markdown whole (its start, `excerpt`, is what
    messages quote) with the anchors of its own citations. `editorial` is set when
    resolving: inside an editorial admonition, or on a page whose statements are editorial."""

    line: int
    kind: str  # "paragraph", "list item", "table cell" or "definition" ("figure value" for a value of a figure)
    cited: bool
    admonitions: tuple[str, ...]
    editorial: bool = False
    text: str = ""  # its own Markdown as written, white space made single spaces
    citations: tuple[str, ...] = ()  # the anchors of the citations it carries itself (`cite-2-1`), in reading order

    @classmethod
    def from_row(cls, row: StatementRow, line_offset: int = 0, editorial: bool = False) -> Statement:
        """The statement of `row`, its line moved by `line_offset`."""
        line, kind, cited, admonitions, text, citations = row
        return cls(line + line_offset, kind, cited, admonitions, editorial, text, citations)

    @property
    def excerpt(self) -> str:
        """The start of its Markdown, as a message quotes it (made from `text` when asked: a site has a hundred thousand statements)."""
        text = self.text
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


# A statement as a page's conversion records it and the cache keeps it (the fields of `Statement`
# but `editorial`, in order): a plain tuple, which unpickles several times faster than the
# dataclass (there are about a dozen to a page).
StatementRow = tuple[int, str, bool, tuple[str, ...], str, tuple[str, ...]]


@dataclass
class PageState:
    """Mutable state of the page being converted; reset for every page."""

    body: str = ""
    source: str = ""
    url: str = ""
    citations: dict[CitationKey, list[str]] = field(default_factory=dict)
    locators: dict[str, str] = field(default_factory=dict)  # anchor of a citation → its locator, where it has one
    terms: list[str] = field(default_factory=list)
    links: list[LinkTarget] = field(default_factory=list)
    link_problems: list[LinkProblem] = field(default_factory=list)
    errors: list[LinkProblem] = field(default_factory=list)
    brackets: set[str] = field(default_factory=set)
    statements: list[StatementRow] = field(default_factory=list)
    figure_citations: list[FoundCitation] = field(default_factory=list)  # the citations of the figures' values, with their lines
    figure_values: list[Statement] = field(default_factory=list)  # each value of a figure, with its citations: checked as a statement is
    blocks: list[object] = field(default_factory=list)  # the statements' elements and what is known of them before the inline pass
    searched: dict[str, int] = field(default_factory=dict)  # where the next search for each link target starts
    matched: dict[str, int] = field(default_factory=dict)  # where the next search for each pattern of `line_matching` starts
    counted: tuple[int, int] = (0, 1)  # a position in `body` and its line, where the last count of lines ended

    def start(self, body: str, source: str, url: str) -> None:
        """Forget the last page: `body` of content file `source`, at `url`, is the one converted now."""
        self.body, self.source, self.url = body, source, url
        self.citations, self.terms, self.links, self.link_problems, self.errors = {}, [], [], [], []
        self.brackets, self.searched, self.matched, self.counted = set(), {}, {}, (0, 1)
        self.statements, self.blocks, self.locators, self.figure_citations, self.figure_values = [], [], {}, [], []

    def line_of(self, needle: str) -> int:
        """The line of the next use of link target `needle` (links are visited in reading order)."""
        start = self.searched.get(needle, 0)
        index = self.body.find(f"]({needle}", start)
        if index < 0:
            index = self.body.find(needle, start)
        if index < 0:
            index = self.body.find(needle)
        self.searched[needle] = index + 1
        return self.line_at(index) if index >= 0 else 1

    def line_matching(self, pattern: str) -> int:
        """The line of the next match of `pattern` (a regular expression), in reading order; 1 if none."""
        start = self.matched.get(pattern, 0)
        compiled = re.compile(pattern)
        match = compiled.search(self.body, start) or compiled.search(self.body)
        if match is None:
            return 1
        self.matched[pattern] = match.start() + 1
        return self.line_at(match.start())

    def line_at(self, index: int) -> int:
        """The line of `body` that position `index` is on."""
        # Count on from the last line found: lines are asked for in reading order, so the whole page is counted about once.
        position, line = self.counted if index >= self.counted[0] else (0, 1)
        line += self.body.count("\n", position, index)
        self.counted = (index, line)
        return line
