"""Our Python-Markdown extension: which processors run, and where among Python-Markdown's own. Besides
the citations (`citation_numbering`), they refuse texts too long to take in one piece, hold attributes to
the site's rules, rewrite `.md` cross-links into relative page URLs, link the first use of each
glossary term to its entry, draw the figure blocks (`figures`) and show computed figures (`computed`).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from collections.abc import Mapping
from urllib.parse import urlsplit

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..core.urls import relative_url, url_problem
from ..dialect.data import as_written, plain_text
from ..dialect.limits import text_length_problem
from ..load.glossary import GlossaryTerm
from ..load.pages import is_reserved_id
from .citation_numbering import CitationNumbering, CitationPattern
from .citations import BRACKET
from .computed import ComputedPattern
from .figures import FigureBlocks, FigureDrawings, FigureElements, PageFigures
from .page_state import LinkProblem, LinkTarget, PageState
from .statements import StatementBlocks, StatementCitations

# Attributes whose value a browser follows or loads; each is held to the URL rule wherever an
# attribute list can set it.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "cite", "data", "background", "srcset", "ping", "longdesc", "manifest",
    "xlink:href", "codebase", "lowsrc", "dynsrc",
})
_NO_TERMS_INSIDE = {"a", "code", "pre", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "abbr", "dfn", "script", "style"}


class TextTooLongError(Exception):
    """A text of the page too long to take in one piece: the page is not converted."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _TextLengths(Treeprocessor):
    """Refuses, before the inline pass, a text it would take in one piece that is longer than the
    limit of `limits.text_length_problem` (code is left out: the inline pass does not look into it)."""

    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for text in (element.text, element.tail):
                if text and not isinstance(text, util.AtomicString) and (message := text_length_problem(len(text))):
                    raise TextTooLongError(LinkProblem(self._line(text), message))

    def _line(self, text: str) -> int:
        """The line of the page where `text` starts, found by its first words (up to a placeholder of
        Python-Markdown's; any run of white space may stand for another), or 1 if not found."""
        first = text.lstrip().split("\n", 1)[0].split(util.STX, 1)[0][:200]
        words = [re.escape(word) for word in first.split()]
        return self.state.line_matching(r"\s+".join(words)) if words else 1


class _CrossLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: PageState, urls: Mapping[str, str]) -> None:
        super().__init__(md)
        self.state = state
        self.urls = urls

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            try:
                parts = urlsplit(href)
            except ValueError:  # a malformed URL (http://[::1): the safety check reports it
                continue
            if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
                continue
            base = posixpath.dirname(self.state.source)
            target = posixpath.normpath(posixpath.join(base, parts.path)).lstrip("/")
            line = self.state.line_of(href)
            if target not in self.urls:
                self.state.link_problems.append(LinkProblem(line, f"link to {href!r}: no page content/{target}"))
                continue
            url = self.urls[target]
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            if url == self.state.url and fragment:
                link.set("href", fragment)
            else:
                link.set("href", relative_url(self.state.url, url) + fragment)
            self.state.links.append(LinkTarget(line, url, parts.fragment, href))


class _SafeAttributes(Treeprocessor):
    """Holds what Markdown and attribute lists put on elements to the site's rules, as errors at their
    line: link and image URLs (and any URL attribute) to the URL rule, no event handler (`on…`), no id
    the templates use. Runs after attr_list, before toc gives headings their ids. Raw HTML is not in
    this tree: authors may write it, and `check --strict` reports its handlers and `javascript:` URLs."""

    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                message, line = self._problem(name, value)
                if message:
                    self.state.errors.append(LinkProblem(line, message))
                    del element.attrib[name]

    def _problem(self, name: str, value: str | None) -> tuple[str, int]:
        lowered = name.lower()
        if lowered.startswith("on"):
            line = self.state.line_matching(rf"\{{[^}}\n]*\b{re.escape(name)}\s*=")
            return f"attribute {name!r} refused: event handlers run script, which the site does not allow in Markdown", line
        if value is None:
            return "", 0
        if lowered in URL_ATTRIBUTES:
            written = as_written(self.md, value)
            problem = url_problem(written)
            # Python-Markdown turned tabs into spaces: any run of white space matches any other.
            return (problem, self.state.line_matching(r"\s+".join(map(re.escape, written.split())) or "^")) if problem else ("", 0)
        if lowered == "id" and is_reserved_id(value):
            line = self.state.line_matching(rf"#{re.escape(value)}(?![\w:.-])|\bid\s*=\s*[\"']?{re.escape(value)}")
            return f"id {value!r} is one the page template uses (for its main area, reference list or citations): choose another", line
        return "", 0


