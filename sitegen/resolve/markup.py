"""Markdown to HTML for one page: Python-Markdown with the extensions the site uses, and ours
(`extensions`: citations, `.md` cross-links, glossary terms, safe attributes, figures), and what a page's
conversion yields (`MarkupResult`).

One `Markup` instance is reused for every page (Python-Markdown and the page's state are reset
between pages). Headings get toc's ids, moved off the ids the templates use.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify

from ..core.packed import deflated_text, inflated_text
from ..core.parallel import parallel_map
from ..core.records import compact
from ..dialect.computed import OPENING
from ..dialect.data import strip_tags
from ..dialect.footnotes import LinearFootnoteExtension
from ..dialect.inline import skip_impossible_patterns
from ..dialect.limits import MAX_NESTING
from ..load.glossary import GlossaryTerm
from ..load.pages import Page, is_reserved_id
from .citations import BRACKET, CitationKey, FoundCitation, find_citations
from .extensions import SitegenExtension, TextTooLongError
from .page_state import LinkProblem, LinkTarget, PageState, Statement, StatementRow


@compact
@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    id: str
    title: str


def heading_slug(value: str, separator: str) -> str:
    """The id of a heading without one of its own: toc's, moved off an id the templates use."""
    slug = slugify(value, separator)
    return f"{slug}{separator}1" if is_reserved_id(slug) else slug


_NO_HTML = deflated_text("")


@compact
@dataclass(frozen=True, slots=True)
class MarkupResult:
    deflated_html: bytes  # the page's HTML, held deflated (`html` reads it): rendering reads it once
    toc: tuple[TocEntry, ...]
    citations: tuple[tuple[CitationKey, tuple[str, ...]], ...]  # in order of first use, with anchors
    terms: tuple[str, ...]  # glossary ids linked on this page
    links: tuple[LinkTarget, ...]
    link_problems: tuple[LinkProblem, ...]
    errors: tuple[LinkProblem, ...] = ()  # refused URLs, event handlers and ids taken from the templates: the build fails
    found: tuple[FoundCitation, ...] = ()  # every citation bracket Markdown saw (not in code or raw HTML), well-formed or not, with its line
    failure: str = ""  # why the page could not be converted ("" when it was)
    statement_rows: tuple[StatementRow, ...] = ()  # paragraphs, list items, table cells, definitions: lines of the body (see `statements`)
    locators: tuple[tuple[str, str], ...] = ()  # (anchor, locator) of each citation of a publication that names where in it
    figure_values: tuple[Statement, ...] = ()  # each value of a figure with its citations, at lines of the body

    @property
    def html(self) -> str:
        return inflated_text(self.deflated_html)


class Markup:
    """Converts page bodies; one instance serves a whole build."""

    def __init__(self, urls: Mapping[str, str], terms: tuple[GlossaryTerm, ...] = (), glossary_url: str = "glossary/") -> None:
        self.urls, self.terms, self.glossary_url = urls, terms, glossary_url  # what every result depends on besides the page
        self._state = PageState()
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
                SitegenExtension(self._state, urls, terms, glossary_url),
            ],
            output_format="html",
        )
        skip_impossible_patterns(self._md, {BRACKET.pattern: ("[@",), OPENING.pattern: ("computed",)})

    def convert(self, body: str, source: str, url: str) -> MarkupResult:
        state = self._state
        state.start(body, source, url)
        self._md.reset()
        try:
            html = self._md.convert(body)
        except RecursionError:  # nesting the depth check of `limits` did not foresee: an error of the page, not a crash
            failure = f"nested too deeply for the Markdown converter: keep quotes, lists and emphasis within {MAX_NESTING} levels"
            return MarkupResult(_NO_HTML, (), (), (), (), (), failure=failure)
        except TextTooLongError as too_long:
            return MarkupResult(_NO_HTML, (), (), (), (), (), errors=(too_long.problem,))
        toc = tuple(_flatten_toc(getattr(self._md, "toc_tokens", [])))
        return MarkupResult(
            deflated_html=deflated_text(html),
            toc=toc,
            citations=tuple((key, tuple(anchors)) for key, anchors in state.citations.items()),
            terms=tuple(state.terms),
            links=tuple(state.links),
            link_problems=tuple(state.link_problems),
            errors=tuple(state.errors),
            found=_seen(find_citations(body), state.brackets) + tuple(state.figure_citations),
            statement_rows=tuple(state.statements),
            figure_values=tuple(state.figure_values),
            locators=tuple(state.locators.items()),
        )


def convert_markdown(markup: Markup, pages: Sequence[Page]) -> list[MarkupResult]:
    """Every page's body converted, in order (over several cores when there are many)."""
    return parallel_map(lambda page: markup.convert(page.body, page.source, page.url), pages)


def _seen(found: Iterable[FoundCitation], brackets: Collection[str]) -> tuple[FoundCitation, ...]:
    """The citations of `found` whose bracket Markdown saw, without their text (the result keeps what checking them needs)."""
    return tuple(FoundCitation(citation.line, citation.keys, citation.error) for citation in found if citation.text in brackets)


def _flatten_toc(tokens: list[dict[str, object]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(int(token["level"]), str(token["id"]), _plain(str(token["name"]))))  # type: ignore[call-overload]
        entries.extend(_flatten_toc(token.get("children", [])))  # type: ignore[arg-type]
    return entries


def _plain(html: str) -> str:
    return strip_tags(html)
