"""`sitegen review`: one self-contained HTML file, every statement beside what it cites, findings marked in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import COMPLETE, page, run

SEED = (
    "Example Article\n\nRelief came in 77 % of 61 people. It may help <script>alert(1)</script> inhibit pain.\n\n"
    "Section Two\n\nThe second paragraph, with a fact worth citing.\n\nThe third paragraph, promotional and excluded.\n"
)
TOPIC = page("A topic", 'Relief came in 80 % of people, "swiftly" [@001:p2].\n\nA fact [@001:p4].\n', order=1)


@pytest.fixture
def project(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project({**COMPLETE, "topic.md": TOPIC}, seed_text=SEED)
    monkeypatch.chdir(root)
    return root


def _review(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    return run(root, ("review", *args), capsys)


def test_review_writes_review_html_in_the_project_folder_by_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _review(project, capsys)
    assert code == 0, err
    assert (project / "review.html").is_file()


def test_each_statement_is_shown_beside_the_full_text_of_the_passage_it_cites(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review(project, capsys)
    html = (project / "review.html").read_text(encoding="utf-8")
    statement = html.index("Relief came in 80 % of people")
    assert html.index("Relief came in 77 % of 61 people.", statement) > statement


def test_the_seeds_text_is_escaped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review(project, capsys)
    html = (project / "review.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_quote_and_number_findings_are_marked_in_words_at_their_statement(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review(project, capsys)
    html = (project / "review.html").read_text(encoding="utf-8")
    assert "Check: Quote not found.</strong> quoted words not in the cited passage" in html
    assert "Check: Number not found.</strong> number \u201c80 %\u201d not in the cited passage" in html


def test_the_softening_warning_is_marked_in_words(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    hedged = SEED.replace("<script>alert(1)</script> ", "")
    root = make_project({**COMPLETE, "topic.md": page("A topic", "It inhibits pain [@001:p2].\n\nA fact [@001:p4].\n", order=1)}, seed_text=hedged)
    run(root, ("review",), capsys)
    assert "Check: Possibly stronger than the source.</strong> warning: the cited passage hedges" in (root / "review.html").read_text(encoding="utf-8")


def test_each_statement_links_to_its_file_and_names_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review(project, capsys, "--out", "sheets/review.html")
    html = (project / "sheets" / "review.html").read_text(encoding="utf-8")
    line = TOPIC.splitlines().index('Relief came in 80 % of people, "swiftly" [@001:p2].') + 1
    assert f'<a href="../content/topic.md">content/topic.md</a>, line {line}: paragraph' in html


def test_the_review_needs_no_script_and_makes_no_request(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review(project, capsys)
    html = (project / "review.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "src=" not in html and "@media print" in html


def test_named_pages_alone_are_reviewed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _review(project, capsys, "topic.md")
    html = (project / "review.html").read_text(encoding="utf-8")
    assert code == 0, err
    assert "content/topic.md" in html and "content/index.md" not in html


def test_an_unknown_page_is_a_one_line_error_naming_the_pages_there_are(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _review(project, capsys, "nope.md")
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0] == "content: no page 'nope.md': the pages are index.md, topic.md, about.md, glossary.md, sources.md"
    assert not (project / "review.html").exists()


def test_a_review_inside_the_output_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _review(project, capsys, "--out", "site/review.html")
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0].startswith("site/review.html: the review is written outside the output folder (site/)")
    assert not (project / "site" / "review.html").exists()
