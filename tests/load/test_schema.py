"""The keys of the five YAML formats: an unknown key, a value of the wrong kind and a missing required key
are each one `path:line: message` in one wording for every format, all of a file's problems in one run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import SEED_TEXT, page, write

from sitegen.commands.cli import main

SHA256 = hashlib.sha256(SEED_TEXT.encode("utf-8")).hexdigest()
EXCLUDE = '  exclude:\n    p5: "Advertising for the clinic\'s services, no medical facts"\n'
# Each format: its file and a valid text of it.
VALID = {
    "site.yaml": ("site.yaml", "title: Test site\nlanguage: en\n"),
    "front matter": ("content/topic.md", page("A topic", "A fact [@001:p4].\n", order=1)),
    "sources.yaml": ("seeds/sources.yaml", f'"001":\n  title: Example Article\n  publisher: Example Clinic\n  kind: article\n  sha256: {SHA256}\n{EXCLUDE}'),
    "references.yaml": ("content/references.yaml", "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  doi: 10.1/x\n"),
    "glossary.yaml": ("content/glossary.yaml", "- term: Aura\n  definition: Lights before a migraine.\n"),
}
# Each format: its allowed keys, as a message names them.
ALLOWED = {
    "site.yaml": (
        "base_url, cname, description, disclaimer, disclaimer_label, editorial_admonitions, language, output_dir, "
        "review_interval_months, structured_data, title"
    ),
    "front matter": "description, draft, order, reviewed, slug, statements, structured_data, title",
    "sources.yaml": "blocks, changed, date, edited, exclude, extractor, kind, original, promotional, publisher, retrieved, sha256, title, url",
    "references.yaml": "authors, doi, issue, journal, note, pages, pmid, title, url, volume, year",
    "glossary.yaml": "aliases, definition, id, term",
}
# Each format: (text to replace, its replacement, the line of the problem) and, below, the message or the missing key.
UNKNOWN = {
    "site.yaml": ("language: en\n", "colour: red\n", 2),
    "front matter": ("order: 1\n", "colour: red\n", 3),
    "sources.yaml": ("  kind: article\n", "  kind: article\n  colour: red\n", 5),
    "references.yaml": ("  doi: 10.1/x\n", "  doi: 10.1/x\n  colour: red\n", 6),
    "glossary.yaml": ("  definition: Lights before a migraine.\n", "  definition: Lights before a migraine.\n  colour: red\n", 3),
}
WRONG_KIND = {
    "site.yaml": ("language: en\n", "language: [en]\n", 2, "'language' must be text, not a list"),
    "front matter": ("order: 1\n", "order: first\n", 3, "'order' must be a whole number, not text"),
    "sources.yaml": ("  kind: article\n", "  kind: article\n  promotional: 'yes'\n", 5, "'promotional' must be true or false, not text"),
    "references.yaml": ("  year: 2020\n", "  year: twenty\n", 3, "'year' must be a whole number, not text"),
    "glossary.yaml": ("  definition: Lights before a migraine.\n", "  definition: [Lights]\n", 2, "'definition' must be text, not a list"),
}
MISSING = {
    "site.yaml": ("title: Test site\n", "", 1, "title"),
    "front matter": ("title: A topic\n", "", 2, "title"),
    "sources.yaml": ("  publisher: Example Clinic\n", "", 1, "publisher"),
    "references.yaml": ("  title: A study\n", "", 1, "title"),
    "glossary.yaml": ("  definition: Lights before a migraine.\n", "", 1, "definition"),
}

# Each format: a text with three problems, and the problems.
SEVERAL = {
    "site.yaml": ("language: [en]\ncolour: red\n", ["1: 'language' must be text, not a list", f"2: unknown key 'colour'; allowed: {ALLOWED['site.yaml']}",
                                                    "1: missing required key 'title'"]),
    "front matter": ("---\norder: first\ncolour: red\n---\nText.\n", ["2: 'order' must be a whole number, not text",
                                                                       f"3: unknown key 'colour'; allowed: {ALLOWED['front matter']}",
                                                                       "2: missing required key 'title'"]),
    "sources.yaml": (f'"001":\n  title: Example Article\n  kind: article\n  promotional: \'yes\'\n  colour: red\n  sha256: {SHA256}\n{EXCLUDE}',
                     ["1: missing required key 'publisher'", "4: 'promotional' must be true or false, not text",
                      f"5: unknown key 'colour'; allowed: {ALLOWED['sources.yaml']}"]),
    "references.yaml": ("smith2020:\n  authors: [Smith J]\n  year: twenty\n  doi: 10.1/x\n  colour: red\n",
                        ["1: missing required key 'title'", "3: 'year' must be a whole number, not text",
                         f"5: unknown key 'colour'; allowed: {ALLOWED['references.yaml']}"]),
    "glossary.yaml": ("- term: Aura\n  aliases: {a: b}\n  colour: red\n",
                      ["1: missing required key 'definition'", "2: 'aliases' must be a list of texts, not a mapping",
                       f"3: unknown key 'colour'; allowed: {ALLOWED['glossary.yaml']}"]),
}


def problems_of(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                form: str, *edits: tuple[str, str]) -> tuple[int, list[str]]:
    """Build a project whose file of `form` has `edits` (old, new) applied; the exit code and the problem lines."""
    root = make_project()
    relative, text = VALID[form]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    write(root / relative, text)
    if form == "glossary.yaml":  # glossary terms need a page to show them
        write(root / "content" / "glossary.md", page("Glossary", statements="editorial"))
    monkeypatch.chdir(root)
    code = main(["--project", str(root), "build", "--no-search"])
    return code, [line for line in capsys.readouterr().err.splitlines() if not line.startswith("build failed")]


@pytest.mark.parametrize("form", VALID)
def test_the_valid_file_of_each_format_builds(
    form: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems_of(make_project, monkeypatch, capsys, form) == (0, [])


@pytest.mark.parametrize("form", VALID)
def test_an_unknown_key_is_an_error_at_its_line_naming_the_allowed_keys(
    form: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, line = UNKNOWN[form]
    code, problems = problems_of(make_project, monkeypatch, capsys, form, (old, new))
    assert (code, problems) == (1, [f"{VALID[form][0]}:{line}: unknown key 'colour'; allowed: {ALLOWED[form]}"])


@pytest.mark.parametrize("form", VALID)
def test_a_value_of_the_wrong_kind_is_an_error_at_its_line(
    form: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, line, message = WRONG_KIND[form]
    code, problems = problems_of(make_project, monkeypatch, capsys, form, (old, new))
    assert (code, problems) == (1, [f"{VALID[form][0]}:{line}: {message}"])


@pytest.mark.parametrize("form", VALID)
def test_a_missing_required_key_is_an_error_at_the_line_of_its_mapping(
    form: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, line, key = MISSING[form]
    code, problems = problems_of(make_project, monkeypatch, capsys, form, (old, new))
    assert (code, problems) == (1, [f"{VALID[form][0]}:{line}: missing required key {key!r}"])


@pytest.mark.parametrize("form", VALID)
def test_every_key_problem_of_a_file_is_reported_in_one_run(
    form: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = SEVERAL[form]
    code, problems = problems_of(make_project, monkeypatch, capsys, form, (VALID[form][1], text))
    assert code == 1
    assert sorted(problems) == sorted(f"{VALID[form][0]}:{problem}" for problem in expected)


def test_an_unknown_key_close_to_an_allowed_one_is_suggested(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, problems = problems_of(make_project, monkeypatch, capsys, "front matter", ("order: 1\n", "Title: Another\n"))
    assert (code, problems) == (1, [f"content/topic.md:3: unknown key 'Title'; allowed: {ALLOWED['front matter']}; did you mean 'title'?"])


def test_an_empty_required_text_is_an_error_at_its_line(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, problems = problems_of(make_project, monkeypatch, capsys, "references.yaml", ("  title: A study\n", "  title: '  '\n"))
    assert (code, problems) == (1, ["content/references.yaml:4: 'title' must not be empty"])


def test_a_key_written_without_a_value_counts_as_absent(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems_of(make_project, monkeypatch, capsys, "front matter", ("order: 1\n", "order:\ndescription:\n")) == (0, [])


def test_a_required_key_written_without_a_value_is_missing_at_its_line(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, problems = problems_of(make_project, monkeypatch, capsys, "sources.yaml", ("  kind: article\n", "  kind:\n"))
    assert (code, problems) == (1, ["seeds/sources.yaml:4: missing required key 'kind'"])


def test_a_long_unknown_key_is_shortened_in_its_message(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, problems = problems_of(make_project, monkeypatch, capsys, "site.yaml", ("language: en\n", f"{'x' * 500}: 1\n"))
    assert code == 1 and problems == [f"site.yaml:2: unknown key '{'x' * 58}…; allowed: {ALLOWED['site.yaml']}"]
