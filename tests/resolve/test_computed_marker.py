"""The computed-figure marker: `12 %{computed: 3 of 25}` shows what the figure was computed from, in words on the page."""

from __future__ import annotations

from pathlib import Path

from projects import COMPLETE, assert_clean_failure, page, run

from sitegen.resolve.markup import Markup


def _html(body: str) -> str:
    return Markup({}).convert(body, "topic.md", "topic/").html


def _errors(body: str) -> list[str]:
    return [error.message for error in Markup({}).convert(body, "topic.md", "topic/").errors]


def test_the_marker_is_shown_as_words_after_the_number() -> None:
    assert _html("About 12 %{computed: 3 of 25} did.") == '<p>About 12 %<span class="computed"> (computed from 3 of 25)</span> did.</p>'


def test_the_explanation_is_escaped() -> None:
    html = _html('About 12{computed: 3 of <script>alert("x")</script> & more} did.')
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; more" in html


def test_a_marker_in_a_table_cell_is_shown() -> None:
    assert '<td>12 %<span class="computed"> (computed from 3 of 25)</span></td>' in _html("| a | b |\n|---|---|\n| x | 12 %{computed: 3 of 25} |\n")


def test_a_marker_in_code_is_shown_as_written() -> None:
    assert _html("`12{computed: 3 of 25}`") == "<p><code>12{computed: 3 of 25}</code></p>"


def test_a_marker_without_its_explanation_is_an_error() -> None:
    assert _errors("About 12 %{computed} did.") == ["malformed computed marker: write it right after the number, as {computed: what it was computed from}"]


def test_a_marker_with_an_empty_explanation_is_an_error() -> None:
    assert _errors("About 12 %{computed: } did.")[0].startswith("computed marker without an explanation")


def test_a_marker_not_after_a_number_is_an_error() -> None:
    assert _errors("About many{computed: 3 of 25} did.")[0].startswith("a computed marker goes right after the number it explains")


def test_a_malformed_marker_fails_the_build_at_its_line(make_project, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    topic = page("A topic", "A fact [@001:p4].\n\nAbout 12 %{computed 3 of 25} did [@001:p4].\n", order=1)
    root: Path = make_project({**COMPLETE, "topic.md": topic})
    monkeypatch.chdir(root)
    code, err = run(root, ("build",), capsys)
    line = topic.splitlines().index("About 12 %{computed 3 of 25} did [@001:p4].") + 1
    assert_clean_failure(code, err, "content/topic.md", line, "malformed computed marker")
