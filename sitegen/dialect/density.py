"""How many elements of each costly kind a page may make: counted before its Markdown is converted.

Python-Markdown's cost per element (a pattern match, a placeholder, a tree node, its serialisation)
and the engine's (a citation's back-link on its source page, each link resolved and checked) are linear, but
large: a page made of little else than citations, footnote references, links, emphasis, table cells or
nested quotes and lists builds at some tens of microseconds per element, several seconds per MB.
`density_problem` counts each kind in one pass over the page's lines (outside fenced code, as
generous upper bounds of what the converter will make of them) and names the line at which a
count passes its limit:

- `MAX_CITATIONS` citation brackets (`[@…]`);
- `MAX_FOOTNOTES` footnote references and definitions (`[^x]`, wherever it is written);
- `MAX_LINKS` links and images, inline or by reference (each `](` or `][`);
- `MAX_EMPHASIS_DELIMITERS` runs of `*` or `_` (each `*a*` is two);
- `MAX_TABLE_CELLS` cell separators (`|`);
- `MAX_NESTED_LEVELS` levels of nesting past the first, summed over the lines (a line four deep
  in quotes or lists counts three): the block parser parses each level's lines once more.

Each limit lies far beyond any real page (tens of times the most the example site's pages hold)
and low enough that a page at every limit at once still builds in well under two seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .limits import block_depth, lines_outside_fences

MAX_CITATIONS = 10_000
MAX_FOOTNOTES = 10_000
MAX_LINKS = 10_000
MAX_EMPHASIS_DELIMITERS = 50_000
MAX_TABLE_CELLS = 20_000
MAX_NESTED_LEVELS = 25_000

_CITATION = re.compile(r"\[@[^\[\]\n]*\]")  # the citation bracket of resolve.citations, within one line
_FOOTNOTE = re.compile(r"\[\^[^\]\n]*\]")
_DELIMITER_RUN = re.compile(r"\*+|_+")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

# (what is counted, its limit): the order of the counts `element_counts` yields for each line.
LIMITS = (
    ("citations", MAX_CITATIONS),
    ("footnote references and definitions ([^…])", MAX_FOOTNOTES),
    ("links and images ([…](…) or […][…])", MAX_LINKS),
    ("emphasis delimiters (runs of * or _)", MAX_EMPHASIS_DELIMITERS),
    ("table cell separators (|)", MAX_TABLE_CELLS),
    ("levels of nesting (quotes, lists and indentation past each line's first level, summed over the lines)", MAX_NESTED_LEVELS),
)


def density_problem(body: str) -> tuple[int, str] | None:
    """The line of `body` (1-based) at which a count of costly elements passes its limit, with the
    message; None when every count is within its limit."""
    if not _may_pass_a_limit(body):
        return None
    totals = [0] * len(LIMITS)
    for number, counts in element_counts(body):
        for kind, count in enumerate(counts):
            if not count:
                continue
            totals[kind] += count
            what, limit = LIMITS[kind]
            if totals[kind] > limit:
                return number, f"more than {limit:,} {what} in one page: split it into pages of at most {limit:,} each"
    return None


def _may_pass_a_limit(body: str) -> bool:
    """Whether some count could pass its limit: none is more than a count of its characters in the
    whole body (fenced code included), and a level of nesting takes at least one character."""
    return (
        body.count("[@") > MAX_CITATIONS or body.count("[^") > MAX_FOOTNOTES
        or body.count("](") + body.count("][") > MAX_LINKS
        or body.count("*") + body.count("_") > MAX_EMPHASIS_DELIMITERS
        or body.count("|") > MAX_TABLE_CELLS or len(body) > MAX_NESTED_LEVELS
    )


def element_counts(body: str) -> Iterator[tuple[int, tuple[int, int, int, int, int, int]]]:
    """(line number, counts in the order of `LIMITS`) of each line outside fenced code."""
    for number, line in lines_outside_fences(body):
        if not line:
            continue
        citations = footnotes = links = 0
        if "[" in line:
            citations = len(_CITATION.findall(line))
            footnotes = len(_FOOTNOTE.findall(line)) if "[^" in line else 0
            links = line.count("](") + line.count("][")
        delimiters = len(_DELIMITER_RUN.findall(line)) if "*" in line or "_" in line else 0
        nested = 0 if _RULE.match(line) else max(0, block_depth(line) - 1)
        yield number, (citations, footnotes, links, delimiters, line.count("|"), nested)
