"""Citation locators: `[@key, abstract]`, `[@key, "Section title"]`, their errors at their line, and
how the site model keeps them: one reference per publication, each use with its own locator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import load_site, page

from sitegen.core.errors import BuildError
from sitegen.resolve.citations import CitationKey, CitationSyntaxError, CitedItem, parse_citation, parse_items
from sitegen.resolve.model import ResolvedPage

HOME = page("Home", "Welcome.\n")
BIBLIOGRAPHY = (
    "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n"
    "jones2021:\n  authors: [Jones K]\n  year: 2021\n  title: A report\n  url: https://example.org/report\n"
)


def project_with(make_project: Callable[..., Path], body: str) -> Path:
    """A project whose content/topic.md has `body` from line 4, citing the two publications of `BIBLIOGRAPHY`."""
    root = make_project({"index.md": HOME, "topic.md": f"---\ntitle: Topic\n---\n{body}"})
    (root / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return root


def topic_page(make_project: Callable[..., Path], body: str) -> ResolvedPage:
    resolved = load_site(project_with(make_project, body)).page("topic/")
    assert resolved is not None
    return resolved


def problems(make_project: Callable[..., Path], body: str) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_site(project_with(make_project, body))
    return [str(problem) for problem in info.value.problems]


def test_a_locator_follows_the_key_after_a_comma() -> None:
    assert parse_items("@smith2020, abstract") == (CitedItem(CitationKey("smith2020"), "abstract"),)


def test_a_quoted_locator_is_shown_in_curly_quotes() -> None:
    assert parse_items('@smith2020, "Methods and results"')[0].locator == "\u201cMethods and results\u201d"


def test_a_locator_in_curly_quotes_reads_as_one_in_straight_quotes() -> None:
    assert parse_items("@smith2020, \u201cResults\u201d") == parse_items('@smith2020, "Results"')


def test_a_semicolon_inside_a_quoted_locator_does_not_part_the_items() -> None:
    assert parse_items('@smith2020, "Dose; timing"; @jones2021') == (
        CitedItem(CitationKey("smith2020"), "\u201cDose; timing\u201d"), CitedItem(CitationKey("jones2021")),
    )


def test_each_item_of_a_bracket_keeps_its_own_locator() -> None:
    assert [item.locator for item in parse_items("@smith2020, p. 4; @001:p2; @jones2021, table 2")] == ["p. 4", "", "table 2"]


def test_white_space_inside_a_locator_is_made_single_spaces() -> None:
    assert parse_items("@smith2020,   table\t 2  ")[0].locator == "table 2"


def test_the_keys_of_a_bracket_leave_its_locators_aside() -> None:
    assert parse_citation("@smith2020, abstract; @001:p2") == (CitationKey("smith2020"), CitationKey("001", 2, 2))


@pytest.mark.parametrize(("inner", "says"), [
    ("@001:p2, abstract", "a seed passage is its own locator"),
    ("@001:p2-p4, abstract", "a seed passage is its own locator"),
    ("@smith2020,", "empty locator"),
    ("@smith2020,   ", "empty locator"),
    ('@smith2020, ""', "empty locator"),
    ('@smith2020, "Results', "unclosed quote"),
    ('@smith2020, "Results" and more', "nothing after its closing quote"),
    ('@smith2020, p"4"', "quote a locator whole"),
    ("@smith2020, \u201dResults", "quote a locator whole"),
    ("@smith2020, p\\. 4", "a locator is plain text"),
    ("@smith2020, p\x02 4", "a locator is plain text"),
])
def test_a_malformed_locator_is_a_syntax_error(inner: str, says: str) -> None:
    with pytest.raises(CitationSyntaxError, match=says):
        parse_items(inner)


def test_a_locator_on_a_seed_passage_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "One.\n\nA fact [@001:p4, abstract].\n")
    assert message.endswith("content/topic.md:6: locator in '@001:p4, abstract': a seed passage is its own locator; write [@001:p4] alone")


def test_an_unclosed_quote_in_a_locator_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, 'One.\n\nTwo.\n\nA fact [@smith2020, "Results].\n')
    assert message.endswith('content/topic.md:8: unclosed quote in the locator of [@smith2020, "Results]: close it with "')


def test_an_empty_locator_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "A fact [@smith2020, ].\n")
    assert message.endswith("content/topic.md:4: empty locator in '@smith2020,': name the part cited ([@key, abstract]) or leave out the comma")


def test_a_code_span_in_a_locator_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "One.\n\nA fact [@smith2020, `table 2`].\n")
    assert "content/topic.md:6: citation [@smith2020, …]: a locator is plain text" in message


def test_a_locator_of_an_unknown_key_still_names_the_unknown_source(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "A fact [@nobody2000, abstract].\n")
    assert "content/topic.md:4: @nobody2000: unknown source 'nobody2000'" in message


def test_uses_of_one_publication_with_different_locators_are_one_reference(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, table 2].\n")
    assert [(ref.key, ref.anchors) for ref in resolved.references] == [(CitationKey("smith2020"), ("cite-1-1", "cite-1-2"))]


def test_a_reference_keeps_the_locator_of_each_use_beside_its_anchor(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020].\n\nThree [@smith2020, table 2].\n")
    assert resolved.references[0].locators == ("abstract", "", "table 2")


def test_a_reference_groups_the_uses_that_name_the_same_locator(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, table 2].\n\nThree [@smith2020, abstract].\n")
    assert resolved.references[0].located == (("abstract", (("cite-1-1", 0), ("cite-1-3", 2))), ("table 2", (("cite-1-2", 1),)))


def test_a_reference_cited_without_locators_has_none(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020].\n\nTwo [@smith2020].\n")
    assert (resolved.references[0].locators, resolved.references[0].located) == ((), ())


def test_the_locators_of_one_bracket_go_to_their_own_references(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020, abstract; @jones2021, p. 4; @001:p4].\n")
    assert [ref.locators for ref in resolved.references] == [("abstract",), ("p. 4",), ()]


def test_a_statement_lists_the_anchors_of_the_citations_it_carries(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "One [@smith2020, abstract] and [@001:p4].\n\nTwo [@smith2020].\n")
    assert [statement.citations for statement in resolved.statements] == [("cite-1-1", "cite-2-1"), ("cite-1-2",)]


def test_a_statement_keeps_its_markdown_whole(make_project: Callable[..., Path]) -> None:
    resolved = topic_page(make_project, "A long statement that runs past the forty characters of an excerpt\nover two lines [@smith2020].\n")
    assert resolved.statements[0].text == "A long statement that runs past the forty characters of an excerpt over two lines [@smith2020]."
