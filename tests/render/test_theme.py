"""The theme's page furniture, read from rendered HTML: metadata (Open Graph, canonical, JSON-LD),
review dates, previous/next topics, glossary definitions on terms, promotional labels, the search
box hidden where scripts do not run."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from projects import page

from sitegen.pipeline import build

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "first.md": "---\ntitle: First topic\ndescription: The first one.\norder: 1\nreviewed: 2026-01-15\n---\nA fact about the brain [@001:p4].\n",
    "second.md": page("Second topic", "Another fact [@001:p2].\n", order=2),
}
GLOSSARY = "- term: brain\n  definition: The organ that *thinks*.\n"


def page_html(root: Path, output: str) -> str:
    return build(root, write=False).outputs[output].decode("utf-8")


def json_ld(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_no_canonical_or_open_graph_without_base_url(make_project: Callable[..., Path]) -> None:
    html = page_html(make_project(PAGES), "first/index.html")
    assert 'rel="canonical"' not in html and 'property="og:' not in html


def test_canonical_and_open_graph_with_base_url(make_project: Callable[..., Path]) -> None:
    root = make_project(PAGES)
    (root / "site.yaml").write_text("title: Test site\nlanguage: en\nbase_url: https://example.org/guide/\n", encoding="utf-8")
    html = page_html(root, "first/index.html")
    assert '<link rel="canonical" href="https://example.org/guide/first/">' in html
    assert '<meta property="og:url" content="https://example.org/guide/first/">' in html
    assert '<meta property="og:title" content="First topic · Test site">' in html
    assert '<meta property="og:description" content="The first one.">' in html


def test_json_ld_describes_a_web_page_about_nothing_by_default(make_project: Callable[..., Path]) -> None:
    data = json_ld(page_html(make_project(PAGES), "first/index.html"))
    assert data["@type"] == "WebPage"
    assert data["lastReviewed"] == "2026-01-15"
    assert "about" not in data


def test_footer_gives_review_and_next_review_dates(make_project: Callable[..., Path]) -> None:
    html = page_html(make_project(PAGES), "first/index.html")
    text = re.sub(r"<[^>]+>", "", html)
    assert "Page last reviewed: 15 January 2026 · Next review due: 15 January 2027" in text


def test_topic_pages_link_previous_and_next_in_reading_order(make_project: Callable[..., Path]) -> None:
    outputs = build(make_project(PAGES), write=False).outputs
    first, second = outputs["first/index.html"].decode(), outputs["second/index.html"].decode()
    assert 'href="../second/" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="../first/" rel="prev"' in second and 'rel="next"' not in second


def test_glossary_term_carries_its_definition_as_plain_text(make_project: Callable[..., Path]) -> None:
    root = make_project({**PAGES, "glossary.md": page("Glossary")})
    (root / "content" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    html = page_html(root, "first/index.html")
    assert re.search(r'<a class="term"[^>]* title="The organ that thinks\."[^>]*>brain</a>', html)


def references(html: str) -> list[str]:
    """The entries of the page's reference list, in order."""
    return re.findall(r'<li id="ref-\d+">.*?</li>', html, re.S)


TWO_PASSAGES = {"index.md": page("Home", "Home.\n"), "first.md": page("First", "One [@001:p4]. Two [@001:p2].\n", order=1)}


def test_promotional_source_is_labelled_in_every_reference(make_project: Callable[..., Path]) -> None:
    entries = references(page_html(make_project(TWO_PASSAGES), "first/index.html"))
    assert len(entries) == 2 and all('<span class="label-promotional">promotional</span>' in entry for entry in entries)


def test_source_is_named_in_full_at_its_first_reference_then_by_its_publisher(make_project: Callable[..., Path]) -> None:
    first, second = references(page_html(make_project(TWO_PASSAGES), "first/index.html"))
    assert '<a class="ref-passage" href="../sources/001/#p4">Example Clinic, “Example Article”, p4</a>' in first
    assert '<a class="ref-passage" href="../sources/001/#p2">Example Clinic, p2</a>' in second


def test_sources_of_one_publisher_are_always_named_in_full(make_project: Callable[..., Path]) -> None:
    other = "Another Article\n\nIts only paragraph.\n"
    digest = hashlib.sha256(other.encode("utf-8")).hexdigest()
    pages = {**TWO_PASSAGES, "first.md": page("First", "One [@001:p4]. Two [@002:p2]. Three [@001:p2].\n", order=1)}
    entry = ["\"002\":", "  title: Another Article", "  publisher: Example Clinic", "  kind: article", f"  sha256: {digest}"]
    root = make_project(pages, sources_extra=("\n" + " " * 12).join(entry))  # under the indentation of the template
    (root / "seeds" / "002_other.txt").write_text(other, encoding="utf-8")
    entries = references(page_html(root, "first/index.html"))
    assert ["“Example Article”" in entries[0], "“Another Article”" in entries[1], "“Example Article”" in entries[2]] == [True, True, True]


def test_a_topic_page_has_breadcrumbs_from_home_to_itself(make_project: Callable[..., Path]) -> None:
    html = page_html(make_project(PAGES), "first/index.html")
    trail = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert trail, "no breadcrumbs"
    assert re.findall(r">([^<>]+)</(?:a|span)>", trail.group(1)) == ["Home", "First topic"]
    assert '<span aria-current="page">First topic</span>' in trail.group(1)


def test_the_home_page_has_no_breadcrumbs(make_project: Callable[..., Path]) -> None:
    assert 'class="breadcrumbs"' not in page_html(make_project(PAGES), "index.html")


def test_the_head_gives_a_theme_colour_for_each_scheme(make_project: Callable[..., Path]) -> None:
    html = page_html(make_project(PAGES), "first/index.html")
    schemes = re.findall(r'<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: (light|dark)\)">', html)
    assert schemes == ["light", "dark"]
