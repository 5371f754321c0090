"""Footnotes with linear bookkeeping give Python-Markdown's own HTML, byte for byte.

`sitegen.dialect.footnotes.LinearFootnoteExtension` answers a reference's number, the order of references
and the next free back-link id from maps instead of list searches; these tests compare its HTML
with the stock extension's on fixed pages and on generated ones. Footnotes nothing refers to give
back-links to nowhere, as many as there are footnotes: the link check still reports each one.
How long many footnotes take is measured by `benchmarks/pathological.py`, not here.
"""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.footnotes import FootnoteExtension
from projects import PAGES, run

from sitegen.check.origins import MarkdownOrigins
from sitegen.dialect import footnotes
from sitegen.dialect.footnotes import LinearFootnoteExtension, LinearFootnoteInlineProcessor

OPTIONS = [{}, {"USE_DEFINITION_ORDER": False}, {"UNIQUE_IDS": True}, {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to %d"}]

PAGE = """\
A first claim[^b] and a second[^a], the first again[^b][^b] and one never defined[^zz].

[^a]: Note a, with *emphasis* and a reference to b[^b].
[^b]: Note b.
    Its lazy second line.

        Its second paragraph, indented.

[^fnref2]: A note whose id looks like a taken back-link id[^fnref2][^a].
[^1]: A number id[^1][^1][^1].

Last words[^1][^a][^fnref2].
"""


def _html(extension: FootnoteExtension, text: str, times: int = 1) -> list[str]:
    md = markdown.Markdown(extensions=[extension], output_format="html")
    out = []
    for _ in range(times):
        out.append(md.convert(text))
        md.reset()
    return out


def test_the_installed_python_markdown_is_the_one_the_linear_footnotes_reproduce() -> None:
    md = markdown.Markdown(extensions=[LinearFootnoteExtension()])
    assert footnotes.SUPPORTED
    assert isinstance(md.inlinePatterns["footnote"], LinearFootnoteInlineProcessor)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: ",".join(options) or "default")
def test_linear_footnotes_give_the_stock_html_for_a_page_with_repeated_and_undefined_references(options: dict[str, object]) -> None:
    stock = _html(FootnoteExtension(**options), PAGE, times=3)
    assert 'class="footnote-backref"' in stock[0] and "fnref4" in stock[0]  # the page exercises duplicates
    assert _html(LinearFootnoteExtension(**options), PAGE, times=3) == stock


def test_the_nth_reference_to_one_footnote_gets_the_same_back_link_id_as_with_the_stock_extension() -> None:
    page = "Text" + "[^x]" * 300 + ".\n\n[^x]: The note.\n"
    (stock,) = _html(FootnoteExtension(), page)
    assert 'id="fnref300:x"' in stock
    assert _html(LinearFootnoteExtension(), page) == [stock]


IDS = st.sampled_from(["1", "2", "a", "fnref", "fnref2", "x:y", "2:1", "n10"])
PIECES = st.one_of(
    IDS.map(lambda id: f"[^{id}]"),
    IDS.map(lambda id: f"\n\n[^{id}]: note {id}\n"),
    IDS.map(lambda id: f"\n[^{id}]: lazy {id}"),
    st.sampled_from([" text ", "\n", "\n\n", "    indented\n", "*em* ", "[^", "]"]),
)


@settings(max_examples=max(300, settings.default.max_examples), deadline=None)
@given(pages=st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=3), options=st.sampled_from(OPTIONS))
def test_linear_footnotes_give_the_stock_html_for_any_sequence_of_references_and_definitions(pages: list[str], options: dict[str, object]) -> None:
    stock_md = markdown.Markdown(extensions=[FootnoteExtension(**options)], output_format="html")
    linear_md = markdown.Markdown(extensions=[LinearFootnoteExtension(**options)], output_format="html")
    for page in pages:  # one instance for several pages, as a build uses it
        assert linear_md.convert(page) == stock_md.convert(page)
        stock_md.reset()
        linear_md.reset()


def test_broken_links_past_the_searched_first_hundred_are_still_each_reported(
    make_project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's broken links are looked up in its Markdown for the first hundred only (footnotes
    nothing refers to can make thousands, with back-links to nowhere): the rest are reported at
    their line of the HTML, and none is left out."""
    count = MarkdownOrigins.MAX_SEARCHES + 50
    links = "\n\n".join(f"See [there](#nowhere-{i})." for i in range(count))
    root = make_project({**PAGES, "topic.md": f"---\ntitle: A topic\norder: 1\n---\n\nA fact [@001:p4].\n\n{links}\n"})
    monkeypatch.chdir(root)
    _, stderr = run(root, ("build",), capsys)
    broken = [line for line in stderr.splitlines() if "'#nowhere-" in line]
    assert len(broken) == count
    assert sum(line.startswith("content/topic.md:") for line in broken) == MarkdownOrigins.MAX_SEARCHES
    assert "content/topic.md:8: link to '#nowhere-0': this page has no heading 'nowhere-0'" in stderr  # at the line it is written on
    assert all(line.startswith(("content/topic.md:", "site/topic/index.html:")) for line in broken)
