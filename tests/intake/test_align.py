"""Alignment: each old passage is found unchanged, moved, edited or removed in the new version."""

from __future__ import annotations

from sitegen.intake.align import EDITED, MOVED, REMOVED, UNCHANGED, align

OLD = [
    "Getting started",
    "The first paragraph explains what the guide covers and who it is written for.",
    "The second paragraph lists the tools you need before you begin the work.",
    "Safety",
    "The third paragraph warns about the sharp edges of the metal sheets.",
]


def fates(new: list[str]) -> list[tuple[int, int, str]]:
    return [(fate.old, fate.new, fate.kind) for fate in align(OLD, new).fates]


def test_the_same_text_is_unchanged() -> None:
    assert fates(OLD) == [(n, n, UNCHANGED) for n in range(1, 6)]


def test_a_paragraph_inserted_at_the_top_moves_every_passage_down_one() -> None:
    result = align(OLD, ["A new opening paragraph that was not there before, added by the editors.", *OLD])
    assert [(fate.new, fate.kind) for fate in result.fates] == [(n + 1, MOVED) for n in range(1, 6)]
    assert result.added == (1,)


def test_a_deleted_paragraph_is_removed_and_those_after_it_move_up() -> None:
    assert fates([OLD[0], OLD[2], OLD[3], OLD[4]]) == [(1, 1, UNCHANGED), (2, 0, REMOVED), (3, 2, MOVED), (4, 3, MOVED), (5, 4, MOVED)]


def test_a_paragraph_edited_slightly_is_edited_at_its_number() -> None:
    new = [*OLD]
    new[2] = new[2].replace("tools", "instruments")
    assert fates(new)[2] == (3, 3, EDITED)


def test_a_rewritten_paragraph_is_removed_and_its_replacement_added() -> None:
    new = [*OLD]
    new[1] = "Nothing here resembles what this passage said before; it is a wholly different text now."
    result = align(OLD, new)
    assert result.fates[1].kind == REMOVED
    assert result.added == (2,)


def test_two_swapped_paragraphs_each_follow_their_text() -> None:
    assert fates([OLD[0], OLD[2], OLD[1], OLD[3], OLD[4]])[1:3] == [(2, 3, MOVED), (3, 2, MOVED)]


def test_a_renamed_heading_is_the_same_heading_edited() -> None:
    new = [*OLD]
    new[3] = "Safety first"
    assert fates(new)[3] == (4, 4, EDITED)


def test_repeated_passages_keep_their_order() -> None:
    old = ["Title", "Title", "Body text of the article."]
    assert [(fate.new, fate.kind) for fate in align(old, ["Intro", *old]).fates] == [(2, MOVED), (3, MOVED), (4, MOVED)]
