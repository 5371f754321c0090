"""Citations in Markdown: the inline pattern that takes each `[@…]` out of the text as a placeholder,
and the tree processor that turns the placeholders into numbered superscripts linking the reference
list, numbered in reading order. A publication's locator belongs to one use: it is kept by the anchor
of that use (`PageState.locators`), and one publication is one reference whatever its locators.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from collections.abc import Sequence

import markdown
from markdown import util
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .citations import NOT_PLAIN_LOCATOR, CitationKey, CitationSyntaxError, parse_items
from .page_state import LinkProblem, PageState

_PENDING = "sitegen-cite"
WORD_JOINER = "\u2060"
_SEPARATOR = "\x1f"  # between the locators of a placeholder: a locator holds no control character


class CitationPattern(InlineProcessor):
    """Turns `[@…]` into a placeholder; numbering happens later, in document order."""

    def __init__(self, pattern: str, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(pattern, md)
        self.state = state

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int, int]:  # noqa: N802
        self.state.brackets.add(m.group(1))
        try:
            items = parse_items(m.group(1))
        except CitationSyntaxError:
            if util.STX in m.group(1):  # a code span or an escape inside: the bracket as written is not what this sees
                self._not_plain(m.group(1))
            return None, m.start(0), m.end(0)
        return pending_citation([i.key for i in items], [i.locator for i in items]), m.start(0), m.end(0)

    def _not_plain(self, inner: str) -> None:
        """An error at the line of a bracket whose text earlier inline patterns replaced in part."""
        written = inner.split(util.STX, 1)[0]
        line = self.state.line_matching(re.escape(f"[{written}"))
        self.state.errors.append(LinkProblem(line, f"citation [{written}…]: {NOT_PLAIN_LOCATOR}"))


def pending_citation(keys: Sequence[CitationKey], locators: Sequence[str] = ()) -> etree.Element:
    """The placeholder of a citation of `keys` (each with its locator, "" for none), which
    `CitationNumbering` turns into numbered superscripts."""
    attributes = {
        "keys": "|".join(f"{k.target},{k.first},{k.last}" for k in keys),
        "locators": _SEPARATOR.join(locators or [""] * len(keys)),
    }
    return etree.Element(_PENDING, attributes)


class CitationNumbering(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            if any(child.tag == _PENDING for child in parent):
                parent[:] = self._replace_pending(parent)
        # Numbers must follow reading order: assign them in a second, ordered pass.
        numbers: dict[CitationKey, int] = {}
        for sup in root.iter("sup"):
            raw = sup.get("data-key")
            if raw is None:
                continue
            target, first, last = raw.split(",")
            key = CitationKey(target, int(first), int(last))
            number = numbers.setdefault(key, len(numbers) + 1)
            anchors = self.state.citations.setdefault(key, [])
            anchor = sys.intern(f"cite-{number}-{len(anchors) + 1}")  # the same few on every page: held once
            anchors.append(anchor)
            if locator := sup.attrib.pop("data-locator", ""):
                self.state.locators[anchor] = locator
            link = sup[0]
            sup.set("id", anchor)
            link.set("href", f"#ref-{number}")
            link.text = f"[{number}]"
            del sup.attrib["data-key"]

    def _replace_pending(self, parent: etree.Element) -> list[etree.Element]:
        """The children of `parent` with each citation placeholder replaced by its superscripts (one
        pass over the children: removing and inserting one at a time costs the square of their number)."""
        children: list[etree.Element] = []
        for child in parent:
            if child.tag != _PENDING:
                children.append(child)
                continue
            locators = child.get("locators", "").split(_SEPARATOR)
            sups = [self._sup(key, locator) for key, locator in zip(self._keys(child.get("keys", "")), locators, strict=True)]
            if sups:
                # Superscripts sit right after the statement and stay on one line with it and each other.
                _strip_trailing_space(parent, children)
                for sup in sups[:-1]:
                    sup.tail = WORD_JOINER
                sups[-1].tail = child.tail
                children.extend(sups)
            else:
                _append_text(parent, children, child.tail)
        return children

    @staticmethod
    def _keys(raw: str) -> list[str]:
        return [part for part in raw.split("|") if part]

    @staticmethod
    def _sup(raw_key: str, locator: str) -> etree.Element:
        sup = etree.Element("sup", {"class": "cite", "data-key": raw_key})
        if locator:
            sup.set("data-locator", locator)
        link = etree.SubElement(sup, "a")
        link.text = ""
        return sup


def _strip_trailing_space(parent: etree.Element, before: list[etree.Element]) -> None:
    """Remove the space at the end of the text so far ("fact [@001:p2]" reads "fact[1]"): the tail of the
    last of `before`, the children of `parent` placed so far, or the text of `parent` when there is none."""
    if not before:
        parent.text = parent.text.rstrip(" \t\n") if parent.text else parent.text
    else:
        previous = before[-1]
        previous.tail = previous.tail.rstrip(" \t\n") if previous.tail else previous.tail


def _append_text(parent: etree.Element, before: list[etree.Element], text: str | None) -> None:
    if not text:
        return
    if not before:
        parent.text = (parent.text or "") + text
    else:
        previous = before[-1]
        previous.tail = (previous.tail or "") + text
