"""The citation syntax: `[@000:p20]`, `[@000:p28-p29]`, `[@000:p20; @003:p16]`, `[@schwenk2018]`,
and a publication's locator, Pandoc's form: `[@schwenk2018, abstract]`, `[@smith2020, "Methods and
results"]` (quoted: a section's title, shown in quotes), also among several (`[@a, p. 4; @b]`).
A seed passage is its own locator: it takes none.

Parsing and checking citations is kept apart from Markdown so that both the resolver (coverage,
back-links, line numbers) and the Markdown extension (rendering) read them the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.records import compact
from ..load.publications import Publication
from ..load.sources import Source

BRACKET = re.compile(r"\[(@[^\[\]\n]*)\]")
_ITEM = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9_-]*)(?::p([1-9][0-9]*)(?:\s*-\s*p([1-9][0-9]*))?)?(?:\s*,(.*))?$", re.DOTALL)
_QUOTES = {'"': '"', "\u201c": "\u201d"}  # opening → closing
_QUOTE_MARKS = frozenset('"\u201c\u201d')
_SPACE = re.compile(r"\s+")
_NOT_PLAIN = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")  # a backslash, or a control character (what Markdown leaves of a code span or an escape)
# Code: fenced blocks (but a figure's: its values cite as the text does) and code spans.
_CODE = re.compile(r"^(```|~~~)(?![`~]*[ ]*(?:chart|timeline)[ ]*$).*?^\1[^\n]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)


NOT_PLAIN_LOCATOR = "a locator is plain text: write it without code spans, backslash escapes or control characters"


class CitationSyntaxError(ValueError):
    """A bracket that starts like a citation but does not follow the syntax."""


@compact
@dataclass(frozen=True, order=True, slots=True)
class CitationKey:
    """What one citation item points at: passages first..last of a seed, or a publication (0, 0)."""

    target: str
    first: int = 0
    last: int = 0

    @property
    def is_passage(self) -> bool:
        return self.first > 0

    @property
    def numbers(self) -> range:
        return range(self.first, self.last + 1)

    def __str__(self) -> str:
        if not self.is_passage:
            return f"@{self.target}"
        if self.first == self.last:
            return f"@{self.target}:p{self.first}"
        return f"@{self.target}:p{self.first}-p{self.last}"


@dataclass(frozen=True)
class CitedItem:
    """One item of a citation bracket: what it cites and, for a publication, where in it ("" for the whole)."""

    key: CitationKey
    locator: str = ""  # as shown: "abstract", "p. 4", or a quoted title in curly quotes


@functools.lru_cache(maxsize=4096)
def parse_citation(inner: str) -> tuple[CitationKey, ...]:
    """The keys of one bracket's inner text (`@000:p1; @003:p2-p4`). A bracket written again (most
    are) gives the very same keys, which the cache then stores once."""
    return tuple(item.key for item in parse_items(inner))


def parse_items(inner: str) -> tuple[CitedItem, ...]:
    """The items of one bracket's inner text, with their locators (`@000:p1; @schwenk2018, abstract`)."""
    return tuple(_item(raw.strip(), inner) for raw in split_items(inner))


def split_items(inner: str) -> list[str]:
    """`inner` cut at each `;` outside a quoted locator; an unclosed quote is a syntax error."""
    items: list[str] = []
    start, closing = 0, ""
    for index, char in enumerate(inner):
        if closing:
            closing = "" if char == closing else closing
        elif char in _QUOTES:
            closing = _QUOTES[char]
        elif char == ";":
            items.append(inner[start:index])
            start = index + 1
    if closing:
        raise CitationSyntaxError(f"unclosed quote in the locator of [{inner}]: close it with {closing}")
    items.append(inner[start:])
    return items


def _item(item: str, inner: str) -> CitedItem:
    match = _ITEM.match(item)
    if not match:
        raise CitationSyntaxError(
            f"malformed citation {item or '(empty)'!r} in [{inner}]: write [@000:p12], [@000:p3-p5], [@key] or [@key, locator]"
        )
    target, first, last, written = match.groups()
    start = int(first) if first else 0
    end = int(last) if last else start
    if end < start:
        raise CitationSyntaxError(f"reversed range in {item!r}: write the lower passage first (p{end}-p{start})")
    key = CitationKey(target, start, end)
    if written is None:
        return CitedItem(key)
    if key.is_passage:
        raise CitationSyntaxError(f"locator in {item!r}: a seed passage is its own locator; write [{key}] alone")
    return CitedItem(key, _locator(written, item))


def _locator(written: str, item: str) -> str:
    """The locator after the comma, as shown: plain words as written, a quoted title in curly quotes."""
    text = _SPACE.sub(" ", written).strip()
    quoted = text[:1] in _QUOTES
    if quoted:
        if len(text) < 2 or text[-1] != _QUOTES[text[0]]:
            raise CitationSyntaxError(f"locator in {item!r}: write the quoted title alone, with nothing after its closing quote")
        text = text[1:-1].strip()
    if not text:
        raise CitationSyntaxError(f"empty locator in {item!r}: name the part cited ([@key, abstract]) or leave out the comma")
    if _NOT_PLAIN.search(text):
        raise CitationSyntaxError(f"locator in {item!r}: {NOT_PLAIN_LOCATOR}")
    if _QUOTE_MARKS & set(text):
        raise CitationSyntaxError(f"locator in {item!r}: quote a locator whole (\"Section title\"), or write it without quotes")
    return f"\u201c{text}\u201d" if quoted else text


def citation_problem(key: CitationKey, sources: Mapping[str, Source], publications: Mapping[str, Publication]) -> str:
    """Why `key` does not resolve, or "" when it does."""
    if key.target in publications:
        return "" if not key.is_passage else f"{key}: {key.target} is a publication; cite it as [@{key.target}] without a passage"
    source = sources.get(key.target)
    if source is None:
        known = ", ".join(sorted([*sources, *publications]))
        return f"{key}: unknown source {key.target!r} (known: {known})"
    if not key.is_passage:
        return f"{key}: cite a passage of seed {key.target}, such as [@{key.target}:p1]"
    for number in key.numbers:
        passage = source.passage(number)
        if passage is None:
            return f"{key}: seed {key.target} has no passage p{number} (it has p1-p{len(source.passages)})"
        if passage.is_heading:
            return f"{key}: p{number} of seed {key.target} is a heading ({passage.text!r}); cite the paragraph that states the fact"
    return ""


@compact
@dataclass(frozen=True, slots=True)
class FoundCitation:
    line: int  # 1-based, relative to the scanned text
    keys: tuple[CitationKey, ...]
    error: str
    text: str = ""  # the bracket's inner text, as the Markdown extension sees it ("" in a conversion's result: it keeps what checking it needs)


def citation_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where each citation bracket of Markdown text lies, outside code: (start, end, inner text), in order."""
    visible = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return tuple((match.start(), match.end(), match.group(1)) for match in BRACKET.finditer(visible))


def find_citations(text: str) -> tuple[FoundCitation, ...]:
    """Every citation bracket in Markdown text, outside code, with its line."""
    visible = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found: list[FoundCitation] = []
    line, counted = 1, 0  # lines counted on from the last bracket, not from the start each time
    for match in BRACKET.finditer(visible):
        line += visible.count("\n", counted, match.start())
        counted = match.start()
        try:
            found.append(FoundCitation(line, parse_citation(match.group(1)), "", match.group(1)))
        except CitationSyntaxError as exc:
            found.append(FoundCitation(line, (), str(exc), match.group(1)))
    return tuple(found)