class _GlossaryTerms(Treeprocessor):
    """Links the first use of each glossary term on a page to its entry."""

    def __init__(self, md: markdown.Markdown, state: PageState, terms: tuple[GlossaryTerm, ...], glossary_url: str) -> None:
        super().__init__(md)
        self.state = state
        self.glossary_url = glossary_url
        self.by_name = {name.lower(): term for term in terms for name in term.names}
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE) if names else None

    def run(self, root: etree.Element) -> None:
        if self.pattern is None or self.state.url == self.glossary_url:
            return
        self._visit(root)

    def _visit(self, element: etree.Element) -> None:
        if element.tag in _NO_TERMS_INSIDE or "admonition-title" in element.get("class", ""):
            return
        new_nodes, element.text = self._split(element.text)
        for offset, node in enumerate(new_nodes):
            element.insert(offset, node)
        index = len(new_nodes)
        while index < len(element):
            child = element[index]
            self._visit(child)
            new_nodes, child.tail = self._split(child.tail)
            for offset, node in enumerate(new_nodes, start=1):
                element.insert(index + offset, node)
            index += 1 + len(new_nodes)

    def _split(self, text: str | None) -> tuple[list[etree.Element], str | None]:
        """Wraps first uses found in `text`; returns the new links (with their tails) and the head text."""
        if not text or self.pattern is None:
            return [], text
        nodes: list[etree.Element] = []
        head: str | None = None
        position = 0
        for match in self.pattern.finditer(text):
            term = self.by_name[match.group(1).lower()]
            if term.id in self.state.terms:
                continue
            self.state.terms.append(term.id)
            before = text[position : match.start()]
            if nodes:
                nodes[-1].tail = (nodes[-1].tail or "") + before
            else:
                head = before
            link = etree.Element("a", {
                "class": "term",
                "href": relative_url(self.state.url, self.glossary_url) + f"#{term.id}",
                "data-term": term.id,
                "title": plain_text(term.definition),  # the definition on hover, and for site.js's popover
            })
            link.text = match.group(1)
            nodes.append(link)
            position = match.end()
        if not nodes:
            return [], text
        nodes[-1].tail = text[position:]
        return nodes, head


class SitegenExtension(Extension):
    """Registers our processors, each at its place among Python-Markdown's own; all share the page's `state`."""

    def __init__(self, state: PageState, urls: Mapping[str, str], terms: tuple[GlossaryTerm, ...], glossary_url: str) -> None:
        super().__init__()
        self.state = state
        self.urls = urls
        self.terms = terms
        self.glossary_url = glossary_url

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(CitationPattern(BRACKET.pattern, md, self.state), "sitegen-citation", 175)
        md.inlinePatterns.register(ComputedPattern(md, self.state), "sitegen-computed", 174)  # after code spans (190): code shows it as written
        # Figures: read before fenced code (25) takes their blocks; put in the tree before the statements
        # are found (20.5: a figure holds none); drawn once citations are numbered (4).
        figures = PageFigures()
        md.preprocessors.register(FigureBlocks(md, self.state, figures), "sitegen-figure-blocks", 26)
        md.treeprocessors.register(FigureElements(md, figures), "sitegen-figure-elements", 22)
        md.treeprocessors.register(FigureDrawings(md, self.state, figures), "sitegen-figure-drawings", 3.8)
        # After toc (5): heading ids and toc titles are made while a citation is still an empty placeholder.
        md.treeprocessors.register(CitationNumbering(md, self.state), "sitegen-citations", 4)
        # After the footnotes' (50), which adds their texts to the tree, before the inline pass (20).
        md.treeprocessors.register(_TextLengths(md, self.state), "sitegen-text-lengths", 21)
        # Statements: found while blocks hold their Markdown, before the inline pass; cited once citations are numbered.
        md.treeprocessors.register(StatementBlocks(md, self.state), "sitegen-statements", 20.5)
        md.treeprocessors.register(StatementCitations(md, self.state), "sitegen-statement-citations", 3.5)
        md.treeprocessors.register(_CrossLinks(md, self.state, self.urls), "sitegen-links", 14)
        md.treeprocessors.register(_GlossaryTerms(md, self.state, self.terms, self.glossary_url), "sitegen-terms", 13)
        # After attr_list (8), before toc (5).
        md.treeprocessors.register(_SafeAttributes(md, self.state), "sitegen-safe-attributes", 7)
