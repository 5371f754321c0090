"""The statements of a page body as the Markdown conversion records them: kind, line, citation and
the admonitions around them (see sitegen/resolve/statements.py)."""

from __future__ import annotations

from sitegen.resolve.markup import Markup
from sitegen.resolve.page_state import Statement


def statements(body: str) -> list[Statement]:
    return [Statement.from_row(row) for row in Markup({}).convert(body, "topic.md", "topic/").statement_rows]


def test_an_uncited_paragraph_is_an_uncited_statement_at_its_line() -> None:
    [statement] = statements("## Heading\n\nAsthma is caused by cats.\n")
    assert (statement.kind, statement.line, statement.cited, statement.excerpt) == ("paragraph", 3, False, "Asthma is caused by cats.")


def test_a_cited_paragraph_is_a_cited_statement() -> None:
    [statement] = statements("A fact [@001:p2].\n")
    assert statement.cited


def test_a_heading_is_not_a_statement() -> None:
    assert statements("## A heading without a citation\n") == []


def test_each_list_item_is_a_statement_at_its_line() -> None:
    found = statements("Intro [@001:p2].\n\n- one [@001:p2]\n- two\n")
    assert [(s.kind, s.line, s.cited) for s in found] == [("paragraph", 1, True), ("list item", 3, True), ("list item", 4, False)]


def test_the_paragraphs_of_a_loose_list_item_are_list_item_statements() -> None:
    found = statements("- one [@001:p2]\n\n- two\n")
    assert [(s.kind, s.line, s.cited) for s in found] == [("list item", 1, True), ("list item", 3, False)]


def test_an_item_introducing_a_fully_cited_nested_list_counts_as_cited() -> None:
    found = statements("- Side effects include:\n    - nausea [@001:p2]\n    - dizziness [@001:p4]\n")
    assert [(s.excerpt, s.line, s.cited) for s in found] == [
        ("Side effects include:", 1, True), ("nausea [@001:p2]", 2, True), ("dizziness [@001:p4]", 3, True),
    ]


def test_an_item_introducing_a_nested_list_with_an_uncited_item_is_uncited() -> None:
    found = statements("- Side effects include:\n    - nausea [@001:p2]\n    - dizziness\n")
    assert [s.cited for s in found] == [False, True, False]


def test_table_cells_are_statements_on_their_row_line_but_the_row_label() -> None:
    found = statements("| What | Value |\n| --- | --- |\n| Dose | 5 mg [@001:p2] |\n| Time | an hour |\n")
    assert [(s.kind, s.line, s.cited, s.excerpt) for s in found] == [("table cell", 3, True, "5 mg [@001:p2]"), ("table cell", 4, False, "an hour")]


def test_the_cell_of_a_one_column_table_is_a_statement() -> None:
    [statement] = statements("| Claim |\n| --- |\n| Cats cause asthma |\n")
    assert (statement.kind, statement.line, statement.cited) == ("table cell", 3, False)


def test_a_statement_in_an_admonition_names_its_type() -> None:
    [statement] = statements('!!! note "Our view"\n    Editorial text.\n')
    assert (statement.line, statement.admonitions, statement.cited) == (2, ("note",), False)


def test_an_admonition_title_is_not_a_statement() -> None:
    assert [s.excerpt for s in statements('!!! summary "Key points"\n    - A fact [@001:p2].\n')] == ["A fact [@001:p2]."]


def test_code_raw_html_and_an_image_alone_are_not_statements() -> None:
    body = "```\nuncited code\n```\n\n    indented code\n\n<div>Raw HTML.</div>\n\n![A picture](picture.png)\n"
    assert statements(body) == []


def test_a_quoted_paragraph_and_a_definition_are_statements() -> None:
    found = statements("> A quoted claim.\n\nTerm\n: Its definition.\n")
    assert [(s.kind, s.line) for s in found] == [("paragraph", 1), ("definition", 4)]


def test_a_long_excerpt_is_shortened() -> None:
    [statement] = statements("Asthma is caused by cats, says nobody who has studied the question at all.\n")
    assert statement.excerpt == "Asthma is caused by cats, says nobody w…"


def test_repeated_statements_are_found_at_their_own_lines() -> None:
    found = statements("Same words.\n\nSame words.\n\nSame words.\n")
    assert [s.line for s in found] == [1, 3, 5]


def test_many_statements_are_each_found_at_their_line() -> None:
    body = "".join(f"Statement number {n}.\n\n" for n in range(2000))
    assert [s.line for s in statements(body)] == [2 * n + 1 for n in range(2000)]
