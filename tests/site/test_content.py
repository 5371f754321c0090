"""Tests of the educational content: the pages, the glossary, the bibliography and the seed exclusions.

The first group reads the files in content/ and seeds/ directly. The second builds the real project
once (with the engine's command line, into a temporary folder) and inspects the rendered HTML.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]  # the repository
CONTENT = ROOT / "content"

TOPIC_PAGES = ("ketamine", "migraine", "migraine-stages", "causes-and-triggers", "mechanisms", "claims", "evidence", "research", "safety", "who-should-not")
OTHER_PAGES = ("index", "glossary", "sources", "about")
ALL_PAGES = TOPIC_PAGES + OTHER_PAGES
FRONT_MATTER_KEYS = {"title", "description", "order", "slug", "reviewed", "statements"}
CITATION = re.compile(r"\[(@[^\[\]\n]*)\]")
KEY_POINTS_OPENING = '!!! summary "Key points"'
GENERIC_REASONS = {"unused", "not used", "excluded", "irrelevant", "not relevant", "n/a", "na", "none", "skip", "skipped", "other", "misc"}
KNOWN_PUBLICATIONS = {
    "schwenk2018": "10.1097/AAP.0000000000000827",
    "ichd3": "10.1177/0333102417738202",
    "etchison2018": "10.5811/westjem.2018.8.37875",
    "chah2021": "10.17245/jdapm.2021.21.5.413",
    "hoydonckx2023": "10.1080/24740527.2023.2210167",
    "goadsby2017": "10.1152/physrev.00034.2015",
    "ailani2021": "10.1111/head.14153",
}
KNOWN_WEB_PUBLICATIONS = {  # publications without a DOI, by the address they were checked at
    "fda2023": "https://lexichronic.com/letter-10-october-fda-warns-patients-and-health-care-providers-about-potential-risks-associated-with-compounded-ketamine-products-including-oral-formulations-for-the-treatment-of-psychiatric-disord/",
    "ketamine-label": "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=390f2db8-0fcd-4648-b584-9effa084be27",
    "ketalar-smpc": "https://rxreasoner.com/monographs/ketalar/precautions",
}


# --- reading the files ---------------------------------------------------------------------------


def split_page(slug: str) -> tuple[dict, str]:
    text = (CONTENT / f"{slug}.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].strip() == "---", f"{slug}.md must start with front matter"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return yaml.safe_load("\n".join(lines[1:end])) or {}, "\n".join(lines[end + 1 :])


def key_points(body: str) -> list[str]:
    """The list items of the opening key-points admonition."""
    lines = body.strip("\n").split("\n")
    items: list[str] = []
    for line in lines[1:]:
        if not line.strip():
            if items:
                break
            continue
        if not line.startswith("    "):
            break
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:])
        elif items:
            items[-1] += " " + stripped
    return items


def glossary() -> list[dict]:
    return yaml.safe_load((CONTENT / "glossary.yaml").read_text(encoding="utf-8"))


def term_pattern(entry: dict) -> re.Pattern[str]:
    names = [entry["term"], *(entry.get("aliases") or [])]
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


@functools.cache
def load_stats_script():
    """scripts/content_stats.py, imported by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("content_stats", ROOT / "scripts" / "content_stats.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up while the class is defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("slug", ALL_PAGES)
def test_page_exists_with_title_and_description(slug: str) -> None:
    meta, _ = split_page(slug)
    assert isinstance(meta.get("title"), str) and meta["title"].strip()
    assert isinstance(meta.get("description"), str) and meta["description"].strip()


@pytest.mark.parametrize("slug", ALL_PAGES)
def test_front_matter_uses_only_contract_keys(slug: str) -> None:
    meta, _ = split_page(slug)
    assert set(meta) <= FRONT_MATTER_KEYS


@pytest.mark.parametrize("slug", ALL_PAGES)
def test_page_has_review_date(slug: str) -> None:
    meta, _ = split_page(slug)
    assert meta.get("reviewed") is not None


def test_topic_pages_are_numbered_in_reading_order() -> None:
    orders = [split_page(slug)[0].get("order") for slug in TOPIC_PAGES]
    assert orders == list(range(1, len(TOPIC_PAGES) + 1))


@pytest.mark.parametrize("slug", OTHER_PAGES)
def test_non_topic_pages_stay_out_of_the_topic_order(slug: str) -> None:
    assert "order" not in split_page(slug)[0]


@pytest.mark.parametrize("slug", ALL_PAGES)
def test_body_has_no_level_one_heading(slug: str) -> None:
    _, body = split_page(slug)
    assert not re.search(r"^#\s", body, re.MULTILINE), "the page title is the h1; start sections at ##"


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_topic_page_opens_with_key_points(slug: str) -> None:
    _, body = split_page(slug)
    assert body.strip().split("\n")[0].strip() == KEY_POINTS_OPENING


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_key_points_have_three_to_five_items(slug: str) -> None:
    _, body = split_page(slug)
    assert 3 <= len(key_points(body)) <= 5


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_every_key_point_is_cited(slug: str) -> None:
    _, body = split_page(slug)
    uncited = [item for item in key_points(body) if not CITATION.search(item)]
    assert not uncited


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_topic_page_has_at_least_three_citations(slug: str) -> None:
    _, body = split_page(slug)
    assert len(CITATION.findall(body)) >= 3


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_topic_page_reads_at_grade_nine_or_lower(slug: str) -> None:
    stats = load_stats_script().page_stats(CONTENT / f"{slug}.md")
    assert stats.grade <= 9.0, f"{slug}: Flesch–Kincaid grade {stats.grade:.1f}"


def test_glossary_ids_are_unique() -> None:
    ids = [entry["id"] for entry in glossary()]
    assert len(ids) == len(set(ids))


def test_glossary_definitions_carry_no_citations() -> None:
    cited = [entry["term"] for entry in glossary() if CITATION.search(entry["definition"])]
    assert not cited


def test_every_glossary_term_is_used_on_a_page() -> None:
    text = "\n".join(split_page(slug)[1] for slug in ALL_PAGES if slug != "glossary")
    unused = [entry["term"] for entry in glossary() if not term_pattern(entry).search(text)]
    assert not unused


def test_bibliography_holds_only_checked_publications() -> None:
    references = yaml.safe_load((CONTENT / "references.yaml").read_text(encoding="utf-8"))
    assert {key: entry["doi"] for key, entry in references.items() if "doi" in entry} == KNOWN_PUBLICATIONS
    assert {key: entry["url"] for key, entry in references.items() if "doi" not in entry} == KNOWN_WEB_PUBLICATIONS


def sources_metadata() -> dict:
    return yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text(encoding="utf-8"))


