"""Figures in Markdown: a ```` ```chart ```` or ```` ```timeline ```` block of YAML becomes a `<figure>`
holding its title, its drawing (inline SVG, `figure_svg`) and its values as a table, one click away
in a `<details>`, each value with its citations as superscript links, numbered with the text's.

Three processors share the page's figures. `FigureBlocks`, before fenced code, finds the blocks as
fenced code would (a figure fence inside a longer code fence stays code), reads each (`figure_spec`),
and leaves a marker paragraph in its place. `FigureElements`, before the inline pass, puts the figure
and its table where the marker was, its citations as the placeholders of the text's. `FigureDrawings`,
once citations are numbered, draws each figure with the numbers its table's superscripts got.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from dataclasses import dataclass, field

import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

from .citation_numbering import pending_citation
from .figure_spec import FENCES, Figure, parse_figure
from .figure_svg import Mark, draw
from .page_state import LinkProblem, PageState, Statement

DATA_SUMMARY = "The values and their sources"
_MARKER = re.compile(f"^{STX}sitegen-figure:([0-9]+){ETX}$")
_DRAWING = "sitegen-figure-drawing"
_LEFT_OVER = re.compile(f"{STX}sitegen-figure:[0-9]+{ETX}")
MAX_FIGURES = 50  # in one page
_OPENER = re.compile(r"^(?:`{3,}|~{3,})[ ]*(chart|timeline)[ ]*$", re.MULTILINE)


@dataclass
class PageFigures:
    """The figures of the page being converted, in order, and the cells that hold each one's values."""

    figures: list[Figure] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each figure's fence
    cells: dict[int, list[list[etree.Element]]] = field(default_factory=dict)  # of each figure put in the tree: by entry, by value
    value_lines: list[list[int]] = field(default_factory=list)  # of each figure: the line of each value's citation, in order


class FigureBlocks(Preprocessor):
    """Reads each figure block and leaves a marker paragraph where it was."""

    def __init__(self, md: markdown.Markdown, state: PageState, figures: PageFigures) -> None:
        super().__init__(md)
        self.state = state
        self.page = figures

    def run(self, lines: list[str]) -> list[str]:
        self.page.figures, self.page.lines, self.page.cells, self.page.value_lines = [], [], {}, []
        text = "\n".join(lines)
        pieces: list[str] = []
        position = 0
        while match := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(text, position):
            self._unclosed(text, position, match.start())
            fence = match.group("lang") or ""
            if fence not in FENCES or match.group("attrs") is not None:
                pieces.append(text[position : match.end()])
            else:
                pieces.append(text[position : match.start()] + self._figure(fence, match, text))
            position = match.end()
        self._unclosed(text, position, len(text))
        pieces.append(text[position:])
        return "".join(pieces).split("\n")

    def _figure(self, fence: str, match: re.Match[str], text: str) -> str:
        """The marker of the figure `match` holds (nothing when it has problems: they go to the page's errors)."""
        first_line = text.count("\n", 0, match.start("code")) + 1
        parsed = parse_figure(fence, match.group("code"), first_line, self.state.source)
        self.state.errors.extend(parsed.problems)
        self.state.figure_citations.extend(parsed.citations)
        if parsed.figure is None:
            return ""
        if len(self.page.figures) == MAX_FIGURES:
            self.state.errors.append(LinkProblem(first_line - 1, f"a page holds at most {MAX_FIGURES} figures: split the page"))
            return ""
        self.page.figures.append(parsed.figure)
        self.page.lines.append(first_line - 1)
        self.page.value_lines.append([citation.line for citation in parsed.citations])
        return f"\n\n{STX}sitegen-figure:{len(self.page.figures) - 1}{ETX}\n\n"

    def _unclosed(self, text: str, start: int, end: int) -> None:
        """An error at each figure fence between `start` and `end` that no fence closes."""
        for opener in _OPENER.finditer(text, start, end):
            line = text.count("\n", 0, opener.start()) + 1
            fence = opener.group(0).split(opener.group(1))[0].strip()
            self.state.errors.append(LinkProblem(line, f"{opener.group(1)} block is not closed: end it with a line of {fence}"))


