"""Bad input, case by case: exit code 1, one `path:line: message` line naming the file to fix, no
traceback, and the previously built site left byte for byte as it was.

Each case starts from a small valid project, builds it once, breaks one thing, builds again and
compares. A sample of the cases runs `python build.py` in a subprocess, to prove that what a user
sees on the terminal carries no traceback.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from projects import SEED, assert_clean_failure, page, put, run, snapshot, topic_line

from sitegen.commands.cli import main
from sitegen.write.output import update_site

# ---------------------------------------------------------------------------------------------
# Helpers that break a valid project in one way each
# ---------------------------------------------------------------------------------------------


def append(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return apply


def remove(relative: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).unlink()

    return apply


def seed_bytes(data: bytes) -> Callable[[Path], None]:
    """Replace the seed and record its new checksum, so only the content itself is wrong."""

    def apply(root: Path) -> None:
        seed = root / SEED
        old = hashlib.sha256(seed.read_bytes()).hexdigest()
        seed.write_bytes(data)
        sources = root / "seeds" / "sources.yaml"
        sources.write_text(sources.read_text(encoding="utf-8").replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8")

    return apply


def settings(text: str) -> Callable[[Path], None]:
    return put("site.yaml", text)


def page_template(main: str) -> Callable[[Path], None]:
    """templates/page.html with `main` as its main block, starting on line 3."""
    return put("templates/page.html", '{% extends "base.html" %}\n{% block main %}\n' + main + "\n{% endblock %}\n")


def base_template_line(root: Path) -> int:
    return len((root / "templates" / "base.html").read_text(encoding="utf-8").splitlines()) + 1


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[Path], None]
    file: str  # the file the message must name, relative to the project root
    line: int | Callable[[Path], int] | None  # None: no line applies
    says: str  # words the message must contain
    args: tuple[str, ...] = ("build",)
    subprocess: bool = False  # run `python build.py` rather than `main()`


CASES = [
    # Front matter
    Case("front-matter-not-yaml", put("content/topic.md", "---\ntitle: A topic\norder: [1, 2\n---\n\nText.\n"), "content/topic.md", 3, "invalid YAML",
         subprocess=True),
    Case("front-matter-not-a-mapping", put("content/topic.md", "---\n- title\n- order\n---\n\nText.\n"), "content/topic.md", 2, "must be a mapping"),
    Case("front-matter-scalar", put("content/topic.md", "---\njust a sentence\n---\n\nText.\n"), "content/topic.md", 2, "must be a mapping"),
    Case("front-matter-unclosed", put("content/topic.md", "---\ntitle: A topic\n\nText.\n"), "content/topic.md", 1, "not closed"),
    Case("front-matter-missing", put("content/topic.md", "# A topic\n\nText.\n"), "content/topic.md", 1, "front matter missing"),
    Case("front-matter-missing-title", put("content/topic.md", "---\norder: 1\n---\n\nText.\n"), "content/topic.md", 2, "missing required key 'title'"),
    Case("front-matter-empty-title", put("content/topic.md", "---\ntitle: ''\n---\n\nText.\n"), "content/topic.md", 2, "'title' must not be empty"),
    Case("front-matter-order-not-a-number", put("content/topic.md", '---\ntitle: A topic\norder: "x"\n---\n\nText.\n'), "content/topic.md", 3,
         "'order' must be a whole number, not text"),
    Case("front-matter-reviewed-not-a-date", put("content/topic.md", "---\ntitle: A topic\nreviewed: last week\n---\n\nText.\n"), "content/topic.md", 3,
         "reviewed must be a date"),
    Case("front-matter-unknown-key", put("content/topic.md", "---\ntitle: A topic\nauthor: Someone\n---\n\nText.\n"), "content/topic.md", 3,
         "unknown key 'author'; allowed: description, draft, order, reviewed, slug, statements, structured_data, title", subprocess=True),
    Case("front-matter-key-twice", put("content/topic.md", "---\ntitle: A topic\norder: 1\ntitle: Another\n---\n\nText.\n"), "content/topic.md", 4,
         "key 'title' is given twice in one mapping (first at line 2)"),
    Case("settings-key-twice", settings("title: Test site\nlanguage: en\nlanguage: fr\n"), "site.yaml", 3, "key 'language' is given twice"),
    Case("glossary-key-twice", put("content/glossary.yaml", "- term: Aura\n  definition: Lights.\n  definition: Sounds.\n"), "content/glossary.yaml", 3,
         "key 'definition' is given twice"),
    Case("bibliography-key-twice", put("content/references.yaml", "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: T\nsmith2020:\n  title: U\n"),
         "content/references.yaml", 5, "key 'smith2020' is given twice"),
    Case("front-matter-python-tag", put("content/topic.md", "---\ntitle: !!python/object/apply:os.system ['true']\n---\n\nText.\n"),
         "content/topic.md", 2, "invalid YAML"),
    Case("duplicate-slug", put("content/other.md", "---\ntitle: Other\nslug: topic\n---\n\nText.\n"), "content/other.md", 3, "duplicate URL /topic/"),
    Case("slug-with-slash", put("content/topic.md", "---\ntitle: A topic\nslug: a/b\n---\n\nText.\n"), "content/topic.md", 3, "slug 'a/b'"),
    Case("slug-dot-dot", put("content/topic.md", "---\ntitle: A topic\nslug: ..\n---\n\nText.\n"), "content/topic.md", 3, "slug '..'"),
    Case("slug-with-space", put("content/topic.md", "---\ntitle: A topic\nslug: a b\n---\n\nText.\n"), "content/topic.md", 3, "slug 'a b'"),
    Case("slug-non-url-characters", put("content/topic.md", "---\ntitle: A topic\nslug: caf\u00e9?\n---\n\nText.\n"), "content/topic.md", 3,
         "not a plain URL segment"),
    Case("slug-not-text", put("content/topic.md", "---\ntitle: A topic\nslug: [a]\n---\n\nText.\n"), "content/topic.md", 3, "'slug' must be text, not a list"),
    Case("slug-taking-the-404-page", put("content/topic.md", "---\ntitle: A topic\nslug: 404.html\n---\n\nText.\n"), "content/topic.md", 3,
         "reserved"),
    Case("page-taking-the-sitemap", put("content/sitemap.xml.md", "---\ntitle: Map\n---\n\nText.\n"), "content/sitemap.xml.md", 1, "reserved"),
    Case("page-taking-a-source-url", put("content/sources/001.md", "---\ntitle: Clash\n---\n\nText.\n"), "content/sources/001.md", 1, "reserved"),
    # Markdown: citations
    Case("citation-unknown-seed", topic_line("Claim [@009:p1]."), "content/topic.md", 8, "unknown source '009'", subprocess=True),
    Case("citation-unknown-passage", topic_line("Claim [@001:p99]."), "content/topic.md", 8, "no passage p99"),
    Case("citation-of-a-heading", topic_line("Claim [@001:p3]."), "content/topic.md", 8, "is a heading"),
    Case("citation-reversed-range", topic_line("Claim [@001:p4-p2]."), "content/topic.md", 8, "reversed range"),
    Case("citation-without-passage-number", topic_line("Claim [@001:]."), "content/topic.md", 8, "malformed citation"),
    Case("citation-without-seed", topic_line("Claim [@:p3]."), "content/topic.md", 8, "malformed citation"),
    Case("citation-of-a-whole-seed", topic_line("Claim [@001]."), "content/topic.md", 8, "cite a passage"),
    Case("citation-empty-item", topic_line("Claim [@001:p2; ]."), "content/topic.md", 8, "malformed citation"),
    Case("citation-passage-zero", topic_line("Claim [@001:p0]."), "content/topic.md", 8, "malformed citation"),
    Case("citation-range-past-the-end", topic_line("Claim [@001:p4-p9]."), "content/topic.md", 8, "no passage p6"),
    # Markdown: links (errors in check --strict and build --strict; warnings otherwise)
    Case("link-to-missing-page-check", topic_line("See [that](nowhere.md)."), "content/topic.md", 8, "no page content/nowhere.md",
         ("check", "--strict")),
    Case("link-to-missing-page-build", topic_line("See [that](nowhere.md)."), "content/topic.md", 8, "no page content/nowhere.md",
         ("build", "--strict"), subprocess=True),
    Case("link-to-missing-anchor-check", topic_line("See [that](index.md#nowhere)."), "content/topic.md", 8, "#nowhere",
         ("check", "--strict")),
    Case("link-to-missing-anchor-build", topic_line("See [that](index.md#nowhere)."), "content/topic.md", 8, "#nowhere",
         ("build", "--strict")),
    Case("link-to-missing-anchor-same-page", topic_line("See [that](#nowhere)."), "content/topic.md", 8, "#nowhere", ("build", "--strict")),
    Case("link-outside-content", topic_line("See [that](../site.md)."), "content/topic.md", 8, "no page", ("build", "--strict")),
    # Files
    Case("non-utf8-page", put("content/topic.md", b"---\ntitle: A topic\n---\n\nCaf\xe9\n"), "content/topic.md", 5, "not valid UTF-8",
         subprocess=True),
    Case("non-utf8-seed", seed_bytes(b"Example Article\n\nA first paragraph.\n\nSection Two\n\nThe second paragraph, caf\xe9.\n"), SEED, 7,
         "not valid UTF-8"),
    Case("empty-page", put("content/empty.md", ""), "content/empty.md", 1, "empty page"),
    Case("blank-page", put("content/empty.md", "\n  \n"), "content/empty.md", 1, "empty page"),
    Case("binary-page", put("content/topic.md", b"---\ntitle: A\x00\n---\n"), "content/topic.md", None, "binary file"),
    Case("binary-file-in-content", put("content/photo.png", b"\x89PNG\r\n\x1a\n\x00\x00"), "content/photo.png", None, "unexpected file in content/"),
    Case("non-utf8-glossary", put("content/glossary.yaml", b"- term: caf\xe9\n  definition: A drink.\n"), "content/glossary.yaml", 1, "not valid UTF-8"),
    Case("empty-seed", seed_bytes(b"\n\n"), SEED, None, "seed is empty"),
    Case("binary-seed", seed_bytes(b"Example\x00Article\n"), SEED, None, "binary file"),
    Case("seed-changed", append(SEED, "A sentence added later.\n"), SEED, None, "sha256", subprocess=True),
    Case("seed-listed-but-missing", append("seeds/sources.yaml", '"002":\n  title: Gone\n  publisher: P\n  kind: article\n  sha256: abc\n'),
         "seeds/sources.yaml", 11, "seed '002' is listed but"),
    Case("seed-not-listed", put("seeds/002_other.txt", "Other\n\nA paragraph.\n"), "seeds/002_other.txt", None, "no entry in seeds/sources.yaml"),
    Case("seed-metadata-missing", remove("seeds/sources.yaml"), SEED, None, "seeds/sources.yaml does not exist"),
    Case("seed-exclusion-of-missing-passage", append("seeds/sources.yaml", "    p42: Navigation links of the clinic website\n"), "seeds/sources.yaml", 11,
         "passage p42 does not exist"),
    # Beyond the list
    Case("front-matter-control-character", put("content/topic.md", "---\ntitle: A topic\norder: 1\x1f\n---\n\nText.\n"), "content/topic.md", 3,
         "U+001F"),
    Case("front-matter-crlf-line-numbers", put("content/topic.md", b"---\r\ntitle: A topic\r\ncolour: red\r\n---\r\n\r\nText.\r\n"),
         "content/topic.md", 3, "unknown key 'colour'"),
    Case("front-matter-impossible-date", put("content/topic.md", "---\ntitle: A topic\nreviewed: 2026-02-30\n---\n\nText.\n"), "content/topic.md", 3,
         "reviewed '2026-02-30' is not a date of the calendar"),
    Case("folder-named-like-a-page", lambda root: (root / "content" / "notes.md").mkdir(), "content/notes.md", None, "a folder named like a page"),
    Case("glossary-not-a-list", put("content/glossary.yaml", "term: definition\n"), "content/glossary.yaml", 1, "must be a list"),
    Case("glossary-entry-without-definition", put("content/glossary.yaml", "- term: Aura\n- term: Migraine\n  definition: A headache.\n"),
         "content/glossary.yaml", 1, "missing required key 'definition'"),
    Case("bibliography-unknown-key", put("content/references.yaml", "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: T\n  doi: 10.1/x\n  press: X\n"),
         "content/references.yaml", 6, "unknown key 'press'"),
    Case("settings-non-utf8", put("site.yaml", b"title: Caf\xe9\n"), "site.yaml", 1, "not valid UTF-8"),
    Case("seed-id-unquoted-in-metadata", lambda root: (root / "seeds" / "sources.yaml").write_text(
        (root / "seeds" / "sources.yaml").read_text(encoding="utf-8").replace('"001":', "001:"), encoding="utf-8"), "seeds/sources.yaml", 1, "quote ids"),
    # Templates
    Case("template-syntax-error", put("templates/page.html", '{% extends "base.html" %}\n{% block main %}\n<p>\n{% if %}\n{% endblock %}\n'),
         "templates/page.html", 4, "template syntax error", subprocess=True),
    Case("template-syntax-error-in-base", append("templates/base.html", "{% endif %}\n"), "templates/base.html", base_template_line, "template syntax error"),
    Case("template-undefined-variable", page_template("<p>{{ page.title }}</p>\n{{ no_such_thing }}"),
         "templates/page.html", 4, "no_such_thing"),
    Case("template-undefined-attribute", page_template("\n{{ page.no_such_field }}"),
         "templates/page.html", 4, "no_such_field"),
    Case("template-not-utf8", put("templates/page.html", b'{% extends "base.html" %}\n{% block main %}caf\xe9{% endblock %}\n'), "templates/page.html", 2,
         "not valid UTF-8"),
    # A template the project removed comes from the default theme; one that neither has is the error.
    Case("template-missing", put("templates/page.html", '{% extends "no-such-layout.html" %}\n'), "templates/page.html", 1, "template not found"),
    Case("template-include-missing", put("templates/page.html", '{% extends "base.html" %}\n{% block main %}\n{% include "missing.html" %}\n{% endblock %}\n'),
         "templates/page.html", 3, "missing.html"),
    Case("template-runtime-error", put("templates/page.html", '{% extends "base.html" %}\n{% block main %}\n{{ 1 // 0 }}\n{% endblock %}\n'),
         "templates/page.html", 3, "ZeroDivisionError"),
    # Settings
    Case("settings-missing", remove("site.yaml"), "site.yaml", None, "settings file missing", subprocess=True),
    Case("settings-invalid-yaml", settings("title: Test site\nlanguage: [en\n"), "site.yaml", 3, "invalid YAML"),
    Case("settings-not-a-mapping", settings("- title\n"), "site.yaml", 1, "must be a mapping"),
    Case("settings-unknown-key", settings("title: Test site\ntheme: dark\n"), "site.yaml", 2, "unknown key 'theme'; allowed: base_url, cname"),
    Case("settings-missing-title", settings("language: en\n"), "site.yaml", 1, "missing required key 'title'"),
    Case("settings-base-url-without-scheme", settings("title: Test site\nbase_url: example.org/guide/\n"), "site.yaml", 2, "absolute http(s) URL"),
    Case("settings-base-url-other-scheme", settings("title: Test site\nbase_url: ftp://example.org/\n"), "site.yaml", 2, "absolute http(s) URL"),
    Case("settings-base-url-javascript", settings("title: Test site\nbase_url: 'javascript:alert(1)'\n"), "site.yaml", 2, "absolute http(s) URL"),
    Case("settings-base-url-not-text", settings("title: Test site\nbase_url: 42\n"), "site.yaml", 2, "must be text"),
    Case("settings-bad-language", settings("title: Test site\nlanguage: English please\n"), "site.yaml", 2, "language tag"),
    Case("settings-output-dir-is-content", settings("title: Test site\noutput_dir: content\n"), "site.yaml", 2, "output_dir"),
    Case("settings-output-dir-is-project", settings("title: Test site\noutput_dir: .\n"), "site.yaml", 2, "output_dir"),
    Case("settings-output-dir-inside-content", settings("title: Test site\noutput_dir: content/site\n"), "site.yaml", 2, "output_dir"),
    Case("settings-output-dir-is-parent", settings("title: Test site\noutput_dir: ..\n"), "site.yaml", 2, "output_dir"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_fails_with_one_line_per_problem_and_keeps_the_old_site(
    case: Case, built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = built_project
    before = snapshot(root / "site")
    line = case.line(root) if callable(case.line) else case.line
    case.breaks(root)
    code, stderr = run(root, case.args, capsys, case.subprocess)
    assert_clean_failure(code, stderr, case.file, line, case.says, case.args[0])
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_broken_link_is_only_a_warning_without_strict(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("See [that](nowhere.md).")(built_project)
    code = main(["--project", str(built_project), "build"])
    err = capsys.readouterr().err
    assert code == 0
    assert "content/topic.md:8: link to 'nowhere.md': no page content/nowhere.md" in err.splitlines()


def test_broken_anchor_is_only_a_warning_without_strict(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("See [that](index.md#nowhere).")(built_project)
    code = main(["--project", str(built_project), "check"])
    err = capsys.readouterr().err
    assert code == 0
    assert any(line.startswith("content/topic.md:8: ") and "#nowhere" in line for line in err.splitlines()), err


def test_every_citation_problem_is_reported_in_one_run(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    topic_line("Claim [@009:p1] and [@001:p99].\n\nAlso [@001:p3].")(built_project)
    put("content/index.md", page("Home", "Welcome [@001:p2-p1].\n"))(built_project)
    code = main(["--project", str(built_project), "build"])
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("build failed")]
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == ["content/index.md:4", "content/topic.md:8", "content/topic.md:8", "content/topic.md:10"]


def test_every_front_matter_problem_is_reported_in_one_run(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put("content/other.md", "---\ntitle: Other\nauthor: me\norder: x\n---\n")(built_project)
    put("content/topic.md", "---\ntitle: [A topic\n---\n")(built_project)
    code = main(["--project", str(built_project), "build"])
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("build failed")]
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == ["content/other.md:3", "content/other.md:4", "content/topic.md:2"]


def test_a_template_error_shared_by_many_pages_is_reported_once(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append("templates/base.html", "{{ no_such_thing }}\n")(built_project)
    code = main(["--project", str(built_project), "build"])
    lines = [line for line in capsys.readouterr().err.splitlines() if "no_such_thing" in line]
    assert code == 1
    assert len(lines) == 1, lines


# ---------------------------------------------------------------------------------------------
# Output folder: refuse what is not ours, never delete outside it
# ---------------------------------------------------------------------------------------------


OUTPUT_CASES = {
    "filesystem-root": lambda root, home: Path("/"),
    "home-folder": lambda root, home: home,
    "project-root": lambda root, home: root,
    "content-folder": lambda root, home: root / "content",
    "templates-folder": lambda root, home: root / "templates",
    "seeds-folder": lambda root, home: root / "seeds",
    "parent-of-project": lambda root, home: root.parent,
    "folder-not-made-by-us": lambda root, home: root / "mine",
    "existing-file": lambda root, home: root / "mine" / "notes.txt",
}


def inputs_and_outputs(folder: Path) -> dict[str, bytes]:
    """Every file but the build's own cache, which a refused build may still have refreshed."""
    return {name: data for name, data in snapshot(folder).items() if not name.startswith(".cache/")}


