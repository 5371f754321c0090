"""Markdown to HTML for one page, with our extension: citations, `.md` cross-links, glossary terms.

One `Markup` instance is reused for every page (Python-Markdown is reset between pages). The
extension numbers citations in order of first use, rewrites links to other Markdown files into
relative page URLs, and links the first use of each glossary term to its definition.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..core.parallel import parallel_map
from ..core.urls import relative_url, url_problem
from ..dialect.data import as_written, plain_text, strip_tags
from ..dialect.footnotes import LinearFootnoteExtension
from ..dialect.inline import skip_impossible_patterns
from ..dialect.limits import MAX_NESTING, text_length_problem
from ..load.pages import GlossaryTerm, Page, is_reserved_id
from .citations import BRACKET, CitationKey, CitationSyntaxError, FoundCitation, find_citations, parse_citation

_PENDING = "sitegen-cite"
WORD_JOINER = "\u2060"
# Attributes whose value a browser follows or loads; each is held to the URL rule wherever an
# attribute list can set it.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "cite", "data", "background", "srcset", "ping", "longdesc", "manifest",
    "xlink:href", "codebase", "lowsrc", "dynsrc",
})
_NO_TERMS_INSIDE = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "abbr", "dfn", "script", "style"}


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class LinkTarget:
    """A rewritten cross-link, kept so that checks can verify the target anchor."""

    line: int
    target_url: str
    fragment: str


def heading_slug(value: str, separator: str) -> str:
    """The id of a heading without one of its own: toc's, moved off an id the templates use."""
    slug = slugify(value, separator)
    return f"{slug}{separator}1" if is_reserved_id(slug) else slug


@dataclass(frozen=True)
class LinkProblem:
    line: int
    message: str


@dataclass(frozen=True)
class MarkupResult:
    html: str
    toc: tuple[TocEntry, ...]
    citations: tuple[tuple[CitationKey, tuple[str, ...]], ...]  # in order of first use, with anchors
    terms: tuple[str, ...]  # glossary ids linked on this page
    links: tuple[LinkTarget, ...]
    link_problems: tuple[LinkProblem, ...]
    errors: tuple[LinkProblem, ...] = ()  # refused URLs, event handlers and ids taken from the templates: the build fails
    found: tuple[FoundCitation, ...] = ()  # every citation bracket Markdown saw (not in code or raw HTML), well-formed or not, with its line
    failure: str = ""  # why the page could not be converted ("" when it was)


@dataclass
class _PageState:
    """Mutable state of the page being converted; reset for every page."""

    body: str = ""
    source: str = ""
    url: str = ""
    citations: dict[CitationKey, list[str]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    links: list[LinkTarget] = field(default_factory=list)
    link_problems: list[LinkProblem] = field(default_factory=list)
    errors: list[LinkProblem] = field(default_factory=list)
    brackets: set[str] = field(default_factory=set)
    searched: dict[str, int] = field(default_factory=dict)  # where the next search for each link target starts
    matched: dict[str, int] = field(default_factory=dict)  # where the next search for each pattern of `line_matching` starts
    counted: tuple[int, int] = (0, 1)  # a position in `body` and its line, where the last count of lines ended

    def line_of(self, needle: str) -> int:
        """The line of the next use of link target `needle` (links are visited in reading order)."""
        start = self.searched.get(needle, 0)
        index = self.body.find(f"]({needle}", start)
        if index < 0:
            index = self.body.find(needle, start)
        if index < 0:
            index = self.body.find(needle)
        self.searched[needle] = index + 1
        return self._line_at(index) if index >= 0 else 1

    def line_matching(self, pattern: str) -> int:
        """The line of the next match of `pattern` (a regular expression), in reading order; 1 if none."""
        start = self.matched.get(pattern, 0)
        compiled = re.compile(pattern)
        match = compiled.search(self.body, start) or compiled.search(self.body)
        if match is None:
            return 1
        self.matched[pattern] = match.start() + 1
        return self._line_at(match.start())

    def _line_at(self, index: int) -> int:
        """The line of `body` that position `index` is on."""
        # Count on from the last line found: lines are asked for in reading order, so the whole page is counted about once.
        position, line = self.counted if index >= self.counted[0] else (0, 1)
        line += self.body.count("\n", position, index)
        self.counted = (index, line)
        return line


class _CitationPattern(InlineProcessor):
    """Turns `[@…]` into a placeholder; numbering happens later, in document order."""

    def __init__(self, pattern: str, md: markdown.Markdown, state: _PageState) -> None:
        super().__init__(pattern, md)
        self.state = state

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int, int]:  # noqa: N802
        self.state.brackets.add(m.group(1))
        try:
            keys = parse_citation(m.group(1))
        except CitationSyntaxError:
            return None, m.start(0), m.end(0)
        element = etree.Element(_PENDING)
        element.set("keys", "|".join(f"{k.target},{k.first},{k.last}" for k in keys))
        return element, m.start(0), m.end(0)