def exclusions() -> list[tuple[str, str, object]]:
    return [(seed, passage, reason) for seed, entry in sources_metadata().items() for passage, reason in (entry.get("exclude") or {}).items()]


def test_exclusion_reasons_are_not_empty() -> None:
    empty = [(seed, passage) for seed, passage, reason in exclusions() if not isinstance(reason, str) or not reason.strip()]
    assert not empty


def test_exclusion_reasons_are_not_generic() -> None:
    generic = [
        (seed, passage)
        for seed, passage, reason in exclusions()
        if str(reason).strip().lower().rstrip(".") in GENERIC_REASONS or len(str(reason).split()) < 6
    ]
    assert not generic


# --- the built site --------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self, skip=lambda node: False) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not skip(child):
                parts.append(child.text(skip))
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent  # type: ignore[assignment]
        if node is not self.root:
            self.current = node.parent  # type: ignore[assignment]

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def page_file(site: Path, slug: str) -> Path:
    return site / "index.html" if slug == "index" else site / slug / "index.html"


def main_content(tree: Node) -> Node:
    return next(node for node in tree.iter() if node.tag == "div" and "content" in node.classes)


def is_editorial(node: Node) -> bool:
    return any("admonition" in a.classes and a.classes & {"note", "warning"} for a in node.ancestors())


def has_citation(node: Node) -> bool:
    return any(child.tag == "sup" and "cite" in child.classes for child in node.iter())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sitegen.commands.cli", reason="the engine (sitegen/) is not there yet")
    from sitegen.commands.cli import main

    out = tmp_path_factory.mktemp("build") / "site"
    assert main(["--project", str(ROOT), "build", "--out", str(out)]) == 0
    return out


def test_check_strict_passes_on_the_real_content() -> None:
    pytest.importorskip("sitegen.commands.cli", reason="the engine (sitegen/) is not there yet")
    from sitegen.commands.cli import main

    assert main(["--project", str(ROOT), "check", "--strict"]) == 0


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_no_uncited_paragraph_outside_editorial_notes(site: Path, slug: str) -> None:
    content = main_content(parse_html(page_file(site, slug)))
    uncited = [
        node.text().strip()[:80]
        for node in content.iter()
        if node.tag in ("p", "li")
        and "admonition-title" not in node.classes
        and node.text().strip()
        and not is_editorial(node)
        and not has_citation(node)
    ]
    assert not uncited


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_topic_page_shows_a_references_list(site: Path, slug: str) -> None:
    tree = parse_html(page_file(site, slug))
    section = next((n for n in tree.iter() if n.tag == "section" and "references" in n.classes), None)
    assert section is not None
    assert any(n.tag == "li" for n in section.iter())


@pytest.mark.parametrize("slug", TOPIC_PAGES)
def test_topic_page_shows_key_points_box(site: Path, slug: str) -> None:
    content = main_content(parse_html(page_file(site, slug)))
    boxes = [n for n in content.iter() if n.tag == "div" and {"admonition", "summary"} <= n.classes]
    assert len(boxes) == 1


def test_every_glossary_term_is_linked_on_some_page(site: Path) -> None:
    linked: set[str] = set()
    for slug in ALL_PAGES:
        if slug != "glossary":
            tree = parse_html(page_file(site, slug))
            linked |= {n.attrs["data-term"] for n in tree.iter() if n.tag == "a" and "data-term" in n.attrs}
    missing = [entry["id"] for entry in glossary() if entry["id"] not in linked]
    assert not missing


_NO_TERMS = {"a", "sup", "code", "pre", "abbr", "figure", "h1", "h2", "h3", "h4", "h5", "h6"}  # figures link no terms


@pytest.mark.parametrize("slug", [s for s in ALL_PAGES if s != "glossary"])
def test_page_links_the_glossary_terms_it_uses(site: Path, slug: str) -> None:
    content = main_content(parse_html(page_file(site, slug)))
    linked = {n.attrs["data-term"] for n in content.iter() if n.tag == "a" and "data-term" in n.attrs}
    text = content.text(skip=lambda n: n.tag in _NO_TERMS or "admonition-title" in n.classes)
    used = {entry["id"] for entry in glossary() if term_pattern(entry).search(text)}
    assert used <= linked, f"terms used but not linked: {sorted(used - linked)}"


def test_glossary_page_lists_every_term(site: Path) -> None:
    tree = parse_html(page_file(site, "glossary"))
    ids = {n.attrs.get("id") for n in tree.iter() if n.tag == "dt"}
    assert {entry["id"] for entry in glossary()} <= ids
