"""The statements of a page body, found where its Markdown is converted: every paragraph, list item,
table cell and definition, with its line, whether it carries a citation and the admonitions around
it (whether those make it editorial is the settings' to say, when resolving).

Two passes of the tree share the page's state. `StatementBlocks` runs before the inline pass, while
each block still holds its Markdown as written: it notes each statement's element, its line (found
by its first words, searching on from the last statement's, in reading order) and the start of its
Markdown. `StatementCitations` runs once citations are numbered superscripts and says which carry one,
and which (the anchors of its superscripts, as the reference list links them).

What counts as a statement:

- A paragraph, a list item's own text, a table cell, a definition (`: …`) that holds any text.
  Headings, admonition titles, header cells, terms of definition lists, code and raw HTML do not.
- A list item's nested list holds statements of its own. An item whose own text carries no
  citation counts as cited when it introduces a nested list whose every statement is cited
  ("Side effects include:" above cited items): the items it introduces carry its sources.
- In a table of two or more columns, the first cell of each body row is the row's label, as a
  header cell labels a column: not a statement.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from dataclasses import dataclass

import markdown
from markdown import util
from markdown.treeprocessors import Treeprocessor

from .page_state import PageState, StatementRow

_SKIPPED = {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "hr", "th", "dt", "thead", "script", "style"}
_CONTAINERS = {"ul", "ol", "dl", "blockquote", "div", "table", "tbody", "tr", "details"}
_BLOCKS = _SKIPPED | _CONTAINERS | {"p", "li", "td", "dd"}
_KINDS = {"p": "paragraph", "li": "list item", "td": "table cell", "dd": "definition"}
_FIRST_WORDS = 8  # enough of a block's first line to find it in the page
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}")


@dataclass
class _Block:
    """A statement's element as the first pass found it, before the inline pass."""

    element: etree.Element
    kind: str
    line: int
    admonitions: tuple[str, ...]
    nested: list[_Block]  # the statements of a list item's nested lists
    text: str = ""  # its Markdown whole, white space made single spaces


class StatementBlocks(Treeprocessor):
    """Before the inline pass: every statement's element, line and Markdown, in reading order."""

    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        self._cursor = 0  # where the search for the next statement's first words starts
        self._budget = 4 * len(self.state.body) + 100_000  # characters searched in vain, at most: linear in the page
        self.state.blocks = self._visit(root, ())

    def _visit(self, element: etree.Element, admonitions: tuple[str, ...]) -> list[_Block]:
        found: list[_Block] = []
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = child.get("class", "").split()
            if tag in _SKIPPED or "admonition-title" in classes:
                continue
            if tag == "tr" and len([cell for cell in child if cell.tag in ("td", "th")]) > 1:
                found += self._row(child, admonitions)
            elif tag in _KINDS:
                found += self._statement(child, tag, admonitions)
            elif tag == "div" and "admonition" in classes:
                kind = classes[classes.index("admonition") + 1] if len(classes) > classes.index("admonition") + 1 else ""
                found += self._visit(child, (*admonitions, kind.lower()))
            elif tag in _CONTAINERS:
                found += self._visit(child, admonitions)
        return found

    def _row(self, row: etree.Element, admonitions: tuple[str, ...]) -> list[_Block]:
        """The cells of a table row but its label (the first cell)."""
        found: list[_Block] = []
        for index, cell in enumerate(row):
            if cell.tag == "td" and index:
                found += self._statement(cell, "td", admonitions)
            elif cell.tag == "td":
                self._line(self._own_text(cell))  # the label: searched for, so that the next cell is found after it
        return found

    def _statement(self, element: etree.Element, tag: str, admonitions: tuple[str, ...]) -> list[_Block]:
        """The statement of `element`, if it holds text of its own, then the statements nested in it."""
        text = self._own_text(element)
        written = _PLACEHOLDER.sub(" ", text).strip()
        own: list[_Block] = []
        if written:
            whole = _SPACE.sub(" ", written)
            own.append(_Block(element, _KINDS[tag], self._line(text), admonitions, [], whole))
        nested = self._visit(element, admonitions)
        if tag in ("li", "dd") and own:
            own[0].nested = nested
            return own
        kind = _KINDS[tag] if tag in ("li", "dd") else ""
        for block in nested:  # the paragraphs of a loose list item are that item's statements
            if kind and block.kind == "paragraph":
                block.kind = kind
        return own + nested

    @staticmethod
    def _own_text(element: etree.Element) -> str:
        """The Markdown of `element` itself, not of the blocks nested in it (before the inline pass a
        block holds its text, and its children are blocks)."""
        parts = [element.text or ""]
        parts += [child.tail or "" for child in element if child.tag in _BLOCKS]
        parts += [child.text or "" for child in element if child.tag not in _BLOCKS and isinstance(child.tag, str)]
        return "".join(parts)

    def _line(self, text: str) -> int:
        """The line of the body where `text` starts: searched on from the last statement, then (while
        the budget lasts) from the top; else the last statement's line."""
        body = self.state.body
        first = text.lstrip().split("\n", 1)[0].split(util.STX, 1)[0]
        words = first.split()[:_FIRST_WORDS]
        if not words:
            return self.state.line_at(self._cursor)
        match = _find_words(body, words, self._cursor, len(body))
        if match is None and self._budget > 0:
            self._budget -= len(body) - self._cursor
            match = _find_words(body, words, 0, self._cursor)
            self._budget -= self._cursor
        if match is None:
            return self.state.line_at(self._cursor)
        if match[0] >= self._cursor:
            self._cursor = match[1]
        return self.state.line_at(match[0])