class _TextTooLongError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _TextLengths(Treeprocessor):
    """Refuses, before the inline pass, a text it would take in one piece that is longer than the
    limit of `limits.text_length_problem` (code is left out: the inline pass does not look into it)."""

    def __init__(self, md: markdown.Markdown, state: _PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for text in (element.text, element.tail):
                if text and not isinstance(text, util.AtomicString) and (message := text_length_problem(len(text))):
                    raise _TextTooLongError(LinkProblem(self._line(text), message))

    def _line(self, text: str) -> int:
        """The line of the page where `text` starts, found by its first words (up to a placeholder of
        Python-Markdown's; any run of white space may stand for another), or 1 if not found."""
        first = text.lstrip().split("\n", 1)[0].split(util.STX, 1)[0][:200]
        words = [re.escape(word) for word in first.split()]
        return self.state.line_matching(r"\s+".join(words)) if words else 1


class _CitationNumbering(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: _PageState) -> None:
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
            anchor = f"cite-{number}-{len(anchors) + 1}"
            anchors.append(anchor)
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
            sups = [self._sup(key) for key in self._keys(child.get("keys", ""))]
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
    def _sup(raw_key: str) -> etree.Element:
        sup = etree.Element("sup", {"class": "cite", "data-key": raw_key})
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


class _CrossLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: _PageState, urls: Mapping[str, str]) -> None:
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
            self.state.links.append(LinkTarget(line, url, parts.fragment))


class _SafeAttributes(Treeprocessor):
    """Holds what Markdown and attribute lists put on elements to the site's rules, as errors at their
    line: link and image URLs (and any URL attribute) to the URL rule, no event handler (`on…`), no id
    the templates use. Runs after attr_list, before toc gives headings their ids. Raw HTML is not in
    this tree: authors may write it, and `check --strict` reports its handlers and `javascript:` URLs."""

    def __init__(self, md: markdown.Markdown, state: _PageState) -> None:
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

    def __init__(self, md: markdown.Markdown, state: _PageState, terms: tuple[GlossaryTerm, ...], glossary_url: str) -> None:
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


class _SitegenExtension(Extension):
    def __init__(self, state: _PageState, urls: Mapping[str, str], terms: tuple[GlossaryTerm, ...], glossary_url: str) -> None:
        super().__init__()
        self.state = state
        self.urls = urls
        self.terms = terms
        self.glossary_url = glossary_url

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_CitationPattern(BRACKET.pattern, md, self.state), "sitegen-citation", 175)
        # After toc (5): heading ids and toc titles are made while a citation is still an empty placeholder.
        md.treeprocessors.register(_CitationNumbering(md, self.state), "sitegen-citations", 4)
        # After the footnotes' (50), which adds their texts to the tree, before the inline pass (20).
        md.treeprocessors.register(_TextLengths(md, self.state), "sitegen-text-lengths", 21)
        md.treeprocessors.register(_CrossLinks(md, self.state, self.urls), "sitegen-links", 14)
        md.treeprocessors.register(_GlossaryTerms(md, self.state, self.terms, self.glossary_url), "sitegen-terms", 13)
        # After attr_list (8), before toc (5).
        md.treeprocessors.register(_SafeAttributes(md, self.state), "sitegen-safe-attributes", 7)


class Markup:
    """Converts page bodies; one instance serves a whole build."""

    def __init__(self, urls: Mapping[str, str], terms: tuple[GlossaryTerm, ...] = (), glossary_url: str = "glossary/") -> None:
        self.urls, self.terms, self.glossary_url = urls, terms, glossary_url  # what every result depends on besides the page
        self._state = _PageState()
        self._md = markdown.Markdown(
            extensions=[
                TocExtension(permalink="#", permalink_title="Link to this section", toc_depth="2-3", slugify=heading_slug),
                TableExtension(),
                AttrListExtension(),
                AdmonitionExtension(),
                AbbrExtension(),
                SmartyExtension(smart_angled_quotes=False),
                DefListExtension(),
                LinearFootnoteExtension(BACKLINK_TITLE="Back to the text"),
                FencedCodeExtension(),
                _SitegenExtension(self._state, urls, terms, glossary_url),
            ],
            output_format="html",
        )
        skip_impossible_patterns(self._md, {BRACKET.pattern: ("[@",)})

    def convert(self, body: str, source: str, url: str) -> MarkupResult:
        state = self._state
        state.body, state.source, state.url = body, source, url
        state.citations, state.terms, state.links, state.link_problems, state.errors = {}, [], [], [], []
        state.brackets, state.searched, state.matched, state.counted = set(), {}, {}, (0, 1)
        self._md.reset()
        try:
            html = self._md.convert(body)
        except RecursionError:  # nesting the depth check of `limits` did not foresee: an error of the page, not a crash
            failure = f"nested too deeply for the Markdown converter: keep quotes, lists and emphasis within {MAX_NESTING} levels"
            return MarkupResult("", (), (), (), (), (), failure=failure)
        except _TextTooLongError as too_long:
            return MarkupResult("", (), (), (), (), (), errors=(too_long.problem,))
        toc = tuple(_flatten_toc(getattr(self._md, "toc_tokens", [])))
        return MarkupResult(
            html=html,
            toc=toc,
            citations=tuple((key, tuple(anchors)) for key, anchors in state.citations.items()),
            terms=tuple(state.terms),
            links=tuple(state.links),
            link_problems=tuple(state.link_problems),
            errors=tuple(state.errors),
            found=tuple(found for found in find_citations(body) if found.text in state.brackets),
        )


def convert_markdown(markup: Markup, pages: Sequence[Page]) -> list[MarkupResult]:
    """Every page's body converted, in order (over several cores when there are many)."""
    return parallel_map(lambda page: markup.convert(page.body, page.source, page.url), pages)


def _flatten_toc(tokens: list[dict[str, object]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(int(token["level"]), str(token["id"]), _plain(str(token["name"]))))  # type: ignore[call-overload]
        entries.extend(_flatten_toc(token.get("children", [])))  # type: ignore[arg-type]
    return entries


def _plain(html: str) -> str:
    return strip_tags(html)
