"""Pages past the documented limits (nesting depth, file size) fail cleanly, and the linear versions
of Python-Markdown's costly paths give its own HTML.

A page nested thousands of levels deep is one `path:line: message` at the line where the depth is
exceeded, exit 1, and the previous site untouched, never a RecursionError. The speed of hostile
pages is measured by `benchmarks/pathological.py`, not here.
"""


from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_pairs import stock_and_skipping
from projects import assert_clean_failure, put, run, snapshot, topic_line

from sitegen.dialect import brackets, inline, limits
from sitegen.dialect.limits import MAX_NESTING, MAX_PAGE_BYTES, block_depth, nesting_problem

TOPIC_LINE = 8  # the line `topic_line` writes on
TOO_DEEP = MAX_NESTING + 1


def _fails_cleanly_at(root: Path, capsys: pytest.CaptureFixture[str], line: int, says: str) -> None:
    before = snapshot(root / "site")
    code, stderr = run(root, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", line, says)
    assert snapshot(root / "site") == before


DEEP_ON_ONE_LINE = {
    "quotes": "> " * 5000 + "deep",
    "bullet-lists": "- " * 5000 + "deep",
    "numbered-lists": "1. " * 5000 + "deep",
    "emphasis": "*" * 5000 + "deep" + "*" * 5000,
    "nested-emphasis": "*a " * 5000 + "deep" + " a*" * 5000,
    "strong-emphasis": "__a " * 5000 + "deep" + " a__" * 5000,
}


@pytest.mark.parametrize("kind", DEEP_ON_ONE_LINE)
def test_nesting_thousands_deep_on_one_line_is_an_error_at_that_line(kind: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line(DEEP_ON_ONE_LINE[kind])(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE, "levels deep")


def test_a_list_indented_deeper_than_the_limit_is_an_error_at_the_first_line_too_deep(
    built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topic_line("\n".join("    " * level + "- item" for level in range(100)))(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE + MAX_NESTING, f"nested {TOO_DEEP} levels deep")


def test_quotes_deepening_line_by_line_are_an_error_at_the_first_line_too_deep(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("\n".join("> " * (level + 1) + "quote" for level in range(100)))(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE + MAX_NESTING, f"nested {TOO_DEEP} levels deep")


def test_emphasis_opened_on_many_lines_is_an_error_at_the_line_that_goes_too_deep(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("\n".join(["*open"] * 40 + ["deep"] + ["close*"] * 40))(built_project)
    _fails_cleanly_at(built_project, capsys, TOPIC_LINE + MAX_NESTING, "emphasis nested")


def test_nesting_at_the_limit_builds(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("> " * MAX_NESTING + "*a " * MAX_NESTING + "x" + " a*" * MAX_NESTING)(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr
    assert "<blockquote>" in (built_project / "site" / "topic" / "index.html").read_text(encoding="utf-8")


def test_nesting_inside_fenced_code_is_only_text(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("```\n" + "> " * 5000 + "\n```")(built_project)
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 0, stderr


def test_unclosed_emphasis_is_not_nesting() -> None:
    assert nesting_problem("**a _b " * 10_000) is None


def test_a_horizontal_rule_of_many_dashes_is_not_nesting() -> None:
    assert nesting_problem("- " * 100) is None


@pytest.mark.parametrize(("line", "depth"), [("text", 0), ("> > text", 2), ("- - text", 2), ("1. 2) text", 2), ("        - text", 3), ("\t\t- text", 3)])
def test_block_depth_counts_markers_and_steps_of_four_columns(line: str, depth: int) -> None:
    assert block_depth(line) == depth


def test_nesting_the_depth_check_misses_is_an_error_of_the_page_not_a_traceback(
    built_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_NESTING", 10**9)  # as if the check did not foresee this nesting
    topic_line("*" * 5000 + "deep" + "*" * 5000)(built_project)
    _fails_cleanly_at(built_project, capsys, 5, "nested too deeply for the Markdown converter")  # the body's first line


def test_a_page_over_the_size_limit_is_refused_before_it_is_read(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "---\ntitle: A topic\n---\n\n"
    put("content/topic.md", text + "word " * ((MAX_PAGE_BYTES - len(text)) // 5 + 1))(built_project)
    before = snapshot(built_project / "site")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", None, f"at most {MAX_PAGE_BYTES:,} bytes")
    assert snapshot(built_project / "site") == before


def test_a_page_at_the_size_limit_is_accepted() -> None:
    assert limits.page_size_problem(MAX_PAGE_BYTES) == ""


# ---------------------------------------------------------------------------------------------
# The linear paths give Python-Markdown's own HTML
# ---------------------------------------------------------------------------------------------


def test_the_linear_walk_and_bracket_pairing_are_in_use_with_this_python_markdown() -> None:
    assert inline.LINEAR_WALK and brackets.LINEAR_LINKS


BRACKETS = """\
[a [nested] link](https://example.org/a(b)c "title") and [unclosed [still](x) [ref] [x][ref] ![img](p.png 'its title')
[a](<angle> "t") [b](url"quote) [c](url 'open (paren [d](e) f) [g](h (i) j) [k]( l ) [m](n "o" ) [p](q) ) ]
[^1] [not a footnote] [[double]](x) [](empty) [e](f]g) ([h](i)) "quoted [j](k 'l')" it's

[ref]: https://example.org/ref
[^1]: A note with [a link](u).
"""


def test_brackets_and_links_of_every_shape_give_python_markdowns_own_html() -> None:
    stock, linear = stock_and_skipping(BRACKETS)
    assert stock.count("<a ") >= 8
    assert linear == stock


_PIECES = st.sampled_from([*"ab *_[]()!'\"<>\n", "](", "[a](b)", "[x]", "[^1]", "[^1]: n\n", '"t"', "  \n", "\n\n", "> ", "- "])


@settings(max_examples=max(300, settings.default.max_examples))
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_any_text_of_brackets_and_quotes_gives_python_markdowns_own_html(text: str) -> None:
    stock, linear = stock_and_skipping(text)
    assert linear == stock


def test_a_long_text_of_links_and_unclosed_brackets_gives_python_markdowns_own_html() -> None:
    text = "".join(f"[a{i}](u{i}) [b{i} (c{i} [d{i}](e{i} 'f') " for i in range(300))
    stock, linear = stock_and_skipping(text)
    assert linear == stock


def test_the_anchors_of_a_page_of_many_are_found_as_in_a_page_of_few() -> None:
    from sitegen.check.links import scan_links

    many = scan_links("".join(f'<a id="cite-1-{i}" href="#ref-1">1</a>' for i in range(5000)).encode())
    few = scan_links(b'<a id="cite-1-7" href="#ref-1">1</a>')
    for value in ("cite-1-7", "cite-1-", "cite-1-70000", "", "cite-1-7\0cite-1-8"):
        assert many.has_id(value) == (value in many.ids)
        assert few.has_id(value) == (value in few.ids)


def test_the_set_of_a_pages_anchors_is_not_kept_in_the_cache() -> None:
    import pickle

    from sitegen.check.links import scan_links

    scan = scan_links("".join(f'<a id="a{i}">x</a>' for i in range(5000)).encode())
    assert scan.has_id("a42")
    assert pickle.loads(pickle.dumps(scan)) == scan
    assert "_id_set" not in pickle.loads(pickle.dumps(scan)).__dict__