def _find_words(body: str, words: list[str], start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the first place in `body[start:end]` where `words` follow each other, parted
    by whitespace; None if there is none. (A regular expression made for each statement would be
    compiled anew for each: a millisecond apiece.)"""
    position = start
    while True:
        found = body.find(words[0], position, end)
        if found < 0:
            return None
        after = found + len(words[0])
        for word in words[1:]:
            space = _SPACE.match(body, after, end)
            if space is None or not body.startswith(word, space.end(), end):
                break
            after = space.end() + len(word)
        else:
            return found, after
        position = found + 1


class StatementCitations(Treeprocessor):
    """Once citations are numbered: which statement carries one; the page's statements in reading order."""

    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        statements: list[StatementRow] = []
        for block in self.state.blocks:  # type: ignore[assignment]
            self._add(block, statements)  # type: ignore[arg-type]
        self.state.statements = statements
        self.state.blocks = []

    def _add(self, block: _Block, statements: list[StatementRow]) -> bool:
        """Adds `block` and the statements nested in it; whether all of them are cited."""
        at = len(statements)
        nested = [self._add(inner, statements) for inner in block.nested]
        anchors = tuple(_citation_anchors(block.element))
        cited = bool(anchors) or (bool(nested) and all(nested))
        if _has_words(block.element):  # not an image alone
            statements.insert(at, (block.line, block.kind, cited, block.admonitions, block.text, anchors))
        return cited and all(nested)


def _has_words(element: etree.Element) -> bool:
    """Whether `element` itself holds any text once inline Markdown is converted (a placeholder of
    inline HTML or a typographic character counts)."""
    if (element.text or "").strip():
        return True
    return any((child.tail or "").strip() or (child.tag not in _BLOCKS and _has_words(child)) for child in element)


def _citation_anchors(element: etree.Element) -> list[str]:
    """The ids of the citation superscripts `element` itself holds (not a block nested in it), in reading order."""
    anchors: list[str] = []
    for child in element:
        if child.tag == "sup" and "cite" in child.get("class", "").split():
            anchors.append(child.get("id", ""))
        elif child.tag not in _BLOCKS:
            anchors += _citation_anchors(child)
    return anchors
