"""Rendering: templates to `{path: bytes}`, template errors with file:line, assets, sitemap, relative links."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import page

from sitegen.check.links import link_problems
from sitegen.core.errors import BuildError
from sitegen.pipeline import build

HOME = page("Home", "Welcome [@001:p2].\n")
# The pages the shared footer links to, so that a site built from these has no broken link.
COMPLETE = {
    "index.md": HOME,
    "glossary.md": page("Glossary", "Terms.\n"),
    "sources.md": page("Sources", "Seeds.\n"),
    "about.md": page("About", "About.\n"),
}
NESTED = {
    **COMPLETE,
    "topic.md": page("Topic", "A fact [@001:p4]. See [deep](guide/deep.md#later).\n", order=1),
    "guide/index.md": page("Guide", "Guide [@001:p2].\n", order=2),
    "guide/deep.md": page("Deep", "Back to [topic](../topic.md) and [home](../index.md).\n\n## Later\n\nText.\n", order=3),
}


def outputs_of(root: Path) -> dict[str, bytes]:
    return build(root, write=False).outputs


def html(outputs: dict[str, bytes], path: str) -> str:
    return outputs[path].decode("utf-8")


def template_error(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        build(root, write=False)
    return [str(p) for p in info.value.problems]


def test_template_syntax_error_names_the_template_file_and_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "templates" / "page.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n', encoding="utf-8")
    [message] = template_error(root)
    assert message.startswith(f"{root / 'templates' / 'page.html'}:3: template syntax error")


def test_undefined_variable_is_an_error_at_its_template_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "templates" / "page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ page.title }}</p>\n{{ no_such_thing }}\n{% endblock %}\n', encoding="utf-8"
    )
    [message] = template_error(root)
    assert message.startswith(f"{root / 'templates' / 'page.html'}:4: undefined in template")
    assert "no_such_thing" in message


def test_output_maps_pretty_urls_to_index_files(make_project: Callable[..., Path]) -> None:
    outputs = outputs_of(make_project(NESTED))
    assert {"index.html", "topic/index.html", "guide/index.html", "guide/deep/index.html", "sources/001/index.html", "404.html"} <= set(outputs)


def test_no_sitemap_or_robots_without_a_base_url(make_project: Callable[..., Path]) -> None:
    outputs = outputs_of(make_project())
    assert "sitemap.xml" not in outputs and "robots.txt" not in outputs


def test_sitemap_lists_absolute_urls_of_pages_and_sources_when_base_url_is_set(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/guide\n", encoding="utf-8")
    sitemap = html(outputs_of(root), "sitemap.xml")
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert locs == ["https://example.org/guide/", "https://example.org/guide/topic/", "https://example.org/guide/sources/001/"]
    assert "<lastmod>2026-01-15</lastmod>" in sitemap


def test_robots_txt_points_at_the_sitemap(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    assert "Sitemap: https://example.org/sitemap.xml" in html(outputs_of(root), "robots.txt")


def test_canonical_link_uses_the_base_url(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/topic/">' in html(outputs_of(root), "topic/index.html")


def test_static_assets_are_published_under_content_hashed_names(make_project: Callable[..., Path]) -> None:
    root = make_project()
    data = (root / "static" / "style.css").read_bytes()
    expected = f"static/style.{hashlib.sha256(data).hexdigest()[:10]}.css"
    outputs = outputs_of(root)
    assert outputs[expected] == data
    assert "static/style.css" not in outputs


def test_pages_reference_assets_by_their_hashed_names(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "static" / "style.css").write_text("body { color: black; }\n", encoding="utf-8")
    digest = hashlib.sha256(b"body { color: black; }\n").hexdigest()[:10]
    page = html(outputs_of(root), "topic/index.html")
    assert f'href="../static/style.{digest}.css"' in page


def test_not_found_page_links_are_root_absolute(make_project: Callable[..., Path]) -> None:
    page = html(outputs_of(make_project()), "404.html")
    links = re.findall(r'(?:href|src)="([^"#][^"]*)"', page)
    assert links
    assert all(link.startswith("/") for link in links if "://" not in link)


def test_not_found_page_under_a_sub_path_starts_links_with_that_path(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: T\nbase_url: https://example.org/guide/\n", encoding="utf-8")
    page = html(outputs_of(root), "404.html")
    assert re.search(r'href="/guide/static/style\.[0-9a-f]{10}\.css"', page)


@pytest.fixture
def nested_outputs(make_project: Callable[..., Path]) -> dict[str, bytes]:
    return outputs_of(make_project(NESTED))


def test_every_internal_link_of_a_nested_site_is_relative(nested_outputs: dict[str, bytes]) -> None:
    for path, data in nested_outputs.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        for link in re.findall(r'(?:href|src)="([^"]*)"', data.decode("utf-8")):
            assert not link.startswith("/"), f"{path} links to {link}"


def test_every_link_of_a_nested_site_resolves(nested_outputs: dict[str, bytes]) -> None:
    assert link_problems(nested_outputs) == []


def test_nested_page_climbs_to_the_site_root(nested_outputs: dict[str, bytes]) -> None:
    page = html(nested_outputs, "guide/deep/index.html")
    assert 'href="../../topic/"' in page
    assert re.search(r'href="\.\./\.\./static/style\.[0-9a-f]{10}\.css"', page)


def test_source_page_gives_every_passage_its_anchor_and_marks_exclusions(nested_outputs: dict[str, bytes]) -> None:
    page = html(nested_outputs, "sources/001/index.html")
    assert [int(n) for n in re.findall(r'<li id="p(\d+)"', page)] == [1, 2, 3, 4, 5]
    assert re.search(r'<li id="p5"[^>]*passage-excluded', page)
    assert "Advertising for the clinic&#39;s services, no medical facts" in page


def test_source_page_links_each_cited_passage_back_to_the_citation(nested_outputs: dict[str, bytes]) -> None:
    page = html(nested_outputs, "sources/001/index.html")
    passage = re.search(r'<li id="p4".*?</li>', page, re.DOTALL)
    assert passage is not None and 'href="../../topic/#cite-1-1"' in passage.group(0)


def test_page_text_is_html_escaped(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": "---\ntitle: Fish & <chips>\n---\nText.\n"})
    assert "<h1>Fish &amp; &lt;chips&gt;</h1>" in html(outputs_of(root), "topic/index.html")


def test_a_site_without_glossary_or_sources_pages_links_to_neither(make_project: Callable[..., Path]) -> None:
    root = make_project()  # only a home page and one topic: no content/glossary.md, no content/sources.md
    result = build(root, write=False)
    assert link_problems(result.outputs) == []
    for name in ("index.html", "topic/index.html", "sources/001/index.html"):
        html = result.outputs[name].decode("utf-8")
        assert 'sources/"' not in html.replace("sources/001/", "")
        assert 'glossary/"' not in html


FLAT_PAGE_TEMPLATE = (
    "<p>{{ page.title }}|{{ page.description }}|{{ page.url }}|{{ page.reviewed|date('iso') }}|{{ page.next_review|date('iso') }}"
    "|{{ page.references|length }}</p>\n{{ page.html|safe }}\n"
)


def test_a_page_template_reads_front_matter_and_content_on_the_page_itself(make_project: Callable[..., Path]) -> None:
    root = make_project(pages={
        "index.md": HOME,
        "topic.md": "---\ntitle: A topic\ndescription: What it is about.\norder: 1\nreviewed: 2026-01-15\n---\nA fact [@001:p4].\n",
    })
    (root / "templates" / "page.html").write_text(FLAT_PAGE_TEMPLATE, encoding="utf-8")
    page = html(outputs_of(root), "topic/index.html")
    assert page.startswith("<p>A topic|What it is about.|topic/|2026-01-15|2027-01-15|1</p>\n<p>A fact")


def test_a_page_template_reading_a_nested_page_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "templates" / "page.html").write_text("<p>{{ page.title }}</p>\n<p>{{ page.page.description }}</p>\n", encoding="utf-8")
    messages = template_error(root)
    assert messages and all(m.startswith(f"{root / 'templates' / 'page.html'}:2: undefined in template") for m in messages)
