"""Statement coverage in `check`: every statement of a page body without a citation is a finding at
its Markdown line, unless an editorial admonition holds it or its page opts out; `--strict` fails
on them; the coverage table counts them per page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from tests.projects import page, run

HOME = page("Home", "Welcome [@001:p2].\n")


def findings(root: Path) -> list[tuple[str, int, str]]:
    """(path relative to the project, line, message) of each statement finding of a check."""
    result = build(root, write=False)
    return [
        (str(Path(problem.path).relative_to(root)), problem.line, problem.message)
        for problem in result.findings
        if "without a citation" in problem.message
    ]


def topic(body: str, **front_matter: object) -> dict[str, str]:
    """A project's pages: a cited home page and content/topic.md, whose body starts on line 5."""
    return {"index.md": HOME, "topic.md": page("A topic", body, order=1, **front_matter)}


def test_an_uncited_paragraph_is_a_finding_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("A fact [@001:p4].\n\nAsthma is caused by cats.\n"))
    assert findings(root) == [(
        "content/topic.md", 7,
        'statement without a citation: "Asthma is caused by cats." (a paragraph: cite the passage it rests on, or set editorial text in a note)',
    )]


def test_a_cited_paragraph_is_no_finding(make_project: Callable[..., Path]) -> None:
    assert findings(make_project(topic("A fact [@001:p4].\n\nAnother [@001:p2].\n"))) == []


def test_an_uncited_list_item_is_a_finding_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("- A fact [@001:p4].\n- Cats cause asthma.\n"))
    assert [(path, line) for path, line, _ in findings(root)] == [("content/topic.md", 6)]


def test_an_uncited_table_cell_is_a_finding_at_its_row_line(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("| What | Value |\n| --- | --- |\n| Dose | 5 mg [@001:p4] |\n| Cause | cats |\n"))
    assert [(line, message.split('"')[1]) for _, line, message in findings(root)] == [(8, "cats")]


def test_a_statement_in_an_editorial_admonition_is_no_finding(make_project: Callable[..., Path]) -> None:
    root = make_project(topic('A fact [@001:p4].\n\n!!! note "Our comment"\n    The sources say nothing of cats.\n'))
    assert findings(root) == []


def test_a_statement_in_a_summary_admonition_needs_a_citation(make_project: Callable[..., Path]) -> None:
    root = make_project(topic('!!! summary "Key points"\n    - A fact [@001:p4].\n    - Cats cause asthma.\n'))
    assert [line for _, line, _ in findings(root)] == [7]


def test_the_editorial_admonitions_are_those_site_yaml_names(make_project: Callable[..., Path]) -> None:
    root = make_project(topic('A fact [@001:p4].\n\n!!! note "Ours"\n    Not cited.\n\n!!! aside "Also ours"\n    Not cited either.\n'))
    (root / "site.yaml").write_text("title: Test site\neditorial_admonitions: [aside]\n", encoding="utf-8")
    assert [line for _, line, _ in findings(root)] == [8]


def test_a_page_whose_statements_are_editorial_has_no_finding(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "about.md": page("About", "We wrote this ourselves.\n\n- And this.\n", statements="editorial")})
    assert findings(root) == []


def test_a_statements_value_other_than_cited_or_editorial_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("A fact [@001:p4].\n", statements="none"))
    with pytest.raises(BuildError) as raised:
        build(root, write=False)
    [problem] = raised.value.problems
    assert (Path(problem.path).name, problem.line) == ("topic.md", 4)
    assert problem.message == "statements must be one of 'cited', 'editorial', not 'none'"


def test_check_strict_exits_1_naming_the_file_and_line_of_an_uncited_statement(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project(topic("A fact [@001:p4].\n\nAsthma is caused by cats.\n"))
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 1
    assert 'content/topic.md:7: statement without a citation: "Asthma is caused by cats."' in err


def test_check_strict_exits_0_when_every_statement_is_cited_or_editorial(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**topic('A fact [@001:p4].\n\n!!! note "Ours"\n    A comment.\n'), "about.md": page("About", "Ours.\n", statements="editorial")})
    (root / "content" / "index.md").write_text(page("Home", "Welcome [@001:p2]. See [about](about.md).\n"), encoding="utf-8")
    assert run(root, ("check", "--strict"), capsys) == (0, "")


def test_the_coverage_table_counts_each_pages_statements_cited_editorial_and_uncited(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project(topic('A fact [@001:p4].\n\n- one [@001:p2]\n- two\n\n!!! note "Ours"\n    A comment.\n'))
    main(["--project", str(root), "check"])
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.endswith(tuple("0123456789")) and ".md" in line}
    assert rows == {"index.md": ["1", "1", "0", "0"], "topic.md": ["4", "2", "1", "1"]}
    header = next(line for line in out.splitlines() if line.startswith("page"))
    assert header.split() == ["page", "statements", "cited", "editorial", "uncited"]


def test_a_memo_reports_a_statement_made_uncited_by_an_edit(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project(topic("A fact [@001:p4].\n\nAnother [@001:p2].\n"))
    memo = Memo(tmp_path / "cache")
    assert not [p for p in build(root, memo, write=False).findings if "without a citation" in p.message]
    path = root / "content" / "topic.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Another [@001:p2].", "Another."), encoding="utf-8")
    assert [p.line for p in build(root, memo, write=False).findings if "without a citation" in p.message] == [7]


def test_a_memo_follows_a_change_of_the_editorial_admonitions(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project(topic('A fact [@001:p4].\n\n!!! note "Ours"\n    A comment.\n'))
    memo = Memo(tmp_path / "cache")
    build(root, memo, write=False)
    (root / "site.yaml").write_text("title: Test site\neditorial_admonitions: []\n", encoding="utf-8")
    assert [p.line for p in build(root, memo, write=False).findings if "without a citation" in p.message] == [8]