@pytest.fixture
def fake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    (home / "documents" / "letter.txt").write_text("keep me\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.mark.parametrize("name", OUTPUT_CASES)
def test_build_refuses_an_output_folder_it_does_not_own(name: str, built_project: Path, fake_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = built_project
    (root / "mine").mkdir()
    (root / "mine" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    target = OUTPUT_CASES[name](root, fake_home)
    watched = [root, fake_home]
    before = [inputs_and_outputs(folder) for folder in watched]
    code = main(["--project", str(root), "build", "--out", str(target)])
    stderr = capsys.readouterr().err
    shown = os.path.relpath(target, root) if target.is_relative_to(root) else target.as_posix()
    assert_clean_failure(code, stderr, Path(shown).as_posix(), None, "")
    assert [inputs_and_outputs(folder) for folder in watched] == before


def test_build_refuses_an_output_folder_reached_through_a_symlink(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = built_project / "out"
    link.symlink_to(built_project / "content", target_is_directory=True)
    before = snapshot(built_project / "content")
    code = main(["--project", str(built_project), "build", "--out", str(link)])
    assert_clean_failure(code, capsys.readouterr().err, "content", None, "refusing")
    assert snapshot(built_project / "content") == before


def test_build_replaces_a_folder_it_made_and_nothing_beside_it(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = built_project
    (root / "site" / "stale.html").write_text("old\n", encoding="utf-8")
    (root / "beside.txt").write_text("keep\n", encoding="utf-8")
    assert main(["--project", str(root), "build"]) == 0
    assert not (root / "site" / "stale.html").exists()
    assert (root / "beside.txt").read_text(encoding="utf-8") == "keep\n"
    assert (root / "site" / ".sitegen-output").is_file()


def test_build_writes_into_an_empty_folder(built_project: Path) -> None:
    (built_project / "fresh").mkdir()
    assert main(["--project", str(built_project), "build", "--out", str(built_project / "fresh")]) == 0
    assert (built_project / "fresh" / "index.html").is_file()


def test_output_folder_under_a_file_fails_without_traceback(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built_project / "notes.txt").write_text("a file\n", encoding="utf-8")
    code = main(["--project", str(built_project), "build", "--out", str(built_project / "notes.txt" / "site")])
    assert_clean_failure(code, capsys.readouterr().err, "notes.txt/site", None, "")


def test_updating_in_place_never_writes_through_a_symlink(built_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("precious\n", encoding="utf-8")
    (built_project / "site" / "topic").rename(built_project / "site" / "topic-old")
    (built_project / "site" / "topic").symlink_to(outside, target_is_directory=True)
    update_site({"topic/index.html": b"new page\n"}, built_project / "site", built_project)
    assert (outside / "index.html").read_text(encoding="utf-8") == "precious\n"
    assert (built_project / "site" / "topic" / "index.html").read_bytes() == b"new page\n"
    assert not (built_project / "site" / "topic").is_symlink()
