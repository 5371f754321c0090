"""Data files never inject markup: text from site.yaml, seeds/sources.yaml, content/glossary.yaml
and content/references.yaml is shown as text, their Markdown fields carry no raw HTML, every URL
keeps to http, https, mailto or relative, a value of the wrong type or an impossible date is an
error at its line, and attribute lists in pages add neither event handlers nor template ids.

Each failing case checks that the previously built site stayed byte for byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from data_files import data, fails_cleanly, line_of, write_data
from html_parts import elements, html_pages
from projects import ROOT, run, snapshot

from sitegen.core.urls import url_problem
from sitegen.load.pages import RESERVED_IDS, is_reserved_id

MARKUP = '<img src=x onerror=alert(1)><iframe src="https://evil.example/"></iframe><meta http-equiv="refresh" content="0;url=https://evil.example/"><script>alert(1)</script>'
BAD_URLS = {
    "javascript": "javascript:alert(1)",
    "javascript-upper-case": "JavaScript:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript": "vbscript:msgbox(1)",
    "file": "file:///etc/passwd",
    "tab-inside-scheme": "java\tscript:alert(1)",
    "leading-space": " javascript:alert(1)",
    "entity-encoded": "java&#x09;script:alert(1)",
    "unclosed-ipv6": "http://[::1",
    "port-not-a-number": "https://example.org:http/",
    "no-host": "https:///path",
}
GOOD_URLS = ("https://example.org/a?b=1#c", "http://example.org/", "mailto:editor@example.org", "other/page.html", "#facts")


def injected_elements(site: Path) -> list[str]:
    """Every element or attribute of `MARKUP` that made it into a page as markup, by page."""
    found = []
    for name, html in html_pages(site).items():
        parsed = elements(html)
        for tag, attrs in parsed.tags:
            if tag in ("iframe", "img") or any(key.startswith("on") for key in attrs):
                found.append(f"{name}: <{tag} {attrs}>")
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
                found.append(f"{name}: <meta refresh>")
        found += [f"{name}: <script>{text}" for attrs, text in parsed.scripts if "src" not in attrs and "alert" in text]
    return found


# ---------------------------------------------------------------------------------------------
# Markup in any text field is text
# ---------------------------------------------------------------------------------------------

TEXT_FIELDS: dict[str, Callable[[str], dict[str, object]]] = {
    "site.yaml title": lambda text: data(settings={"title": text}),
    "site.yaml description": lambda text: data(settings={"description": text}),
    "site.yaml disclaimer (Markdown)": lambda text: data(settings={"disclaimer": text}),
    "sources.yaml title": lambda text: data(source={"title": text}),
    "sources.yaml publisher": lambda text: data(source={"publisher": text}),
    "sources.yaml kind": lambda text: data(source={"kind": text}),
    "sources.yaml exclusion reason": lambda text: data(source={"exclude": {"p1": f"Navigation of the site {text}"}}),
    "glossary.yaml term": lambda text: data(glossary=[{"term": f"Aura {text}", "id": "aura", "definition": "Lights.", "aliases": ["aura"]}]),
    "glossary.yaml definition (Markdown)": lambda text: data(glossary=[{"term": "Aura", "definition": text}]),
    "glossary.yaml alias": lambda text: data(glossary=[{"term": "Aura", "definition": "Lights.", "aliases": [text]}]),
    "references.yaml authors": lambda text: data(references={"authors": [text, "Jones K"]}),
    "references.yaml title": lambda text: data(references={"title": text}),
    "references.yaml journal": lambda text: data(references={"journal": text}),
    "references.yaml volume": lambda text: data(references={"volume": text}),
    "references.yaml pages": lambda text: data(references={"volume": "4", "pages": text}),
    "references.yaml note": lambda text: data(references={"note": text}),
}

SHOWN_NOWHERE = {"glossary.yaml alias"}  # an alias is only matched in pages' text


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_markup_in_a_data_field_is_shown_as_text(field: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, TEXT_FIELDS[field](MARKUP))
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 0, err
    assert injected_elements(project / "site") == []
    if field not in SHOWN_NOWHERE:
        assert any("&lt;iframe" in html for html in html_pages(project / "site").values())  # the text itself is on a page


def test_markdown_in_a_data_field_still_renders(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "definition": "Lights *before* [a migraine](https://example.org/m)."}]))
    assert run(project, ("build", "--no-search"), capsys)[0] == 0
    glossary = (project / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "Lights <em>before</em> <a href=\"https://example.org/m\">a migraine</a>." in glossary


# ---------------------------------------------------------------------------------------------
# URLs: http, https, mailto and relative only, everywhere
# ---------------------------------------------------------------------------------------------

URL_FIELDS: dict[str, tuple[Callable[[str], dict[str, object]], str, str]] = {
    "sources.yaml url": (lambda url: data(source={"url": url}), "seeds/sources.yaml", "url"),
    "references.yaml url": (lambda url: data(references={"url": url, "doi": None}), "content/references.yaml", "url"),
    "glossary.yaml definition link": (lambda url: data(glossary=[{"term": "Aura", "definition": f"Lights [more](<{url}>)."}]),
                                      "content/glossary.yaml", "definition"),
    "glossary.yaml definition image": (lambda url: data(glossary=[{"term": "Aura", "definition": f"Lights ![more](<{url}>)."}]),
                                       "content/glossary.yaml", "definition"),
    "site.yaml disclaimer link": (lambda url: data(settings={"disclaimer": f"See [this](<{url}>)."}), "site.yaml", "disclaimer"),
}


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
@pytest.mark.parametrize("field", URL_FIELDS)
def test_a_refused_url_in_a_data_file_is_an_error_at_its_line(field: str, url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files, relative, key = URL_FIELDS[field]
    write_data(project, files(url))
    fails_cleanly(project, capsys, relative, line_of(project, relative, key), "URL")


@pytest.mark.parametrize("url", GOOD_URLS)
@pytest.mark.parametrize("field", ["sources.yaml url", "references.yaml url", "glossary.yaml definition link"])
def test_http_https_mailto_and_relative_urls_are_accepted(field: str, url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files, _, _ = URL_FIELDS[field]
    write_data(project, files(url))
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 0, err
    hrefs = {attrs.get("href") for html in html_pages(project / "site").values() for tag, attrs in elements(html).tags if tag == "a"}
    assert url in hrefs


def test_a_doi_that_makes_no_valid_link_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(references={"doi": "10.1/x y"}))
    fails_cleanly(project, capsys, "content/references.yaml", line_of(project, "content/references.yaml", "doi"), "doi")


MARKDOWN_URL_FORMS = {"link": "[a link](<{}>)", "image": "![an image](<{}>)", "reference": "[a link][ref]\n\n[ref]: <{}>"}
MARKDOWN_URL_CASES = [
    pytest.param(form, url, id=f"{form_name}-{url_name}")
    for form_name, form in MARKDOWN_URL_FORMS.items()
    for url_name, url in BAD_URLS.items()
    if not (form_name == "reference" and re.search(r"\s", url))  # Markdown reads no reference definition from those: no link at all
]


@pytest.mark.parametrize(("form", "url"), MARKDOWN_URL_CASES)
def test_a_refused_url_in_page_markdown_is_an_error_at_its_line(form: str, url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = form.format(url)
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\n{text}\n", encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 8 + text.split(url)[0].count("\n"), "URL")


@pytest.mark.parametrize("attribute", ['href="javascript:alert(1)"', "src=data:text/html,x", 'formaction="vbscript:x"'])
def test_a_refused_url_set_by_an_attribute_list_is_an_error(attribute: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\nSee [a link](topic.md){{: {attribute} }}.\n"
    (project / "content" / "topic.md").write_text(page, encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 8, "URL")


def test_an_allowed_url_in_page_markdown_builds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    links = " ".join(f"[l{n}](<{url}>)" for n, url in enumerate(GOOD_URLS))
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\n## Facts {{#facts}}\n\nFirst [@001:p4]. {links}\n", encoding="utf-8")
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 0, err


@pytest.mark.parametrize("url", ["javascript:alert(1)", "jav&#x61;script:alert(1)", "java\tscript:x", "data:text/html,x", "file:///etc/passwd", "http://[::1",
                                 "//evil.example/"])
def test_the_url_rule_refuses(url: str) -> None:
    assert url_problem(url)


@pytest.mark.parametrize("url", [*GOOD_URLS, "", "../up/", "page.html?x=1&amp;y=2", "https://[::1]:8000/"])
def test_the_url_rule_accepts(url: str) -> None:
    assert url_problem(url) == ""


# ---------------------------------------------------------------------------------------------
# Attribute lists and ids
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("attribute", ['onclick="alert(1)"', "onmouseover=alert(1)", 'ONLOAD="x()"'])
def test_an_event_handler_in_an_attribute_list_is_an_error(attribute: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\nA paragraph.\n{{: {attribute} }}\n",
                                                   encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 9, "event handler")


@pytest.mark.parametrize("heading_id", [*sorted(RESERVED_IDS), "ref-1", "cite-1-1", "pub-smith2020"])
def test_an_author_id_that_the_templates_use_is_an_error(heading_id: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\n## Mine {{#{heading_id}}}\n", encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 8, f"id {heading_id!r}")


def test_a_heading_named_like_a_template_id_gets_another(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = "---\ntitle: A topic\norder: 1\n---\n\n## References\n\nFirst [@001:p4].\n\n## Main\n\nText [@001:p2].\n"
    (project / "content" / "topic.md").write_text(page, encoding="utf-8")
    code, err = run(project, ("check", "--strict"), capsys)
    assert code == 0, err
    run(project, ("build", "--no-search"), capsys)
    ids = [attrs["id"] for tag, attrs in elements((project / "site" / "topic" / "index.html").read_text(encoding="utf-8")).tags if "id" in attrs]
    assert len(ids) == len(set(ids)) and "references-1" in ids and "main-1" in ids


@pytest.mark.parametrize("term_id", ["main", "references", "ref-2"])
def test_a_glossary_id_that_the_templates_use_is_an_error(term_id: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(glossary=[{"term": "Aura", "id": term_id, "definition": "Lights."}]))
    fails_cleanly(project, capsys, "content/glossary.yaml", line_of(project, "content/glossary.yaml", "id"), f"glossary id {term_id!r}")


def test_every_literal_id_in_the_templates_is_reserved() -> None:
    literal = {match for template in (ROOT / "templates").glob("*.html") for match in re.findall(r'\bid="([^"{]+)"', template.read_text(encoding="utf-8"))}
    assert literal and {value for value in literal if not is_reserved_id(value)} == set()


def test_check_reports_a_duplicate_id_within_a_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = "---\ntitle: A topic\norder: 1\n---\n\n## Facts {#facts}\n\nFirst [@001:p4].\n\n<div id=\"facts\">Raw.</div>\n"
    (project / "content" / "topic.md").write_text(page, encoding="utf-8")
    code, err = run(project, ("check", "--strict"), capsys)
    assert code == 1
    assert any(line.startswith("content/topic.md:") and "duplicate id 'facts'" in line for line in err.splitlines()), err


# ---------------------------------------------------------------------------------------------
# Authors' raw HTML: allowed, but check --strict reports event handlers and javascript: URLs
# ---------------------------------------------------------------------------------------------

RAW_HTML = {
    "onclick": ('<p onclick="alert(1)">Click.</p>', "event handler onclick"),
    "unquoted handler": ("<img src=x.png alt=x onerror=alert(1)>", "event handler onerror"),
    "javascript href": ('<a href="javascript:alert(1)">Go</a>', "javascript: URL"),
    "entity-encoded javascript href": ('<a href="java&#x09;script:alert(1)">Go</a>', "javascript: URL"),
    "unquoted javascript href": ("<a href=javascript:alert(1)>Go</a>", "javascript: URL"),
}


@pytest.mark.parametrize("raw", RAW_HTML)
def test_raw_html_with_script_is_a_strict_check_finding_at_its_line(raw: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, says = RAW_HTML[raw]
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\n{html}\n", encoding="utf-8")
    code, err = run(project, ("check", "--strict"), capsys)
    assert code == 1
    assert any(line.startswith("content/topic.md:8: ") and says in line for line in err.splitlines()), err


@pytest.mark.parametrize("raw", RAW_HTML)
def test_raw_html_with_script_still_builds_without_strict(raw: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\nFirst [@001:p4].\n\n{RAW_HTML[raw][0]}\n", encoding="utf-8")
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 0, err


# ---------------------------------------------------------------------------------------------
# Wrong types: an error at the line, never a repr on a page
# ---------------------------------------------------------------------------------------------

WRONG_VALUES = {"list": ["a", "b"], "mapping": {"a": "b"}, "number": 42, "boolean": True}
TYPED_FIELDS: dict[str, tuple[Callable[[object], dict[str, object]], str, str]] = {
    "site.yaml description": (lambda value: data(settings={"description": value}), "site.yaml", "description"),
    "site.yaml disclaimer": (lambda value: data(settings={"disclaimer": value}), "site.yaml", "disclaimer"),
    "sources.yaml url": (lambda value: data(source={"url": value}), "seeds/sources.yaml", "url"),
    "sources.yaml date": (lambda value: data(source={"date": value}), "seeds/sources.yaml", "date"),
    "references.yaml journal": (lambda value: data(references={"journal": value}), "content/references.yaml", "journal"),
    "references.yaml note": (lambda value: data(references={"note": value}), "content/references.yaml", "note"),
    "references.yaml url": (lambda value: data(references={"url": value}), "content/references.yaml", "url"),
    "references.yaml title": (lambda value: data(references={"title": value}), "content/references.yaml", "title"),
    "glossary.yaml aliases": (lambda value: data(glossary=[{"term": "Aura", "definition": "Lights.", "aliases": [value]}]), "content/glossary.yaml", "aliases"),
}


@pytest.mark.parametrize("kind", WRONG_VALUES)
@pytest.mark.parametrize("field", TYPED_FIELDS)
def test_a_value_of_the_wrong_type_is_an_error_at_its_line(field: str, kind: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files, relative, key = TYPED_FIELDS[field]
    value = WRONG_VALUES[kind]
    if kind == "number" and field.startswith(("references.yaml journal", "references.yaml note")):
        value = 4.5  # a whole number is the text of a volume or an issue; a fraction is text nowhere
    write_data(project, files(value))
    lines = (project / relative).read_text(encoding="utf-8").splitlines()
    expected = line_of(project, relative, key)
    if field == "glossary.yaml aliases":
        expected += 1  # the list item itself
    fails_cleanly(project, capsys, relative, expected if len(lines) >= expected else None, "")


@pytest.mark.parametrize("field", ["site.yaml title", "sources.yaml title", "references.yaml title", "glossary.yaml definition"])
def test_a_required_text_left_empty_is_an_error_at_its_line(field: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "site.yaml title": (data(settings={"title": None}), "site.yaml", "title"),
        "sources.yaml title": (data(source={"title": None}), "seeds/sources.yaml", "title"),
        "references.yaml title": (data(references={"title": None}), "content/references.yaml", "title"),
        "glossary.yaml definition": (data(glossary=[{"term": "Aura", "definition": None}]), "content/glossary.yaml", "definition"),
    }
    written, relative, key = files[field]
    write_data(project, written)
    fails_cleanly(project, capsys, relative, line_of(project, relative, key), f"missing required key {key!r}")


def test_a_control_character_in_a_text_field_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(source={"publisher": "Clinic\x1b[31m"}))
    fails_cleanly(project, capsys, "seeds/sources.yaml", line_of(project, "seeds/sources.yaml", "publisher"), "U+001B")


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2022-13-01", "2022-02-30", "0000-01-01", "2022-1-1", "soon", "99999-01-01"])
def test_an_impossible_source_date_is_an_error_at_its_line(date: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(source={"date": date}))
    fails_cleanly(project, capsys, "seeds/sources.yaml", line_of(project, "seeds/sources.yaml", "date"), "date")


@pytest.mark.parametrize("year", [0, -5, 10000, 10**30])
def test_a_publication_year_beyond_the_calendar_is_an_error(year: int, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_data(project, data(references={"year": year}))
    fails_cleanly(project, capsys, "content/references.yaml", line_of(project, "content/references.yaml", "year"), "year")


@pytest.mark.parametrize("reviewed", ["'2026-02-30'", "'2026-13-01'", "'20260115'", "[2026]"])
def test_an_impossible_reviewed_date_is_an_error_at_its_line(reviewed: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\nreviewed: {reviewed}\n---\n\nFirst [@001:p4].\n", encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 4, "reviewed")


def test_a_review_date_whose_next_review_overflows_the_calendar_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text("---\ntitle: A topic\norder: 1\nreviewed: 9999-12-01\n---\n\nFirst [@001:p4].\n", encoding="utf-8")
    fails_cleanly(project, capsys, "content/topic.md", 4, "9999-12-31")


@pytest.mark.parametrize("epoch", ["99999999999999", "-1e30", "abc", "1.5", "٣", "-99999999999999", "9" * 30])
def test_an_invalid_source_date_epoch_is_one_error_naming_it(
    epoch: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    before = snapshot(project / "site")
    code, err = run(project, ("build", "--no-search"), capsys)
    assert code == 1 and "Traceback" not in err
    problems = [line for line in err.splitlines() if not line.startswith("build failed")]
    assert len(problems) == 1 and problems[0].startswith("SOURCE_DATE_EPOCH: "), err
    assert snapshot(project / "site") == before
