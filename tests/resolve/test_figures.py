"""Figure blocks: ```chart and ```timeline YAML drawn as inline SVG, every value cited, the values also as a table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from projects import COMPLETE, assert_clean_failure, page, run, write_project

from sitegen.resolve.figure_spec import parse_figure
from sitegen.resolve.figure_svg import Mark, draw
from sitegen.resolve.markup import Markup, MarkupResult

BAR = """```chart
kind: bar
title: Patients with relief
axis: Patients with relief
unit: "%"
max: 100
values:
  - {label: At first, value: 75, cite: "[@001:p2]"}
  - {label: Later, value: 40, cite: "[@001:p4]"}
```
"""
PAIRED = """```chart
kind: paired-bar
title: Article against study
axis: Patients with relief
unit: "%"
series: [The article, The study]
values:
  - label: At first
    pair:
      - {value: 75, cite: "[@001:p2]"}
      - {value: 77, cite: "[@001:p4]"}
  - label: Later
    pair:
      - {value: 40, cite: "[@001:p2]"}
      - {value: 39.5, cite: "[@001:p4]"}
```
"""
TIMELINE = """```timeline
kind: timeline
title: Stages of an attack
values:
  - {label: Prodrome, duration: A day or two before, cite: "[@001:p2]"}
  - {label: Aura, duration: 5 to 60 minutes, cite: "[@001:p2; @001:p4]"}
  - {label: Headache, duration: 4 to 72 hours, cite: "[@001:p4]"}
```
"""


def convert(body: str) -> MarkupResult:
    return Markup({"topic.md": "topic/"}).convert(body, "topic.md", "topic/")


def svg_of(html: str) -> str:
    found = re.search(r"<svg .*?</svg>", html, re.S)
    assert found, html
    return found.group(0)


def table_of(html: str) -> str:
    found = re.search(r"<details class=\"figure-data\">.*?</details>", html, re.S)
    assert found, html
    return found.group(0)


@pytest.mark.parametrize(("block", "bars"), [(BAR, 2), (PAIRED, 4), (TIMELINE, 0)], ids=["bar", "paired-bar", "timeline"])
def test_each_kind_renders_to_an_inline_svg_labelled_by_its_title_and_description(block: str, bars: int) -> None:
    result = convert("Intro [@001:p2].\n\n" + block)
    assert result.errors == ()
    svg = svg_of(result.html)
    image = r'<g aria-labelledby="figure-1-title figure-1-desc" role="img">'
    assert re.search(image + r'<title id="figure-1-title">[^<]+</title><desc id="figure-1-desc">[^<]+</desc>', svg)
    assert len(re.findall(r"M[0-9.]+ [0-9.]+h", svg)) == bars + (2 if "paired" in block else 0)  # bars, and the legend's swatches


def test_the_citation_links_of_a_drawing_sit_outside_its_image_hidden_from_assistive_technology() -> None:
    svg = svg_of(convert(BAR).html)
    image, seen = svg.split('<g aria-hidden="true" class="figure-values">')
    assert "<a " not in image and seen.count('tabindex="-1"') == seen.count("<a ") == 2


def test_a_figure_holds_no_script_and_no_style_attribute() -> None:
    html = convert(PAIRED + "\n" + TIMELINE).html
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_each_value_carries_the_superscript_of_its_citation_numbered_with_the_text() -> None:
    html = convert("First [@001:p4].\n\n" + BAR).html
    # @001:p4 is [1] (cited first in the text); @001:p2 becomes [2] in the figure.
    assert '75%<tspan class="cite" dy="-5"><a href="#ref-2" tabindex="-1">[2]</a></tspan>' in svg_of(html)
    assert '40%<tspan class="cite" dy="-5"><a href="#ref-1" tabindex="-1">[1]</a></tspan>' in svg_of(html)
    assert re.search(r'<td>75%<sup class="cite" id="cite-2-1"><a href="#ref-2">\[2\]</a></sup></td>', table_of(html))


def test_the_citations_of_a_figure_join_the_page_reference_list() -> None:
    result = convert(TIMELINE)
    assert [(str(key), len(anchors)) for key, anchors in result.citations] == [("@001:p2", 2), ("@001:p4", 2)]


@pytest.mark.parametrize("block", [BAR, PAIRED, TIMELINE], ids=["bar", "paired-bar", "timeline"])
def test_the_same_block_gives_the_same_bytes(block: str) -> None:
    assert convert(block).html == convert(block).html == Markup({}).convert(block, "other.md", "other/").html


def test_the_data_table_holds_every_value_and_label() -> None:
    table = table_of(convert(PAIRED).html)
    cells = re.findall(r"<td>([^<]*)<sup", table)
    assert cells == ["75%", "77%", "40%", "39.5%"]
    assert re.findall(r'<th scope="row">([^<]*)</th>', table) == ["At first", "Later"]
    assert re.findall(r'<th scope="col">([^<]*)</th>', table) == ["Item", "The article", "The study"]


def test_the_timeline_table_holds_every_stage_and_duration() -> None:
    table = table_of(convert(TIMELINE).html)
    assert re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)<sup', table.replace("\n", "")) == [
        ("Prodrome", "A day or two before"), ("Aura", "5 to 60 minutes"), ("Headache", "4 to 72 hours"),
    ]


def test_a_value_without_a_citation_is_an_error_at_its_line() -> None:
    block = BAR.replace('  - {label: Later, value: 40, cite: "[@001:p4]"}', "  - {label: Later, value: 40}")
    result = convert("Intro.\n\n" + block)
    assert [(e.line, e.message) for e in result.errors] == [(11, "missing required key 'cite'")]
    assert "<figure" not in result.html


def test_a_malformed_block_is_an_error_at_the_line_of_its_yaml() -> None:
    result = convert("Intro.\n\n```chart\nkind: bar\ntitle: [unclosed\n```\n")
    assert len(result.errors) == 1 and result.errors[0].line in (5, 6) and "invalid YAML" in result.errors[0].message


def test_a_block_that_is_not_a_mapping_is_an_error_at_its_first_line() -> None:
    result = convert("Intro.\n\n```timeline\n- one\n- two\n```\n")
    assert [(e.line, e.message) for e in result.errors] == [(4, "a timeline block must be a mapping, not a list")]


def test_an_unknown_key_is_an_error_at_its_line_with_a_suggestion() -> None:
    result = convert(BAR.replace("axis: Patients", "axes: Patients"))
    assert (4, "unknown key 'axes'") in [(e.line, e.message.split(";")[0]) for e in result.errors]


def test_a_kind_written_in_the_wrong_fence_is_an_error_at_its_line() -> None:
    result = convert(BAR.replace("```chart", "```timeline", 1))
    assert [e.line for e in result.errors] == [2] and "write it in a ```chart block" in result.errors[0].message


def test_a_citation_not_written_as_in_the_text_is_an_error_at_its_line() -> None:
    result = convert(BAR.replace('cite: "[@001:p4]"', 'cite: "001 p4"'))
    assert [(e.line, e.message.split(",")[0]) for e in result.errors] == [(9, "'cite' must be a citation written as in the text")]


def test_a_value_past_the_axis_end_is_an_error_at_the_max_line() -> None:
    result = convert(BAR.replace("max: 100", "max: 50"))
    assert [e.line for e in result.errors] == [6] and "must reach every value" in result.errors[0].message


def test_a_negative_value_is_an_error_at_its_line() -> None:
    result = convert(BAR.replace("value: 40", "value: -4"))
    assert [e.line for e in result.errors] == [9]


def test_an_unclosed_figure_block_is_an_error_at_its_fence() -> None:
    result = convert("Intro.\n\n```timeline\nkind: timeline\n")
    assert [(e.line, e.message) for e in result.errors] == [(3, "timeline block is not closed: end it with a line of ```")]


def test_a_figure_fence_inside_a_longer_code_fence_stays_code() -> None:
    result = convert("````markdown\n" + BAR + "````\n")
    assert result.errors == () and "<svg" not in result.html and "kind: bar" in result.html


def test_too_many_values_is_an_error() -> None:
    values = "".join(f'  - {{label: L{n}, value: {n}, cite: "[@001:p2]"}}\n' for n in range(30))
    result = convert(f"```chart\nkind: bar\ntitle: T\naxis: A\nvalues:\n{values}```\n")
    assert [e.line for e in result.errors] == [5] and "at most 24" in result.errors[0].message


def test_labels_are_escaped_text() -> None:
    html = convert(BAR.replace("At first", '"<b>first</b> & *more*"')).html
    assert "&lt;b&gt;first&lt;/b&gt; &amp; *more*" in svg_of(html) and "<b>" not in html


def test_the_drawing_is_pure_the_same_figure_and_marks_give_the_same_svg() -> None:
    figure = parse_figure("chart", BAR.split("\n", 1)[1].rsplit("```", 1)[0], 2, "topic.md").figure
    assert figure is not None
    marks = [[[Mark("[1]", "#ref-1")]], [[Mark("[2]", "#ref-2")]]]
    first, second = draw(figure, marks, "figure-1"), draw(figure, marks, "figure-1")
    import xml.etree.ElementTree as etree  # noqa: N813

    assert etree.tostring(first) == etree.tostring(second)


def test_an_unknown_source_in_a_figure_fails_the_build_at_the_value_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = "Intro [@001:p2].\n\n" + BAR.replace("[@001:p4]", "[@999:p1]")
    root = write_project(tmp_path / "project", {**COMPLETE, "topic.md": page("A topic", body, order=1)})
    monkeypatch.chdir(root)
    code, stderr = run(root, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", 4 + 11, "unknown source '999'")


def test_a_missing_citation_fails_the_build_at_its_line_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = "Intro [@001:p2].\n\n" + BAR.replace(', cite: "[@001:p4]"', "")
    root = write_project(tmp_path / "project", {**COMPLETE, "topic.md": page("A topic", body, order=1)})
    monkeypatch.chdir(root)
    code, stderr = run(root, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/topic.md", 4 + 11, "missing required key 'cite'")


def test_a_label_may_be_a_number() -> None:
    result = convert(BAR.replace("label: At first", "label: 2018"))
    assert result.errors == () and '<th scope="row">2018</th>' in result.html


def test_a_figure_inside_raw_html_is_an_error_at_its_fence_and_leaves_no_marker() -> None:
    result = convert("<div>\n" + TIMELINE + "</div>\n\nText.\n")
    assert [(e.line, e.message.split(" (")[0]) for e in result.errors] == [(2, "a figure inside raw HTML")]
    assert "\x02" not in result.html and "sitegen-figure" not in result.html


def test_a_figure_term_is_not_linked_to_the_glossary() -> None:
    from sitegen.load.glossary import GlossaryTerm

    html = Markup({}, (GlossaryTerm("aura", "aura", "A warning phase.", ()),), "glossary/").convert(TIMELINE, "topic.md", "topic/").html
    assert 'class="term"' not in html


def test_a_page_holds_at_most_50_figures() -> None:
    result = convert("\n".join([BAR] * 51))
    assert len(result.errors) == 1 and "at most 50 figures" in result.errors[0].message
    assert result.html.count("<figure") == 50
