"""Quoted words: the words of a cited statement in double quotation marks occur in a passage it cites."""

from __future__ import annotations

from verification_fixtures import passage, publication, statement

from sitegen.check.claims import claims
from sitegen.check.quotes import quote_problems


def _messages(text: str, *cites: object) -> list[str]:
    said = statement(text)
    return [problem.message for problem in quote_problems("/p/content/topic.md", said, claims(text).quotes, cites)]  # type: ignore[arg-type]


def test_a_quote_the_cited_passage_holds_is_no_finding() -> None:
    assert _messages('It promises "rapid relief" [@001:p2].', passage("Ketamine offers rapid relief of symptoms.")) == []


def test_a_quote_the_passage_does_not_hold_is_a_finding_with_the_passages_closest_words() -> None:
    [message] = _messages('It promises "swift relief" [@001:p2].', passage("Ketamine offers rapid relief of symptoms."))
    assert "quoted words not in the cited passage: \u201cswift relief\u201d" in message
    assert "closest in @001:p2: \u201c" in message and "relief" in message.split("closest in")[1]


def test_a_near_miss_of_one_word_is_a_finding() -> None:
    assert len(_messages('It says "rapid reliefs".', passage("Ketamine offers rapid relief of symptoms."))) == 1


def test_typographic_quotes_apostrophes_case_and_white_space_are_normalised() -> None:
    text = "It calls it \u201cKetamine\u2019s   Unique  effect\u201d [@001:p2]."
    assert _messages(text, passage("ketamine's unique\neffect is noted")) == []


def test_dashes_are_normalised_in_quotes() -> None:
    assert _messages('It says "long-lasting relief".', passage("It gives long\u2013lasting relief.")) == []


def test_a_quote_with_an_ellipsis_is_checked_piece_by_piece() -> None:
    cited = passage("Ketamine offers rapid relief of symptoms in many people.")
    assert _messages('It says "rapid relief \u2026 in many people".', cited) == []
    assert len(_messages('It says "rapid relief ... in all people".', cited)) == 1


def test_a_quote_may_come_from_any_of_several_citations() -> None:
    assert _messages('It says "rare" [@001:p2; @001:p4].', passage("Nothing here."), passage("Side effects are rare.", key="@001:p4")) == []


def test_a_quote_from_a_publications_note_is_found() -> None:
    assert _messages('The authors call it "warranted".', publication("A prospective study is warranted.")) == []


def test_the_words_of_a_citations_quoted_locator_are_not_a_quote() -> None:
    assert _messages('A finding [@smith2020, "Methods and results"].', publication("Nothing quoted.")) == []


def test_quotes_inside_inline_code_are_not_quotes() -> None:
    assert _messages('Write `"anything"` as code [@001:p2].', passage("No such words.")) == []
