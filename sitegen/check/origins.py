"""Where in a page's Markdown file a problem found in its HTML was written, so that it is reported
there (where the editor fixes it) rather than at the rendered HTML: the one way the link check and
the raw-HTML notes find the source line of what they report.

What is looked for is a thing the HTML holds (a link's href, an id, an attribute name), spelled as
the Markdown would hold it (the text itself, or a pattern). It is found at a line known beforehand
when the caller knows one, else at the first place its spelling appears in the page's body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..core.errors import absolute_path
from ..core.urls import relative_url
from ..resolve.model import ResolvedPage
from ..resolve.page_state import LinkTarget

Spelling = Callable[[str], str | re.Pattern[str]]  # a thing of the HTML → how the Markdown spells it


def literally(text: str) -> str:
    """`text` spelled in the Markdown as it is in the HTML."""
    return text


class MarkdownOrigins:
    """Where in the Markdown file of `page` each thing found in its HTML was written, as (path, line).

    Each thing is searched for once, and only the first `MAX_SEARCHES` of them: a page with
    thousands of problems of its own (footnotes nothing refers to, whose back-links point nowhere)
    would cost a search of the whole page for each. The others are not found (None), and are
    reported at their line of the HTML.
    """

    MAX_SEARCHES = 100

    def __init__(self, page: ResolvedPage, content_dir: Path, spelling: Spelling = literally, known: Mapping[str, int] | None = None) -> None:
        self.page = page
        self.path = absolute_path(content_dir / page.source)
        self.spelling = spelling
        self.known = known or {}  # thing → its line in the Markdown file, found without a search
        self._found: dict[str, tuple[str, int] | None] = {}

    def of(self, thing: str) -> tuple[str, int] | None:
        """(path, line) of `thing` in the Markdown; None when it is not found there, or not searched for."""
        line = self.known.get(thing)
        if line is not None:
            return self.path, line
        if thing not in self._found and len(self._found) < self.MAX_SEARCHES:
            self._found[thing] = self._search(thing)
        return self._found.get(thing)

    def _search(self, thing: str) -> tuple[str, int] | None:
        body = self.page.body
        index = _first_index(body, self.spelling(thing))
        return (self.path, self.page.body_line + body.count("\n", 0, index)) if index >= 0 else None


def _first_index(body: str, spelled: str | re.Pattern[str]) -> int:
    """Where `spelled` first appears in `body` (-1: nowhere; an empty text is nowhere)."""
    if isinstance(spelled, str):
        return body.find(spelled) if spelled else -1
    found = spelled.search(body)
    return found.start() if found is not None else -1


def rewritten_lines(page: ResolvedPage) -> dict[str, int]:
    """The line of each cross-link of the page, by the href it was rewritten to (the first, when several are alike)."""
    lines: dict[str, int] = {}
    for link in page.links:
        lines.setdefault(rewritten_href(page, link), link.line)
    return lines


def rewritten_href(page: ResolvedPage, link: LinkTarget) -> str:
    """The href a cross-link of `page` was rewritten to."""
    fragment = f"#{link.fragment}" if link.fragment else ""
    same_page = link.target_url == page.url and fragment
    return fragment if same_page else relative_url(page.url, link.target_url) + fragment
