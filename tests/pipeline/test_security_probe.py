"""Hostile inputs beyond the first round of safety tests: URLs browsers read as another host, raw
HTML that hides an event handler from a naive scan, and data-file Markdown nested too deep.

Each failing case checks that the previously built site stayed byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from data_files import data, fails_cleanly, line_of, write_data
from projects import run

from sitegen.core.urls import url_problem

TOPIC = "---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\n{}\n"  # line 8 holds the inserted text


def topic(root: Path, text: str) -> None:
    (root / "content" / "topic.md").write_text(TOPIC.format(text), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# URLs: a backslash at the start of a relative URL is a slash to a browser
# ---------------------------------------------------------------------------------------------

OTHER_HOST = {"slash-backslash": "/\\evil.example/", "two-backslashes": "\\\\evil.example/", "backslash-slash": "\\/evil.example/",
              "encoded-backslashes": "&#92;&#92;evil.example/"}


@pytest.mark.parametrize("url", OTHER_HOST.values(), ids=OTHER_HOST.keys())
def test_the_url_rule_refuses_a_relative_url_that_browsers_read_as_another_host(url: str) -> None:
    assert "two slashes" in url_problem(url)


@pytest.mark.parametrize("url", ["a\\b.html", "/a\\b", "%5C%5Cevil.example/"])
def test_the_url_rule_accepts_a_backslash_that_does_not_start_a_host(url: str) -> None:
    assert url_problem(url) == ""


def test_a_source_url_starting_with_slash_backslash_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(source={"url": "/\\evil.example/"}))
    fails_cleanly(project, capsys, "seeds/sources.yaml", line_of(project, "seeds/sources.yaml", "url"), "two slashes")


def test_a_page_link_starting_with_slash_backslash_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic(project, "See [this](/\\evil.example/).")
    fails_cleanly(project, capsys, "content/topic.md", 8, "two slashes")


def test_a_glossary_link_with_escaped_backslashes_is_refused_as_written(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "definition": "Lights [more](/\\\\evil.example/)."}]))
    fails_cleanly(project, capsys, "content/glossary.yaml", line_of(project, "content/glossary.yaml", "definition"), "'/\\\\evil.example/' starts with two")


def test_a_glossary_link_with_a_backslash_escape_keeps_its_url(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "definition": "Lights [more](https://example.org/a\\_b)."}]))
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 0, err
    assert 'href="https://example.org/a_b"' in (project / "site" / "glossary" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Raw HTML: check --strict reads a start tag as a browser does
# ---------------------------------------------------------------------------------------------

HIDDEN_HANDLERS = {
    "slash-before-the-handler": '<div/onclick="alert(1)">Text.</div>',
    "no-space-after-a-quoted-value": '<div title="x"onclick="alert(1)">Text.</div>',
    "greater-than-in-a-quoted-value": '<img alt=">" src="x.png" onerror=alert(1)>',
    "less-than-in-a-quoted-value": '<img alt="<" src="x.png" onerror=alert(1)>',
    "after-an-empty-comment": '<!--><img src="x.png" onerror=alert(1)>-->',
    "after-a-comment-closed-by-bang": '<!-- note --!><img src="x.png" onerror=alert(1)>-->',
    "after-a-style-end-tag-with-a-space": '<style>p {}</style ><img src="x.png" onerror=alert(1)><style>p {}</style>',
}


@pytest.mark.parametrize("raw", HIDDEN_HANDLERS.values(), ids=HIDDEN_HANDLERS.keys())
def test_strict_check_finds_an_event_handler_however_the_tag_is_written(raw: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic(project, raw)
    code, err = run(project, ("check", "--strict"), capsys)
    assert code == 1, err
    assert any(line.startswith("content/topic.md:8: ") and "event handler" in line for line in err.splitlines()), err


def test_strict_check_finds_nothing_in_a_handler_inside_a_real_comment(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic(project, '<!-- <img src="x.png" onerror=alert(1)> -->')
    code, err = run(project, ("check", "--strict"), capsys)
    assert code == 0, err


# ---------------------------------------------------------------------------------------------
# Data-file Markdown nested thousands deep
# ---------------------------------------------------------------------------------------------

DEEP_MARKDOWN = {
    "list": "".join("  " * depth + "- item\n" for depth in range(1500)),
    "quote": "".join("> " * depth + "x\n" for depth in range(1, 1500)),
    "emphasis": "*a " * 3000 + "x" + " a*" * 3000,
}


@pytest.mark.parametrize("text", DEEP_MARKDOWN.values(), ids=DEEP_MARKDOWN.keys())
def test_a_glossary_definition_nested_thousands_deep_is_an_error_at_its_line(text: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "definition": text}]))
    fails_cleanly(project, capsys, "content/glossary.yaml", line_of(project, "content/glossary.yaml", "definition"), "nested")


def test_a_disclaimer_nested_thousands_deep_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(settings={"disclaimer": DEEP_MARKDOWN["list"]}))
    fails_cleanly(project, capsys, "site.yaml", line_of(project, "site.yaml", "disclaimer"), "nested")


def test_a_glossary_definition_longer_than_a_paragraph_may_be_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "definition": "*a* " * 6000}]))
    fails_cleanly(project, capsys, "content/glossary.yaml", line_of(project, "content/glossary.yaml", "definition"), "paragraph of 23,999 characters")


# ---------------------------------------------------------------------------------------------
# A folder where a file is expected
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", ["site.yaml", "seeds/sources.yaml", "content/glossary.yaml", "content/references.yaml", "templates/page.html"])
def test_a_folder_where_a_data_file_or_template_is_expected_is_one_error_at_its_path(
    relative: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / relative).unlink()
    (project / relative).mkdir()
    fails_cleanly(project, capsys, relative, None, "a folder where a file is expected")


def test_a_refused_url_is_shown_cut_short_in_its_message() -> None:
    message = url_problem("javascript:" + "x" * 10_000)
    assert len(message) < 300
    assert "10,011 characters" in message
