"""Softened claims: a statement stating firmly what its passage hedges, or in stronger words, is warned of (never a failure)."""

from __future__ import annotations

from pathlib import Path

from projects import COMPLETE, page, run
from verification_fixtures import passage, publication

from sitegen.check.softening import load_hedges, softening_warning

HEDGED = "Ketamine may help inhibit pain signals in the brain. It is given in clinics."


def _warning(text: str, *cites: object) -> str:
    return softening_warning(text, cites, load_hedges())  # type: ignore[arg-type]


def test_a_statement_that_drops_the_passages_hedge_is_warned_of() -> None:
    message = _warning("Ketamine inhibits pain signals [@001:p2].", passage(HEDGED))
    assert message.startswith("warning: the cited passage hedges (\u201cmay\u201d")


def test_a_statement_that_keeps_a_hedge_is_not_warned_of() -> None:
    assert _warning("It says ketamine might inhibit pain signals [@001:p2].", passage(HEDGED)) == ""


def test_a_hedge_of_words_the_statement_does_not_repeat_is_not_warned_of() -> None:
    assert _warning("Ketamine is given in clinics [@001:p2].", passage("It may help inhibit pain. Ketamine is given in clinics.")) == ""


def test_a_strong_word_the_passage_does_not_use_is_warned_of() -> None:
    message = _warning("Ketamine stops migraine [@001:p2].", passage("Ketamine eases migraine in some people."))
    assert "\u201cstops\u201d is stronger than the cited passage says" in message


def test_a_strong_word_the_passage_uses_too_is_not_warned_of() -> None:
    assert _warning("It says ketamine stops the attack [@001:p2].", passage("Ketamine stops the attack.")) == ""


def test_a_publications_note_is_not_compared_for_hedges() -> None:
    assert _warning("Ketamine inhibits pain signals [@smith2020].", publication(HEDGED)) == ""


def test_every_cited_passage_must_hedge_for_a_warning() -> None:
    assert _warning("Ketamine inhibits pain signals [@001:p2; @001:p4].", passage(HEDGED), passage("Ketamine inhibits pain signals.", key="@001:p4")) == ""


def test_the_rules_are_read_from_the_data_file_shipped_in_the_package() -> None:
    rules = load_hedges()
    assert "may" in rules.hedging and "stops" in rules.strong


def test_a_softened_claim_is_a_warning_check_strict_does_not_fail_on(make_project, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed = "Example Article\n\nKetamine may help inhibit pain signals.\n\nSection Two\n\nA fact.\n\nThe third paragraph, promotional and excluded.\n"
    pages = {**COMPLETE, "topic.md": page("A topic", "Ketamine inhibits pain signals [@001:p2].\n\nA fact [@001:p4].\n", order=1)}
    root: Path = make_project(pages, seed_text=seed)
    monkeypatch.chdir(root)
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err
    assert "content/topic.md:5: warning: the cited passage hedges" in err
