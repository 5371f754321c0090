"""A page holding more elements of a costly kind than its documented limit fails cleanly, at the
line where the count passes the limit; a page holding exactly the limit builds.

`sitegen.dialect.density` counts, before conversion, citations, footnote references and definitions, links, emphasis
delimiters, table cell separators and levels of nesting; past any limit the build is one
`path:line: message` naming the limit and the remedy (split the page), exit 1, and the previous
site untouched. The speed of pages at the limits is measured by `benchmarks/pathological.py`, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import TOPIC, assert_clean_failure, run, snapshot, topic_line

from sitegen.dialect.density import (
    LIMITS,
    MAX_CITATIONS,
    MAX_EMPHASIS_DELIMITERS,
    MAX_FOOTNOTES,
    MAX_LINKS,
    MAX_NESTED_LEVELS,
    MAX_TABLE_CELLS,
    density_problem,
    element_counts,
)

TOPIC_LINE = 8  # the line `topic_line` writes on
PER_BLOCK = 100  # lines to a paragraph, quote or list, well within the paragraph length limit


def _blocks(lines: list[str]) -> str:
    """`lines` in blocks of `PER_BLOCK` lines, a blank line between blocks."""
    return "\n\n".join("\n".join(lines[start : start + PER_BLOCK]) for start in range(0, len(lines), PER_BLOCK))


def _citations(count: int) -> str:
    return _blocks(["A fact [@001:p4]."] * count)


def _footnotes(count: int) -> str:
    return "[^a]: The one note.\n\n" + _blocks(["A claim[^a]."] * (count - 1))


def _links(count: int) -> str:
    return _blocks(["See [home](index.md)."] * count)


def _emphasis(count: int) -> str:
    return _blocks(["Some *a* and **b**."] * (count // 4) + ["One *more*."] * (count % 4 // 2) + ["snake_case"] * (count % 2))


def _table(count: int) -> str:
    return "| a | b | c |\n| --- | --- | --- |\n" + "\n".join(["| x | y | z |"] * (count // 4 - 2) + ["| w |"] * (count % 4 // 2))


def _nesting(count: int) -> str:
    return _blocks(["> " * 9 + "deep"] * (count // 8) + ["> > shallow"] * (count % 8))


# kind (as the message names it) → (its limit, text holding `count` of it, one line that adds at least one more)
KINDS: dict[str, tuple[int, Callable[[int], str], str]] = {
    "citations": (MAX_CITATIONS, _citations, "A last fact [@001:p2]."),
    "footnote references and definitions": (MAX_FOOTNOTES, _footnotes, "A last claim[^a]."),
    "links and images": (MAX_LINKS, _links, "A last [link](index.md)."),
    "emphasis delimiters": (MAX_EMPHASIS_DELIMITERS, _emphasis, "A last *word*."),
    "table cell separators": (MAX_TABLE_CELLS, _table, "| last | row |"),
    "levels of nesting": (MAX_NESTED_LEVELS, _nesting, "> > a last quote"),
}


def _page_count(kind: str, text: str) -> int:
    """How many of `kind` the engine counts on content/topic.md holding `text`."""
    index = next(i for i, (what, _) in enumerate(LIMITS) if what.startswith(kind))
    return sum(counts[index] for _, counts in element_counts(TOPIC.format(text)))


def _at_limit(kind: str) -> str:
    """Text that makes content/topic.md hold exactly the limit of `kind` (the page has some of its own)."""
    limit, make, _ = KINDS[kind]
    text = make(limit - _page_count(kind, ""))
    assert _page_count(kind, text) == limit  # the fixture, not the engine: the page is at the limit
    return text


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_at_the_limit_builds(kind: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line(_at_limit(kind))(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_past_the_limit_is_an_error_at_the_line_that_passes_it(kind: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    limit, _, one_more = KINDS[kind]
    text = _at_limit(kind)
    if kind == "table cell separators":
        text += "\n" + one_more  # a row of the same table
        line = TOPIC_LINE + text.count("\n")
    else:
        text += "\n\n" + one_more
        line = TOPIC_LINE + text.count("\n")
    topic_line(text)(built_project)
    before = snapshot(built_project / "site")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", line, f"more than {limit:,} {kind}")
    assert "split it into pages" in stderr
    assert snapshot(built_project / "site") == before


def test_what_fenced_code_holds_is_not_counted() -> None:
    assert density_problem("```\n" + "[@001:p1] *a* | b |\n" * (MAX_CITATIONS + 1) + "```\n") is None


def test_the_count_passes_the_limit_on_the_line_of_the_first_element_past_it() -> None:
    body = "x [@001:p1]\n" * (MAX_CITATIONS - 1) + "y [@001:p1] [@001:p2]\nz\n"
    assert density_problem(body) is not None
    assert density_problem(body)[0] == MAX_CITATIONS  # type: ignore[index]  # not None: asserted above
