"""A paragraph longer than the documented limit, or a block crowded with headings, rules or
definitions past the documented budget, fails cleanly, at its first line.

Python-Markdown's inline pass costs the square of a paragraph's length, so a text it would take in
one piece (a paragraph, a list item, a table cell, a heading, a footnote's text) longer than
`limits.MAX_TEXT_CHARACTERS` is one `path:line: message` naming the line the text starts on,
exit 1, and the previous site untouched. Code, which the inline pass does not look into, may be
longer, and so may a page of many paragraphs each within the limit.

Python-Markdown re-scans the rest of a block after each heading, rule or definition inside it;
`limits.block_breaks_problem` refuses a page where that work would pass its budget, at the block
that passes it, and the same lines with blank lines between them build. The speed of such pages is
measured by `benchmarks/pathological.py`, not here.
"""


from __future__ import annotations

from pathlib import Path

import pytest
from projects import assert_clean_failure, run, snapshot, topic_line

from sitegen.dialect.limits import FREE_BREAK_WORK, MAX_BREAK_WORK, MAX_TEXT_CHARACTERS, block_breaks_problem, text_length_problem
from sitegen.resolve.markup import Markup

TOPIC_LINE = 8  # the line `topic_line` writes on
WORDS = "a claim *with* emphasis and a [link](topic.md) "


def _words(characters: int) -> str:
    """Text of `characters` characters in short lines, inline Markdown throughout, ending in a word."""
    text = WORDS * (characters // len(WORDS) + 1)
    lines = "\n".join(text[start : start + 70] for start in range(0, len(text), 70))
    return lines[:characters].rstrip() + "x" * (characters - len(lines[:characters].rstrip()))


def _fails_cleanly_at(root: Path, capsys: pytest.CaptureFixture[str], line: int, says: str) -> None:
    before = snapshot(root / "site")
    code, stderr = run(root, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", line, says)
    assert snapshot(root / "site") == before


LONG = MAX_TEXT_CHARACTERS + 1000
TOO_LONG = {
    "paragraph": ("First words of the long paragraph " + _words(LONG), 0),
    "list item": ("- first item\n- Second item, long: " + _words(LONG).replace("\n", " "), 1),
    "quoted paragraph": ("> short\n>\n> Quoted and long: " + _words(LONG).replace("\n", "\n> "), 2),
    "table cell": ("| a | b |\n| --- | --- |\n| x | Cell start " + _words(LONG).replace("\n", " ") + " |", 2),
    "heading": ("## Heading start " + _words(LONG).replace("\n", " "), 0),
    "footnote": ("A note[^n].\n\n[^n]: Note start " + _words(LONG).replace("\n", " "), 2),
}


@pytest.mark.parametrize("kind", TOO_LONG)
def test_a_text_longer_than_the_limit_is_an_error_at_its_first_line(kind: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, offset = TOO_LONG[kind]
    topic_line(text)(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE + offset, f"split it into paragraphs of at most {MAX_TEXT_CHARACTERS:,}")


def test_the_message_gives_the_length_of_the_paragraph(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = "x" * (MAX_TEXT_CHARACTERS + 1)
    topic_line(paragraph)(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE, f"paragraph of {MAX_TEXT_CHARACTERS + 1:,} characters")


def test_a_paragraph_of_exactly_the_limit_builds(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("x" * MAX_TEXT_CHARACTERS)(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr
    assert "x" * MAX_TEXT_CHARACTERS in (built_project / "site" / "topic" / "index.html").read_text(encoding="utf-8")


def test_many_paragraphs_each_within_the_limit_build(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = _words(MAX_TEXT_CHARACTERS - 100)
    topic_line("\n\n".join([paragraph] * 5))(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr
    assert (built_project / "site" / "topic" / "index.html").read_text(encoding="utf-8").count("<p>a claim") == 5


@pytest.mark.parametrize("code", ["```\n{}\n```", "    {}"], ids=["fenced", "indented"])
def test_code_longer_than_the_limit_builds(code: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line(code.format("y" * LONG))(built_project)
    exit_code, stderr = run(built_project, ("build",), capsys)
    assert exit_code == 0, stderr


def test_the_limit_is_checked_before_the_inline_pass_sees_the_text() -> None:
    paragraph = ("[@001:p1] *a* " * (MAX_TEXT_CHARACTERS // 10)).strip()
    result = Markup({"topic.md": "topic/"}).convert(f"Intro.\n\n{paragraph}\n", "topic.md", "topic/")
    assert result.html == "" and result.found == ()  # no citation was parsed: the inline pass never ran
    assert [(error.line, error.message) for error in result.errors] == [(3, text_length_problem(len(paragraph)))]


def test_a_text_within_the_limit_has_no_length_problem() -> None:
    assert text_length_problem(MAX_TEXT_CHARACTERS) == ""
    assert text_length_problem(MAX_TEXT_CHARACTERS + 1) != ""


CROWDED_LINES = 3000  # lines of each kind in one block: far past the budget
CROWDED = {
    "headings": lambda i: f"## Heading {i}",
    "rules": lambda i: f"line {i}\n***",
    "setext headings": lambda i: f"Heading {i}\n---",
    "reference definitions with text": lambda i: f"[r{i}]: https://example.org/{i}\nsome text",
    "abbreviation definitions": lambda i: f"*[AB{i}]: An abbreviation",
    "definition-list lines": lambda i: f"Term {i}\n:   Its definition",
}


@pytest.mark.parametrize("kind", CROWDED)
def test_a_block_crowded_with_lines_that_split_it_is_an_error_at_its_first_line(
    kind: str, built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topic_line("Intro line.\n" + "\n".join(CROWDED[kind](i) for i in range(CROWDED_LINES)))(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE, "with no blank line between them: put a blank line before each")


def test_the_same_lines_with_blank_lines_between_them_build(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("\n\n".join(f"## Heading {i}" for i in range(CROWDED_LINES)))(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr


def test_many_footnote_definitions_one_to_a_line_build(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = "\n".join(f"[^n{i}]: Note {i}." for i in range(CROWDED_LINES))
    topic_line("\n\n".join(f"Claim[^n{i}]." for i in range(CROWDED_LINES)) + "\n\n" + notes)(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr
    assert 'id="fn:n2999"' in (built_project / "site" / "topic" / "index.html").read_text(encoding="utf-8")


def test_headings_inside_fenced_code_do_not_count(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("```\n" + "\n".join(f"# comment {i}" for i in range(CROWDED_LINES)) + "\n```")(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr


def test_the_budget_grows_with_the_page() -> None:
    block = "\n".join(["text " * 10] * 400 + ["# heading"] * MAX_BREAK_WORK)
    page = "\n\n".join([block] * 100)
    assert (MAX_BREAK_WORK - 1) * len(page) > FREE_BREAK_WORK  # past the free work: the allowance per character counts
    assert block_breaks_problem(page) is None  # as many breaks to a block as the budget allows to a character
    crowded = "\n".join(["text " * 10] * 400 + ["# heading"] * (2 * MAX_BREAK_WORK))
    assert block_breaks_problem("\n\n".join([crowded] * 100)) is not None