class FigureElements(Treeprocessor):
    """Puts each figure, with its table of values, where its marker paragraph is."""

    def __init__(self, md: markdown.Markdown, figures: PageFigures) -> None:
        super().__init__(md)
        self.page = figures

    def run(self, root: etree.Element) -> None:
        if not self.page.figures:
            return
        for parent in list(root.iter()):
            for index, child in enumerate(parent):
                marker = _MARKER.match((child.text or "").strip()) if child.tag == "p" and not len(child) else None
                if marker:
                    parent[index] = self._figure(int(marker.group(1)))

    def _figure(self, number: int) -> etree.Element:
        figure = self.page.figures[number]
        element = etree.Element("figure", {"class": "figure"})  # its id comes with its drawing, after the check of the author's ids
        _text(etree.SubElement(element, "figcaption"), figure.title)
        etree.SubElement(element, _DRAWING, {"data-figure": str(number)})
        details = etree.SubElement(element, "details", {"class": "figure-data"})
        _text(etree.SubElement(details, "summary"), DATA_SUMMARY)
        table = etree.SubElement(details, "table")
        head = etree.SubElement(table, "tr")
        for heading in (figure.labels, *_headings(figure)):
            _text(etree.SubElement(head, "th", {"scope": "col"}), heading)
        cells: list[list[etree.Element]] = []
        for entry in figure.entries:
            row = etree.SubElement(table, "tr")
            _text(etree.SubElement(row, "th", {"scope": "row"}), entry.label)
            cells.append([])
            for value in entry.values:
                cell = _text(etree.SubElement(row, "td"), value.words or figure.shown(value.number))
                cell.append(pending_citation(value.keys, value.locators))
                cells[-1].append(cell)
        self.page.cells[number] = cells
        return element


def _headings(figure: Figure) -> tuple[str, ...]:
    """The headings of the value columns: the series of a paired chart, else what the values are."""
    if figure.kind == "paired-bar":
        return figure.series
    if figure.kind == "timeline":
        return (figure.axis or "Duration",)
    return (f"{figure.axis} ({figure.unit})" if figure.unit else figure.axis,)


class FigureDrawings(Treeprocessor):
    """Once citations are numbered: each figure's drawing, with the marks its table's cells got."""

    def __init__(self, md: markdown.Markdown, state: PageState, figures: PageFigures) -> None:
        super().__init__(md)
        self.state = state
        self.page = figures

    def run(self, root: etree.Element) -> None:
        if not self.page.figures:
            return
        self._left_over()
        for parent in list(root.iter("figure")):
            for index, child in enumerate(parent):
                if child.tag == _DRAWING:
                    number = int(child.get("data-figure", "0"))
                    marks = [[_marks(cell) for cell in entry] for entry in self.page.cells[number]]
                    parent[index] = draw(self.page.figures[number], marks, f"figure-{number + 1}")
                    parent.set("id", f"figure-{number + 1}")
                    self._values(number)

    def _values(self, number: int) -> None:
        """Each value of figure `number` as a statement of the page (`figure value`), at the line of its citation."""
        cells = [cell for entry in self.page.cells[number] for cell in entry]
        for cell, line in zip(cells, self.page.value_lines[number], strict=False):
            anchors = tuple(sup.get("id", "") for sup in cell if sup.tag == "sup")
            words = cell.text or ""
            self.state.figure_values.append(Statement(line, "figure value", True, (), text=words, citations=anchors))

    def _left_over(self) -> None:
        """An error for each figure raw HTML took in (an HTML block around it): it cannot be drawn there."""
        for number, line in enumerate(self.page.lines):
            if number not in self.page.cells:
                self.state.errors.append(LinkProblem(line, "a figure inside raw HTML (an HTML block or comment) is not drawn: move it out of the HTML"))
        stash = self.md.htmlStash.rawHtmlBlocks
        stash[:] = [_LEFT_OVER.sub("", block) if isinstance(block, str) else block for block in stash]


def _marks(cell: etree.Element) -> list[Mark]:
    """The citation marks a table cell got when citations were numbered."""
    return [Mark(link.text or "", link.get("href", "")) for sup in cell if sup.tag == "sup" for link in sup if link.tag == "a"]


def _text(element: etree.Element, words: str) -> etree.Element:
    element.text = AtomicString(words)
    return element
