"""Python-Markdown's footnotes extension, with its bookkeeping in linear time.

Python-Markdown's footnotes find each reference's number by searching a list of every footnote
(`list(footnotes.keys()).index(id)`), record the order of references by searching another
(`id not in footnote_order`), and give the k-th reference to one footnote its id by trying the
k-1 ids taken before it; a page of many footnotes, or of many references to one, cost the square
of their number. `LinearFootnoteExtension` keeps the same records and, beside them, a map from
each footnote to its position, a set of the ids in `footnote_order` and the last id given to each
footnote's references, so each lookup is one step and the HTML is the same, byte for byte.

The methods replaced are checked against a digest of the Python-Markdown code they reproduce
(3.11); when a version of Python-Markdown has other code there, the extension is the stock one.
The maps are also checked against the records they mirror at each use, so anything that changes
the records another way is answered from the records themselves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

import markdown
from markdown.extensions import footnotes

from .upstream import source_digest

# The Python-Markdown code the methods below reproduce (3.11).
_KNOWN = {
    "handleMatch": ({"57853367cca53431"}, footnotes.FootnoteInlineProcessor.handleMatch),
    "addFootnoteRef": ({"dad05902d3b752df"}, footnotes.FootnoteExtension.addFootnoteRef),
    "unique_ref": ({"b153492528751710"}, footnotes.FootnoteExtension.unique_ref),
    "setFootnote": ({"63556b7c109ed1c3"}, footnotes.FootnoteExtension.setFootnote),
}
SUPPORTED = all(source_digest(function) in known for known, function in _KNOWN.values())


class LinearFootnoteExtension(footnotes.FootnoteExtension):
    """`FootnoteExtension`, answering "which number", "seen before" and "next free id" from maps."""

    def reset(self) -> None:
        super().reset()
        self.positions: dict[str, int] = {}  # footnote id → its place in `footnotes` (definition order)
        self.order_positions: dict[str, int] = {}  # footnote id → its place in `footnote_order`
        self.last_refs: dict[str, str] = {}  # a reference id → the last unique id given for it

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        if SUPPORTED:
            stock = md.inlinePatterns["footnote"]
            md.inlinePatterns.register(LinearFootnoteInlineProcessor(stock.pattern, self), "footnote", 175)

    def setFootnote(self, id: str, text: str) -> None:  # noqa: N802 (Python-Markdown's names)
        if SUPPORTED and id not in self.footnotes:
            self.positions[id] = len(self.footnotes)
        super().setFootnote(id, text)

    def addFootnoteRef(self, id: str) -> None:  # noqa: N802
        if not SUPPORTED or len(self.order_positions) != len(self.footnote_order):
            super().addFootnoteRef(id)
            return
        if id not in self.order_positions:
            self.order_positions[id] = len(self.footnote_order)
            self.footnote_order.append(id)

    def definition_number(self, id: str) -> int:
        """The number of footnote `id` in definition order (1 for the first defined)."""
        if len(self.positions) == len(self.footnotes) and id in self.positions:
            return self.positions[id] + 1
        return list(self.footnotes.keys()).index(id) + 1

    def reference_number(self, id: str) -> int:
        """The number of footnote `id` in the order of first reference."""
        if len(self.order_positions) == len(self.footnote_order) and id in self.order_positions:
            return self.order_positions[id] + 1
        return self.footnote_order.index(id) + 1

    def unique_ref(self, reference: str, found: bool = False) -> str:
        """Python-Markdown's `unique_ref`, trying candidates from the last one given for `reference`:
        every candidate before it was taken then, and taken ids are never given back."""
        if not SUPPORTED or not found:
            return super().unique_ref(reference, found)
        original_ref = reference
        reference = self.last_refs.get(original_ref, original_ref)
        while reference in self.used_refs:
            ref, rest = reference.split(self.get_separator(), 1)
            m = footnotes.RE_REF_ID.match(ref)
            reference = f"{m.group(1)}{int(m.group(2)) + 1}{self.get_separator()}{rest}" if m else f"{ref}2{self.get_separator()}{rest}"
        self.last_refs[original_ref] = reference
        self.used_refs.add(reference)
        self.found_refs[original_ref] = self.found_refs.get(original_ref, 0) + 1
        return reference


class LinearFootnoteInlineProcessor(footnotes.FootnoteInlineProcessor):
    """`FootnoteInlineProcessor.handleMatch` of Python-Markdown 3.11, numbers looked up in one step."""

    footnotes: LinearFootnoteExtension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:  # noqa: N802
        id = m.group(1)
        if id not in self.footnotes.footnotes:
            return None, None, None
        self.footnotes.addFootnoteRef(id)
        by_definition = self.footnotes.getConfig("USE_DEFINITION_ORDER")
        footnote_num = self.footnotes.definition_number(id) if by_definition else self.footnotes.reference_number(id)
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", self.footnotes.makeFootnoteRefId(id, found=True))
        a.set("href", "#" + self.footnotes.makeFootnoteId(id))
        a.set("class", "footnote-ref")
        a.text = self.footnotes.getConfig("SUPERSCRIPT_TEXT").format(footnote_num)
        return sup, m.start(0), m.end(0)
