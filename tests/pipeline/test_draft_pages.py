"""`draft: true`: a page shown by the dev server, with a banner, and left out of everything a build
publishes (the page itself, the navigation, the sitemap, the search index) and of seed coverage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.commands.cli import main
from sitegen.commands.preview import Preview
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from tests.projects import HOME, assert_clean_failure, page, run, write

DRAFT = page("A draft", "> A fact, quoted. [@001:p4]\n", draft="true", order=2)
TOPIC_CITING_P2 = page("A topic", "A fact [@001:p2].\n", order=1)


def _project(make_project: Callable[..., Path], topic: str = TOPIC_CITING_P2) -> Path:
    root = make_project({"index.md": HOME, "topic.md": topic, "drafts/note.md": DRAFT})
    write(root / "site.yaml", "title: Test site\nlanguage: en\nbase_url: https://example.org/\n")  # a sitemap needs absolute URLs
    return root


def test_a_build_writes_no_page_for_a_draft(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = _project(make_project)
    build(root, Memo.off(), out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "topic" / "index.html").is_file()
    assert not (tmp_path / "out" / "drafts").exists()


def test_a_build_leaves_a_draft_out_of_the_navigation_and_the_sitemap(make_project: Callable[..., Path]) -> None:
    result = build(_project(make_project), Memo.off(), write=False)
    assert [p.url for p in result.site.nav] == ["topic/"]
    assert "drafts/note/" not in result.outputs["sitemap.xml"].decode()
    assert not any(b"drafts/note/" in data for name, data in result.outputs.items() if name.endswith(".html"))


def test_the_dev_server_shows_a_draft_with_a_draft_banner(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = _project(make_project)
    Preview(root, tmp_path / "served").rebuild()
    shown = (tmp_path / "served" / "drafts" / "note" / "index.html").read_text(encoding="utf-8")
    assert '<p class="admonition warning draft-banner" role="note"><strong>Draft.</strong>' in shown
    assert "A fact, quoted." in shown


def test_the_dev_server_keeps_a_draft_out_of_the_search_index(make_project: Callable[..., Path]) -> None:
    outputs = build(_project(make_project), Memo.off(), write=False, drafts=True).outputs
    assert b"data-pagefind-body" in outputs["topic/index.html"]
    assert b"data-pagefind-body" not in outputs["drafts/note/index.html"]  # Pagefind then indexes only the pages that carry it


def test_the_dev_server_keeps_a_draft_out_of_the_navigation_and_the_sitemap(make_project: Callable[..., Path]) -> None:
    result = build(_project(make_project), Memo.off(), write=False, drafts=True)
    assert [p.url for p in result.site.nav] == ["topic/"]
    assert "drafts/note/" not in result.outputs["sitemap.xml"].decode()
    assert b'href="../drafts/note/"' not in result.outputs["topic/index.html"]


def test_the_dev_server_reports_no_draft_as_an_orphan(make_project: Callable[..., Path]) -> None:
    result = build(_project(make_project), Memo.off(), write=False, drafts=True)
    assert not [f for f in result.findings if f.path.endswith("note.md")]


def test_a_passage_cited_only_by_a_draft_is_not_yet_cited(make_project: Callable[..., Path]) -> None:
    for drafts in (False, True):
        findings = build(_project(make_project), Memo.off(), write=False, drafts=drafts).findings
        assert [f.message for f in findings if f.path.endswith("001_example.txt")] == ["p4 is neither cited by any page nor excluded in seeds/sources.yaml"]


def test_check_counts_a_passage_cited_only_by_a_draft_as_uncited_and_names_the_draft(make_project: Callable[..., Path], capsys) -> None:
    root = _project(make_project)
    assert main(["--project", str(root), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["001", "5", "3", "1", "1", "1"]  # seed, passages, paragraphs, cited, excluded, uncited
    assert "1 draft left out (draft: true; its citations count as uncited): drafts/note.md" in out


def test_a_passage_a_published_page_cites_too_is_cited(make_project: Callable[..., Path]) -> None:
    topic = page("A topic", "A fact [@001:p2]. Another [@001:p4].\n", order=1)
    findings = build(_project(make_project, topic), Memo.off(), write=False).findings
    assert not [f for f in findings if f.path.endswith("001_example.txt")]


def test_draft_must_be_true_or_false(make_project: Callable[..., Path], capsys) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("A topic", "A fact [@001:p4].\n", draft="maybe")})
    code, err = run(root, ("build",), capsys, in_subprocess=True)
    assert_clean_failure(code, err, "content/topic.md", 3, "'draft' must be true or false, not text")


def test_a_glossary_whose_page_is_a_draft_has_no_page_in_a_build(make_project: Callable[..., Path], capsys) -> None:
    root = make_project({"index.md": HOME, "topic.md": TOPIC_CITING_P2, "glossary.md": page("Glossary", "Terms.\n", draft="true")})
    write(root / "content" / "glossary.yaml", "- term: fact\n  definition: Something true.\n")
    code, err = run(root, ("build",), capsys, in_subprocess=True)
    assert_clean_failure(code, err, "content/glossary.yaml", 1, "no glossary page to show them")
