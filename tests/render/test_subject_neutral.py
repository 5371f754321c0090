"""The engine and the default theme speak of no subject: what a page is and is about (its JSON-LD),
the disclaimer's label and the note on a promotional source come from the project's settings, front
matter and sources, with neutral defaults, and hostile values stay text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from projects import ROOT, page

from sitegen.pipeline import build

# Words of the example site's subject (and of its neighbours): none belongs in the engine or the theme.
SUBJECT_WORDS = (
    "ketamine", "migraine", "medical", "medicine", "health", "drug", "clinic", "patient", "doctor", "physician",
    "pharmac", "nurse", "hospital", "treatment", "therapy", "symptom", "headache", "diagnos", "disease",
)
ENGINE_AND_THEME = ("sitegen", "templates", "static")
TEXT_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".txt", ".json", ".toml", ".yaml", ".md"}
SITE = "title: Test site\nlanguage: en\n"
SITE_ABOUT = SITE + "structured_data:\n  type: Article\n  about:\n    - {type: Place, name: Harbour}\n    - Tides\n"


def subject_words_in(folder: Path) -> list[str]:
    """`path:line: word` for each subject word in the text files under `folder`."""
    found = []
    pattern = re.compile("|".join(SUBJECT_WORDS), re.IGNORECASE)
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                found += [f"{path.relative_to(folder).as_posix()}:{number}: {match.group(0)}" for match in pattern.finditer(line)]
    return found


def output(root: Path, name: str, site_yaml: str = SITE) -> str:
    (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return build(root, write=False).outputs[name].decode("utf-8")


def json_ld(html: str) -> dict[str, object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def about(data: dict[str, object]) -> list[tuple[str, str]]:
    return [(thing["@type"], thing["name"]) for thing in data.get("about", [])]  # type: ignore[attr-defined, index]


def topic(**front_matter: object) -> dict[str, str]:
    return {"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": page("A topic", "A fact [@001:p4].\n", order=1, **front_matter)}


def test_the_engine_and_the_theme_name_no_subject() -> None:
    for folder in ENGINE_AND_THEME:
        assert subject_words_in(ROOT / folder) == [], folder


def test_the_scan_reports_a_subject_word_at_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "base.html").write_text("<p>Welcome.</p>\n<p>Our Clinic</p>\n", encoding="utf-8")
    assert subject_words_in(tmp_path / "theme") == ["base.html:2: Clinic"]


def test_the_json_ld_type_and_about_follow_the_settings(make_project: Callable[..., Path]) -> None:
    data = json_ld(output(make_project(topic()), "topic/index.html", SITE_ABOUT))
    assert data["@type"] == "Article"
    assert about(data) == [("Place", "Harbour"), ("Thing", "Tides")]


def test_a_page_sets_its_own_type_and_about_over_the_settings(make_project: Callable[..., Path]) -> None:
    pages = topic(structured_data="{type: HowTo, about: [{type: Event, name: Regatta}]}")
    data = json_ld(output(make_project(pages), "topic/index.html", SITE_ABOUT))
    assert data["@type"] == "HowTo"
    assert about(data) == [("Event", "Regatta")]


def test_a_page_that_sets_only_its_type_keeps_the_sites_about(make_project: Callable[..., Path]) -> None:
    data = json_ld(output(make_project(topic(structured_data="{type: FAQPage}")), "topic/index.html", SITE_ABOUT))
    assert data["@type"] == "FAQPage"
    assert about(data) == [("Place", "Harbour"), ("Thing", "Tides")]


def test_a_page_with_an_empty_about_is_about_nothing(make_project: Callable[..., Path]) -> None:
    data = json_ld(output(make_project(topic(structured_data="{about: []}")), "topic/index.html", SITE_ABOUT))
    assert data["@type"] == "Article"
    assert "about" not in data


def test_without_settings_a_page_is_a_web_page_about_nothing(make_project: Callable[..., Path]) -> None:
    data = json_ld(output(make_project(topic()), "topic/index.html"))
    assert data["@type"] == "WebPage"
    assert "about" not in data


def test_a_name_that_closes_the_script_stays_inside_the_json_ld(make_project: Callable[..., Path]) -> None:
    hostile = '</script><script>alert(1)</script><!-- "&'
    site_yaml = SITE + f"structured_data:\n  about:\n    - {{type: Thing, name: {json.dumps(hostile)}}}\n"
    html = output(make_project(topic()), "topic/index.html", site_yaml)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script and "<" not in script.group(1)
    assert about(json_ld(html)) == [("Thing", hostile)]
    assert "alert(1)" not in html.replace(script.group(1), "")


def test_a_page_name_that_closes_the_script_stays_inside_the_json_ld(make_project: Callable[..., Path]) -> None:
    pages = topic(structured_data="{about: ['</script><b>x</b>']}")
    html = output(make_project(pages), "topic/index.html")
    assert about(json_ld(html)) == [("Thing", "</script><b>x</b>")]
    assert "<b>x</b>" not in html


def test_the_disclaimer_label_follows_the_settings(make_project: Callable[..., Path]) -> None:
    html = output(make_project(topic()), "topic/index.html", SITE + "disclaimer: Read with care.\ndisclaimer_label: Legal notice\n")
    assert "<p><strong>Legal notice:</strong> Read with care.</p>" in html


def test_the_disclaimer_label_is_disclaimer_by_default(make_project: Callable[..., Path]) -> None:
    html = output(make_project(topic()), "topic/index.html", SITE + "disclaimer: Read with care.\n")
    assert "<p><strong>Disclaimer:</strong> Read with care.</p>" in html


def test_an_empty_disclaimer_label_shows_the_disclaimer_alone(make_project: Callable[..., Path]) -> None:
    html = output(make_project(topic()), "topic/index.html", SITE + "disclaimer: Read with care.\ndisclaimer_label: ''\n")
    assert "<p>Read with care.</p>" in html


def test_a_disclaimer_label_is_shown_as_text(make_project: Callable[..., Path]) -> None:
    html = output(make_project(topic()), "topic/index.html", SITE + "disclaimer: Read with care.\ndisclaimer_label: '<img src=x>'\n")
    assert "<strong>&lt;img src=x&gt;:</strong>" in html and "<img src=x>" not in html


def test_a_promotional_sources_note_names_its_kind_and_no_subject(make_project: Callable[..., Path]) -> None:
    html = output(make_project(topic()), "sources/001/index.html")
    note = re.search(r'<p class="promo-note">.*?</p>', html, re.S)
    assert note, "no note on a promotional source"
    assert "(promotional clinic article)" in note.group(0)  # the kind written in sources.yaml
    assert "not as independent evidence." in note.group(0)
