"""The computed-figure marker on the page (`dialect.computed`): `12 %{computed: 3 of 25}` is drawn as
the number followed by visible words, "(computed from 3 of 25)", in a `span.computed`, so that readers
and screen readers both get them; a malformed marker is an error at its line and stays as written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from ..dialect.computed import MARKER, OPENING, SHOWN, marker_problem
from .page_state import LinkProblem, PageState

_AFTER_NUMBER = re.compile(r"[0-9][0-9%‰]*[ \t\u00a0]*%?$")
NOT_AFTER_NUMBER = "a computed marker goes right after the number it explains (12 %{computed: 3 of 25})"


class ComputedPattern(InlineProcessor):
    """`{computed: …}` after a number: the explanation as visible text; a malformed one: an error."""

    def __init__(self, md: markdown.Markdown, state: PageState) -> None:
        super().__init__(OPENING.pattern, md)
        self.state = state

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int, int]:  # noqa: N802
        message, end = marker_problem(data, m.start())
        if not message and not _AFTER_NUMBER.search(data[: m.start()]):
            message = NOT_AFTER_NUMBER
        if message:
            self.state.errors.append(LinkProblem(self.state.line_matching(re.escape(data[m.start() : end])), message))
            return None, m.start(), m.end()
        marker = MARKER.match(data, m.start())
        assert marker is not None  # marker_problem found it well formed
        element = etree.Element("span", {"class": "computed"})
        element.text = AtomicString(f" ({SHOWN} {marker.group(1)})")
        return element, m.start(), end
