"""How large and how deeply nested a page may be: checked before its Markdown is converted.

Python-Markdown parses nested blocks (quotes, lists, indented list content, admonitions) and nested
emphasis by recursion, so a page nested thousands of levels deep would end in a RecursionError
(or, for indented lists, in time that grows with the square of the depth). `nesting_problem`
measures both kinds of depth on the text, line by line, and names the first line that goes past
`MAX_NESTING`; a page file larger than `MAX_PAGE_BYTES` is refused before it is read. Both limits
lie far beyond any real page and well inside what the converter handles.

Python-Markdown's inline pass rebuilds the whole text of a paragraph at every link, emphasis,
citation or footnote it finds there, so one paragraph costs the square of its length. A text the
inline pass would take in one piece (a paragraph, list item, table cell, heading) longer than
`MAX_TEXT_CHARACTERS` is refused (`text_length_problem`, checked by the converter once blocks are
parsed): that bounds the cost of each paragraph, so a page's cost grows linearly with its size.

Python-Markdown's block parser has the same kind of cost between blocks: where a heading, a rule
or a definition (`[x]: url`, `[^x]: note`, `*[X]: expansion`, `: definition`, `!!! note`) sits
inside a block of lines with no blank line between them, it parses that line and puts the rest of
the block back, to be scanned whole again by every block processor. `block_breaks_problem` bounds
that work on the text before conversion, generously (every such line counts the whole block it is
in): at most `MAX_BREAK_WORK` characters scanned per character of the page, beyond a first
`FREE_BREAK_WORK`. The page past it is refused at the block where the budget is spent, with the
remedy: blank lines between those lines, which make each one a block of its own.

The measures are deliberately generous upper bounds of the depth Python-Markdown will build:
block depth counts every quote marker, list marker and four columns of indentation at the start
of a line (outside fenced code); inline depth counts, within one paragraph, the emphasis
delimiters (`*`, `_`) that are open around a point and are closed later.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

MAX_PAGE_BYTES = 5_000_000
MAX_NESTING = 32
MAX_TEXT_CHARACTERS = 20_000
MAX_BREAK_WORK = 30
FREE_BREAK_WORK = 20_000_000

_MARKER = re.compile(r"(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))[ \t]?")
_SPACES = re.compile(" *")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a horizontal rule: - - - - …
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_DELIMITER_RUN = re.compile(r"\*+|_+")
_QUOTE_MARKERS = re.compile(r"[ \t]*(?:>[ \t]*)*")
# After quote markers and indentation: what makes Python-Markdown split a block at that line.
_BREAK = re.compile(r"#|[-=_*][-=_* \t]*$|\*\[[^\]]*\][ ]?:|\[\^?[^\]]*\]:|:[ ]{1,3}|!!!")
_RUN_DEFINITION = re.compile(r"\[\^?[^\]]*\]:")  # runs of these, one to a line, are taken in one pass
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def page_size_problem(size: int) -> str:
    """Why a page file of `size` bytes is refused, or ""."""
    if size <= MAX_PAGE_BYTES:
        return ""
    return f"page is {size:,} bytes: split it into pages of at most {MAX_PAGE_BYTES:,} bytes"


def text_length_problem(length: int) -> str:
    """Why a paragraph (or other text the inline pass takes in one piece) of `length` characters is refused, or ""."""
    if length <= MAX_TEXT_CHARACTERS:
        return ""
    return f"paragraph of {length:,} characters: split it into paragraphs of at most {MAX_TEXT_CHARACTERS:,} characters"


def block_breaks_problem(body: str) -> tuple[int, str] | None:
    """The first line (1-based) of the block of `body` at which the block parser's work of splitting
    blocks passes the budget (see the module's docstring), with the message; None within it."""
    budget = MAX_BREAK_WORK * len(body) + FREE_BREAK_WORK
    work = 0
    for first, characters, breaks in _blocks_and_breaks(body):
        work += breaks * characters
        if work > budget:
            message = (
                f"{breaks:,} headings, rules or definitions in one block of {characters:,} characters, with no blank "
                "line between them: put a blank line before each"
            )
            return first, message
    return None


def _blocks_and_breaks(body: str) -> Iterator[tuple[int, int, int]]:
    """(first line, characters, lines that split it) of each block of lines (outside fenced code)."""
    first = characters = breaks = 0
    previous_defines = False
    for number, line in lines_outside_fences(body):
        content = line[_QUOTE_MARKERS.match(line).end() :] if line is not None else ""  # type: ignore[union-attr]  # matches everywhere
        if not content.strip():
            if breaks:
                yield first, characters, breaks
            first = characters = breaks = 0
            previous_defines = False
            continue
        if not first:
            first = number
        elif _BREAK.match(content) and not (previous_defines and _RUN_DEFINITION.match(content)):
            breaks += 1
        previous_defines = bool(_RUN_DEFINITION.match(content))
        characters += len(line) + 1
    if breaks:
        yield first, characters, breaks


def lines_outside_fences(body: str) -> Iterator[tuple[int, str | None]]:
    """(line number, line) of each line of `body` outside fenced code; the line opening a fence
    comes as None (it ends a block), the fenced lines and the closing fence not at all."""
    fence = ""
    for number, line in enumerate(body.split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            yield number, None
            continue
        yield number, line


def nesting_problem(body: str) -> tuple[int, str] | None:
    """The first line of `body` (1-based) nested deeper than `MAX_NESTING`, with the message."""
    for number, depth, kind in _depths(body):
        if depth > MAX_NESTING:
            return number, f"{kind} nested {depth} levels deep: at most {MAX_NESTING} levels are allowed"
    return None


def _depths(body: str) -> Iterator[tuple[int, int, str]]:
    """(line number, depth, kind) for every line whose depth may exceed the limit."""
    paragraph: list[tuple[int, str]] = []
    for number, line in lines_outside_fences(body):
        depth = 0 if line is None or _RULE.match(line) else block_depth(line)
        if depth > MAX_NESTING:
            yield number, depth, "block (quote, list or indented content)"
        if line is not None and line.strip():
            paragraph.append((number, line))
        else:
            yield from _inline_depths(paragraph)
            paragraph = []
    yield from _inline_depths(paragraph)


def block_depth(line: str) -> int:
    """Quote and list markers and steps of four columns of indentation at the start of `line`."""
    depth = position = 0
    text = line.expandtabs(4) if "\t" in line else line
    while True:
        indent = _SPACES.match(text, position).end()  # type: ignore[union-attr]  # matches everywhere
        if indent == len(text):
            return depth  # nothing but spaces after the markers
        depth += (indent - position) // 4
        marker = _MARKER.match(text, indent)
        if marker is None:
            return depth
        depth += 1
        position = marker.end()


def _inline_depths(paragraph: list[tuple[int, str]]) -> Iterator[tuple[int, int, str]]:
    """Emphasis depth in one paragraph: the delimiters open around a point that a later run closes."""
    if not paragraph:
        return
    text = "\n".join(line for _, line in paragraph)
    if "*" not in text and "_" not in text:
        return
    change, opened = _emphasis_changes(text)
    depth = 0
    offsets = {event: offset for offset, event in opened}
    for event, step in enumerate(change):
        depth += step
        if depth > MAX_NESTING and event in offsets:
            yield _line_at(paragraph, offsets[event]), depth, "emphasis"
            return


def _emphasis_changes(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Each delimiter run of `text` (`*`, `_`) is an event: how the emphasis depth changes at each
    (an opener gains what later runs close of it, a closer loses it), and (offset, event) of each opener."""
    stacks: dict[str, list[list[int]]] = {"*": [], "_": []}  # per character: [event, characters left]
    opened: list[tuple[int, int]] = []  # (offset in text, event) of each opener
    change: list[int] = []  # per event: how the depth changes there
    for run in _DELIMITER_RUN.finditer(text):
        before = text[run.start() - 1] if run.start() else " "
        after = text[run.end()] if run.end() < len(text) else " "
        opens = not after.isspace() and (after not in _PUNCTUATION or before.isspace() or before in _PUNCTUATION)
        closes = not before.isspace() and (before not in _PUNCTUATION or after.isspace() or after in _PUNCTUATION)
        stack = stacks[run.group()[0]]
        event = len(change)
        change.append(0)
        if closes and stack:
            left = len(run.group())
            while stack and left:
                entry = stack[-1]
                taken = min(entry[1], left)
                entry[1] -= taken
                left -= taken
                change[entry[0]] += taken
                change[event] -= taken
                if not entry[1]:
                    stack.pop()
        elif opens:
            stack.append([event, len(run.group())])
            opened.append((run.start(), event))
    return change, opened


def _line_at(paragraph: list[tuple[int, str]], offset: int) -> int:
    """The page line of the paragraph's lines (joined by newlines) that `offset` falls on."""
    starts = [0]
    for _, line in paragraph:
        starts.append(starts[-1] + len(line) + 1)
    return paragraph[bisect.bisect_right(starts, offset) - 1][0]
