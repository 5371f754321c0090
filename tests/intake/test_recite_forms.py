"""Re-citing finds every citation a page holds: in the text, with a quoted locator that holds a `;`,
and in a figure's values (a fenced block whose citations are written as in the text)."""

from __future__ import annotations

from sitegen.intake.align import align
from sitegen.intake.recite import recite
from sitegen.resolve.citations import find_citations

OLD = ["First passage.", "Second passage.", "Third passage."]
NEW = ["A passage put first.", "First passage.", "Second passage.", "Third passage."]  # every old passage one further on


def test_a_citation_in_the_text_follows_its_passage() -> None:
    assert recite("A fact [@003:p2].\n", "003", align(OLD, NEW)).text == "A fact [@003:p3].\n"


def test_a_citation_in_a_figure_value_follows_its_passage() -> None:
    figure = '```chart\nkind: bar\ntitle: T\naxis: A\nvalues:\n  - {label: L, value: 1, cite: "[@003:p1]"}\n```\n'
    assert 'cite: "[@003:p2]"' in recite(figure, "003", align(OLD, NEW)).text


def test_a_citation_in_other_fenced_code_is_left_as_written() -> None:
    code = "```\n[@003:p1]\n```\n"
    assert recite(code, "003", align(OLD, NEW)).text == code


def test_an_item_with_a_quoted_locator_holding_a_semicolon_is_kept_as_written() -> None:
    text = 'A fact [@003:p1; @smith2020, "Dose; timing"].\n'
    assert recite(text, "003", align(OLD, NEW)).text == 'A fact [@003:p2; @smith2020, "Dose; timing"].\n'


def test_the_citations_of_a_figure_are_found_at_their_lines() -> None:
    figure = 'Text.\n\n```timeline\nkind: timeline\ntitle: T\nvalues:\n  - {label: L, duration: D, cite: "[@003:p1]"}\n```\n'
    assert [(found.line, found.text) for found in find_citations(figure)] == [(7, "@003:p1")]
