"""Stated numbers: every number of a cited statement is held by a passage it cites or by the publication's note."""

from __future__ import annotations

from verification_fixtures import passage, publication, statement

from sitegen.check.claims import claims
from sitegen.check.numbers import number_problems


def _messages(text: str, *cites: object) -> list[str]:
    said = statement(text)
    return [problem.message for problem in number_problems("/p/content/topic.md", said, claims(text).numbers, cites)]  # type: ignore[arg-type]


def test_a_number_the_passage_holds_is_no_finding() -> None:
    assert _messages("Pain fell by 7.5 points [@001:p2].", passage("Pain fell by 7.5 points.")) == []


def test_a_decimal_is_kept_exact() -> None:
    [message] = _messages("Pain fell by 7.8 points [@001:p2].", passage("Pain fell by 7.5 points."))
    assert "number \u201c7.8\u201d not in the cited passage" in message


def test_the_message_names_the_numbers_the_passage_holds() -> None:
    [message] = _messages("In 80% of 60 people [@001:p2].", passage("In 77 % of 61 people."))
    assert "\u201c80%\u201d" in message and "\u201c60\u201d" in message and "they hold 61, 77%, 2022" in message


def test_a_percentage_is_the_same_with_a_space_or_in_words() -> None:
    assert _messages("About 90 % did [@001:p2]. That is 90 per cent.", passage("90% of them did.")) == []


def test_a_percentage_is_not_held_by_the_plain_number() -> None:
    assert len(_messages("90% did [@001:p2].", passage("90 people did."))) == 1


def test_a_number_word_that_measures_is_its_digits() -> None:
    assert _messages("It lasts three days [@001:p2].", passage("It lasts 3 days.")) == []
    assert len(_messages("It lasts four days [@001:p2].", passage("It lasts 3 days."))) == 1


def test_a_passages_number_words_hold_a_statements_digits() -> None:
    assert _messages("3 in 10 people [@001:p2].", passage("Three in ten people.")) == []


def test_a_number_word_that_counts_what_the_page_names_is_not_a_claim() -> None:
    assert _messages("One article names two ways [@001:p2].", passage("No numbers.")) == []


def test_thousands_separators_are_ignored() -> None:
    assert _messages("Of 1,000 people [@001:p2].", passage("Of 1000 people.")) == []


def test_a_range_is_its_two_ends_in_any_form() -> None:
    cited = passage("An attack can last from 4 to 72 hours.")
    assert _messages("It lasts 4\u201372 hours [@001:p2].", cited) == []
    assert _messages("It lasts 4-72 hours [@001:p2].", cited) == []
    assert len(_messages("It lasts 4\u201374 hours [@001:p2].", cited)) == 1


def test_numbers_that_are_part_of_names_are_not_claims() -> None:
    assert _messages("It acts on 5-HT1B receptors, not on COVID-19 or H2O [@001:p2].", passage("No numbers.")) == []


def test_a_number_with_a_lower_case_unit_is_a_claim() -> None:
    assert len(_messages("A dose of 15mg over a 24-hour day [@001:p2].", passage("A dose of 15 mg."))) == 1


def test_numbers_in_link_addresses_code_and_citations_are_not_claims() -> None:
    text = "See [the 2019 page](https://example.org/a/2021/5.html) and `x = 42` [@001:p2; @smith2020, p. 4]."
    [message] = _messages(text, passage("No numbers."))
    assert "\u201c2019\u201d" in message and "42" not in message and "2021" not in message and "\u201c4\u201d" not in message


def test_a_number_may_come_from_any_of_several_citations() -> None:
    assert _messages("61 people, 77% of them [@001:p2; @001:p4].", passage("61 people."), passage("77 %", key="@001:p4")) == []


def test_a_publications_note_holds_the_figures_the_site_relies_on() -> None:
    assert _messages("61 patients [@smith2020].", publication("A retrospective study of 61 patients.")) == []


def test_a_year_is_held_by_the_cited_entry() -> None:
    assert _messages("A 2020 trial [@smith2020].", publication("No figures.", entry="A trial 2020")) == []
    assert len(_messages("A 2021 trial [@smith2020].", publication("No figures.", entry="A trial 2020"))) == 1


def test_the_number_a_computed_marker_explains_is_not_checked_but_its_inputs_are() -> None:
    cited = passage("48 of the 61 patients.")
    assert _messages("That is 79%{computed: 48 of 61} [@001:p2].", cited) == []
    [message] = _messages("That is 79%{computed: 48 of 62} [@001:p2].", cited)
    assert "\u201c62\u201d" in message and "79" not in message.split("(")[0]
