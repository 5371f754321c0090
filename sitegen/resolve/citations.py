"""The citation syntax: `[@000:p20]`, `[@000:p28-p29]`, `[@000:p20; @003:p16]`, `[@schwenk2018]`.

Parsing and checking citations is kept apart from Markdown so that both the resolver (coverage,
back-links, line numbers) and the Markdown extension (rendering) read them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..load.publications import Publication
from ..load.sources import Source

BRACKET = re.compile(r"\[(@[^\[\]\n]*)\]")
_ITEM = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9_-]*)(?::p([1-9][0-9]*)(?:\s*-\s*p([1-9][0-9]*))?)?$")
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)


class CitationSyntaxError(ValueError):
    """A bracket that starts like a citation but does not follow the syntax."""


@dataclass(frozen=True, order=True)
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


def parse_citation(inner: str) -> tuple[CitationKey, ...]:
    """The items of one bracket's inner text (`@000:p1; @003:p2-p4`)."""
    keys: list[CitationKey] = []
    for raw in inner.split(";"):
        item = raw.strip()
        match = _ITEM.match(item)
        if not match:
            raise CitationSyntaxError(
                f"malformed citation {item or '(empty)'!r} in [{inner}]: write [@000:p12], [@000:p3-p5] or [@key]"
            )
        target, first, last = match.group(1), match.group(2), match.group(3)
        start = int(first) if first else 0
        end = int(last) if last else start
        if end < start:
            raise CitationSyntaxError(f"reversed range in {item!r}: write the lower passage first (p{end}-p{start})")
        keys.append(CitationKey(target, start, end))
    return tuple(keys)


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


@dataclass(frozen=True)
class FoundCitation:
    line: int  # 1-based, relative to the scanned text
    keys: tuple[CitationKey, ...]
    error: str
    text: str = ""  # the bracket's inner text, as the Markdown extension sees it


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
