"""Citation locators in the built page: the reference list names the part each use cites (once when all
uses cite the same part, else with the letters of the uses), the in-text citation stays a number, and a
locator is text, escaped like every input."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from projects import page

from sitegen.pipeline import build

HOME = page("Home", "Welcome.\n")
BIBLIOGRAPHY = "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n"


def topic_html(make_project: Callable[..., Path], body: str) -> str:
    """The built content/topic.md whose body is `body`, citing the publication of `BIBLIOGRAPHY`."""
    root = make_project({"index.md": HOME, "topic.md": f"---\ntitle: Topic\n---\n{body}"})
    (root / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return build(root, write=False).outputs["topic/index.html"].decode("utf-8")


def entry(html: str, number: int) -> str:
    match = re.search(rf'<li id="ref-{number}">.*?</li>', html, re.DOTALL)
    assert match, f"no reference {number}"
    return match.group(0)


def parts_cited(html: str, number: int) -> str:
    """The text of reference `number`'s "Part cited" line, tags removed."""
    match = re.search(r'<p class="ref-locators">(.*?)</p>', entry(html, number), re.DOTALL)
    assert match, f"reference {number} names no part"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_a_use_with_a_locator_names_the_part_in_its_reference(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "A fact [@smith2020, abstract].\n")
    assert parts_cited(html, 1) == "Part cited: abstract"


def test_a_quoted_locator_is_named_in_quotes(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, 'A fact [@smith2020, "Methods and results"].\n')
    assert parts_cited(html, 1) == "Part cited: \u201cMethods and results\u201d"


def test_uses_that_cite_the_same_part_name_it_once_without_letters(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, abstract].\n")
    assert parts_cited(html, 1) == "Part cited: abstract"


def test_uses_that_cite_different_parts_name_each_with_the_letters_of_its_uses(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, table 2].\n\nThree [@smith2020, abstract].\n")
    assert parts_cited(html, 1) == "Part cited: a c abstract; b table 2"


def test_the_letter_of_a_part_leads_back_to_its_use(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, table 2].\n")
    assert '<a class="locator-use" href="#cite-1-2" aria-label="Back to citation b">b</a> <span class="locator-text">table 2</span>' in entry(html, 1)


def test_a_use_without_a_locator_is_left_out_of_the_parts(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020].\n\nTwo [@smith2020, table 2].\n")
    assert parts_cited(html, 1) == "Part cited: b table 2"


def test_each_part_names_the_uses_it_belongs_to_for_the_preview(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020, abstract].\n\nTwo [@smith2020, table 2].\n\nThree [@smith2020, abstract].\n")
    assert re.findall(r'class="ref-locator" data-uses="([^"]*)"', entry(html, 1)) == ["cite-1-1 cite-1-3", "cite-1-2"]


def test_a_publication_cited_without_a_locator_names_no_part(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "A fact [@smith2020].\n")
    assert "ref-locators" not in entry(html, 1)


def test_a_seed_passage_reference_names_no_part(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "A fact [@smith2020, abstract] and another [@001:p4].\n")
    assert "ref-locators" not in entry(html, 2)


def test_the_citation_in_the_text_stays_a_number(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, 'A fact [@smith2020, "Results"].\n')
    assert '<p>A fact<sup class="cite" id="cite-1-1"><a href="#ref-1">[1]</a></sup>.</p>' in html


def test_markup_in_a_locator_is_shown_as_text(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, 'A fact [@smith2020, "<script>alert(1)</script> & <b onmouseover=x>"].\n')
    assert parts_cited(html, 1) == "Part cited: \u201c&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onmouseover=x&gt;\u201d"
    assert "<script>alert(1)" not in html and "<b onmouseover" not in html


def test_quotes_and_ampersands_in_a_locator_cannot_leave_its_text(make_project: Callable[..., Path]) -> None:
    html = topic_html(make_project, "One [@smith2020, a' onclick='x' & b].\n\nTwo [@smith2020, p. 5].\n")
    assert "<span class=\"locator-text\">a&#39; onclick=&#39;x&#39; &amp; b</span>" in entry(html, 1)


def test_a_figure_value_cited_with_a_locator_names_the_part_in_its_reference(make_project: Callable[..., Path]) -> None:
    figure = (
        '```chart\nkind: bar\ntitle: Relief\naxis: Relief\nunit: "%"\nmax: 100\n'
        'values:\n  - {label: At first, value: 75, cite: "[@smith2020, table 2]"}\n```\n'
    )
    html = topic_html(make_project, f"A fact [@smith2020, abstract].\n\n{figure}")
    assert parts_cited(html, 1).startswith("Part cited:")
    assert "table 2" in parts_cited(html, 1) and "abstract" in parts_cited(html, 1)
