"""Python-Markdown's link patterns, taught to find the closing bracket in linear time.

Its link patterns scan from every `[` (and every `](`) to the end of the text for the bracket that
closes it, so a long paragraph of unclosed brackets cost seconds per kilobyte. Here the brackets of
a text are paired once, in one scan (`BracketPairs`), for all the link patterns to look up; the
HTML is the same, byte for byte. When `getText` and `getLink` of `LinkInlineProcessor` are not the
code this module was written against (compared by a digest of their source), they are left as
they are.
"""

from __future__ import annotations

import bisect
import functools
import re
import types

import markdown
from markdown import inlinepatterns

from .upstream import source_digest

# The Python-Markdown code the linear versions below reproduce (3.11).
_KNOWN_GET_TEXT = {"7d0978a16aae3e5b"}
_KNOWN_GET_LINK = {"fa42883beb8834a6"}
LINEAR_LINKS = (
    source_digest(inlinepatterns.LinkInlineProcessor.getText) in _KNOWN_GET_TEXT
    and source_digest(inlinepatterns.LinkInlineProcessor.getLink) in _KNOWN_GET_LINK
)


class BracketPairs:
    """The brackets of a text a link pattern looks at, paired in one scan: `[`…`]` and `(`…`)`.

    Python-Markdown's link patterns look for the bracket that closes the one they start at by
    counting brackets up to the end of the text; pairing them all at once with a stack gives the
    same bracket for each (the first one at which the count falls to zero) in linear time.

    Which bracket closes one depends only on the text after it, and each match the inline pass
    makes replaces text before the place it looks at next. So positions are kept as distances
    from the end of the text, and the pairs of an earlier version of the text still answer for a
    later one as far back as the two versions end alike (checked, in C, on every new version).
    """

    def __init__(self) -> None:
        self.text = ""  # the text the pairs were made from
        self.close: dict[int, int] = {}  # distance from the end of an opening bracket → of the one that closes it
        self.quotes: list[int] = []  # distances from the end of the quote characters, ascending
        self.current = ""  # the latest text checked against `text`, and how far back from its end they agree
        self.agreed = 0

    def of(self, text: str, position: int) -> BracketPairs:
        """The pairs, valid for `text` from `position` on."""
        distance = len(text) - position
        if text is self.text or (text is self.current and distance <= self.agreed):
            return self
        if distance <= len(self.text) and text.endswith(self.text[len(self.text) - distance :]):
            self.current, self.agreed = text, distance
            return self
        self._pair(text)
        return self

    def _pair(self, text: str) -> None:
        self.text, self.current, self.agreed, self.close, self.quotes = text, text, len(text), {}, []
        opened: dict[str, list[int]] = {"[": [], "(": []}
        size = len(text)
        for match in re.finditer(r"[\[\]()'\"]", text):
            character, position = match.group(), match.start()
            if character in "[(":
                opened[character].append(size - position)
            elif character in "'\"":
                self.quotes.append(size - position)
            else:
                stack = opened["[" if character == "]" else "("]
                if stack:
                    self.close[stack.pop()] = size - position
        self.quotes.reverse()

    def closing(self, text: str, position: int) -> int | None:
        """Where the bracket at `position` of `text` is closed (None: nowhere)."""
        distance = self.of(text, position).close.get(len(text) - position)
        return None if distance is None else len(text) - distance

    def quote_between(self, text: str, start: int, end: int) -> bool:
        """Whether a quote character lies in `text[start:end]` (valid where `of(text, start)` is)."""
        size = len(text)
        index = bisect.bisect_right(self.quotes, size - end)  # the first quote at or after `end`, counting from the end
        return index < len(self.quotes) and self.quotes[index] <= size - start


def _get_text(pairs: BracketPairs, pattern: inlinepatterns.LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """`LinkInlineProcessor.getText`: the text up to the `]` closing the `[` before `index`."""
    if index < 1 or data[index - 1] != "[":
        return inlinepatterns.LinkInlineProcessor.getText(pattern, data, index)
    close = pairs.closing(data, index - 1)
    if close is None:
        return "", len(data), False  # not closed: the callers drop the text
    return data[index:close], close + 1, True


def _get_link(pairs: BracketPairs, pattern: inlinepatterns.LinkInlineProcessor, data: str, index: int) -> tuple[str, str | None, int, bool]:
    """`LinkInlineProcessor.getLink`, taking the `)` closing the `(` at `index` from `pairs` when no
    quote (which may start a title) lies before it; anything else goes to Python-Markdown's own scan."""
    match = pattern.RE_LINK.match(data, pos=index)
    if match is None or match.group(1) or data[index : index + 1] != "(":
        return inlinepatterns.LinkInlineProcessor.getLink(pattern, data, index)
    close = pairs.closing(data, index)
    if pairs.quote_between(data, match.end(), len(data) if close is None else close):
        return inlinepatterns.LinkInlineProcessor.getLink(pattern, data, index)
    if close is None:
        return "", None, len(data), False
    return pattern.unescape(data[match.end() : close]).strip(), None, close + 1, True


def pair_brackets_once(md: markdown.Markdown) -> None:
    """Give the link patterns of `md` the linear bracket scans (the same results, see `BracketPairs`)."""
    if not LINEAR_LINKS:
        return
    pairs = BracketPairs()
    for pattern in md.inlinePatterns:
        if not isinstance(pattern, inlinepatterns.LinkInlineProcessor):
            continue
        kind = type(pattern)
        if kind.getText is inlinepatterns.LinkInlineProcessor.getText:
            pattern.getText = types.MethodType(functools.partial(_get_text, pairs), pattern)  # type: ignore[method-assign]
        if kind.getLink is inlinepatterns.LinkInlineProcessor.getLink and kind.handleMatch in (
            inlinepatterns.LinkInlineProcessor.handleMatch, inlinepatterns.ImageInlineProcessor.handleMatch
        ):
            pattern.getLink = types.MethodType(functools.partial(_get_link, pairs), pattern)  # type: ignore[method-assign]
