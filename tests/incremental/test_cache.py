"""The build cache is never stale: after an edit to any kind of input, a build that reuses the cache
(through the same `Memo`, or a new one reading the cache folder) is byte for byte the clean build."""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import SEED_TEXT, page, write

from sitegen.incremental.cache import BuildCache, instance_of
from sitegen.incremental.fingerprint import Fingerprint
from sitegen.incremental.memo import Memo
from sitegen.incremental.shards import dump_entries, shard_name
from sitegen.incremental.verified import write_verified
from sitegen.load import inputs as load_inputs_module
from sitegen.load.glossary import GlossaryTerm
from sitegen.pipeline import BuildResult, build

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "glossary.md": page("Glossary", "Terms used on this site.\n"),
    "sources.md": page("Sources", "What the pages cite.\n"),
    "about.md": page("About", "About this site.\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nAn aura fact [@001:p4]. See [more](other.md#more).\n", order=1, reviewed="2026-01-15"),
    "other.md": "---\ntitle: Other topic\norder: 2\ndescription: The other one.\n---\n## More {#more}\n\nStudies [@smith2020] agree [@001:p2].\n",
    "third.md": page("Third topic", "## Third {#third}\n\nNothing cited here.\n", order=3),
}
GLOSSARY = """
- term: aura
  id: aura
  definition: "Warning signs before a migraine."
"""
REFERENCES = """
smith2020:
  authors: ["Smith A"]
  year: 2020
  title: "A study"
  journal: "A journal"
  doi: "10.1000/xyz"
"""


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    root = make_project(pages=PAGES)
    write(root / "content" / "glossary.yaml", GLOSSARY)
    write(root / "content" / "references.yaml", REFERENCES)
    return root


def clean_build(root: Path) -> BuildResult:
    return build(root, Memo.off(), write=False)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(root: Path) -> None:
    replace(root / "content" / "other.md", "Studies", "Several studies")


def edit_title(root: Path) -> None:
    replace(root / "content" / "other.md", "title: Other topic", "title: Renamed topic")


def edit_description(root: Path) -> None:
    replace(root / "content" / "other.md", "description: The other one.", "description: The second one.")


def edit_reviewed(root: Path) -> None:
    replace(root / "content" / "third.md", "order: 3\n", "order: 3\nreviewed: 2026-02-01\n")


def edit_order(root: Path) -> None:
    replace(root / "content" / "third.md", "order: 3", "order: 0")


def edit_anchor(root: Path) -> None:
    replace(root / "content" / "other.md", "{#more}", "{#most}")


def add_page(root: Path) -> None:
    write(root / "content" / "new.md", page("New topic", "An aura again [@001:p4].\n", order=4))


def remove_page(root: Path) -> None:
    (root / "content" / "third.md").unlink()


def edit_citation(root: Path) -> None:
    replace(root / "content" / "topic.md", "[@001:p4]", "[@001:p2]")


def edit_glossary(root: Path) -> None:
    replace(root / "content" / "glossary.yaml", "Warning signs", "Early warning signs")


def edit_source_metadata(root: Path) -> None:
    replace(root / "seeds" / "sources.yaml", "publisher: Example Clinic", "publisher: Another Clinic")


def edit_seed(root: Path) -> None:
    new_text = SEED_TEXT.replace("worth citing", "worth quoting")
    (root / "seeds" / "001_example.txt").write_text(new_text, encoding="utf-8")
    old_digest = hashlib.sha256(SEED_TEXT.encode()).hexdigest()
    replace(root / "seeds" / "sources.yaml", old_digest, hashlib.sha256(new_text.encode()).hexdigest())


def edit_publication(root: Path) -> None:
    replace(root / "content" / "references.yaml", 'title: "A study"', 'title: "A better study"')


def edit_page_template(root: Path) -> None:
    replace(root / "templates" / "page.html", "{% block main %}", "{% block main %}<p>Edited.</p>")


def edit_base_template(root: Path) -> None:
    replace(root / "templates" / "base.html", "<body", '<body data-edited="yes"')


def edit_macros(root: Path) -> None:
    replace(root / "templates" / "_macros.html", "References", "Sources cited")


def edit_stylesheet(root: Path) -> None:
    with (root / "static" / "style.css").open("a", encoding="utf-8") as stream:
        stream.write("\n/* edited */\n")


def edit_settings(root: Path) -> None:
    replace(root / "site.yaml", "title: Test site", "title: Renamed site")


def edit_review_interval(root: Path) -> None:
    with (root / "site.yaml").open("a", encoding="utf-8") as stream:
        stream.write("review_interval_months: 6\n")


def edit_base_url(root: Path) -> None:
    with (root / "site.yaml").open("a", encoding="utf-8") as stream:
        stream.write("base_url: https://example.org/guide/\n")


EDITS = [
    edit_body, edit_title, edit_description, edit_reviewed, edit_order, edit_anchor, add_page, remove_page, edit_citation, edit_glossary,
    edit_source_metadata, edit_seed, edit_publication, edit_page_template, edit_base_template, edit_macros,
    edit_stylesheet, edit_settings, edit_review_interval, edit_base_url,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_a_builder_reusing_its_work_after_an_edit_matches_a_clean_build(project: Path, tmp_path: Path, edit: Callable[[Path], None]) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project)
    cached = build(project, memo, write=False)
    clean = clean_build(project)
    assert cached.outputs == clean.outputs
    assert cached.findings == clean.findings


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_a_new_build_reading_the_cache_folder_after_an_edit_matches_a_clean_build(
    project: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    first = Memo(tmp_path / "cache")
    build(project, first, write=False)
    first.wait()
    edit(project)
    cached = build(project, Memo(tmp_path / "cache"), write=False)
    clean = clean_build(project)
    assert cached.outputs == clean.outputs
    assert cached.findings == clean.findings


def test_the_build_date_is_part_of_what_is_cached(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replace(project / "templates" / "page.html", "{% block main %}", "{% block main %}<p>{{ build_date }}</p>")
    memo = Memo(tmp_path / "cache")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build(project, memo, write=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    assert build(project, memo, write=False).outputs == clean_build(project).outputs


def test_a_template_reading_the_whole_site_is_rerendered_when_any_page_changes(project: Path, tmp_path: Path) -> None:
    replace(project / "templates" / "page.html", "{% block main %}", "{% block main %}<p>{% for p in site.pages %}{{ p.body|length }} {% endfor %}</p>")
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit_body(project)
    assert build(project, memo, write=False).outputs == clean_build(project).outputs


def _page_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the Markdown files read from now on."""
    reads: list[str] = []
    read_bytes = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".md":
            reads.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return reads


def test_a_rebuild_does_not_read_page_files_whose_status_is_unchanged(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_inputs_module, "_SETTLED_NS", 0)
    memo = Memo(tmp_path / "cache")
    first = build(project, memo, write=False)
    reads = _page_reads(monkeypatch)
    assert build(project, memo, write=False).outputs == first.outputs
    assert reads == []


def test_a_page_rewritten_with_its_size_and_modification_time_is_read_again(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_inputs_module, "_SETTLED_NS", 0)
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    page = project / "content" / "other.md"
    before = page.stat()
    replace(page, "Studies", "Sources")  # same length
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns == before.st_mtime_ns
    assert build(project, memo, write=False).outputs == clean_build(project).outputs


def test_a_page_status_is_not_trusted_until_its_last_change_is_well_past(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file system clock so coarse that the edit below leaves every file's status as it was when first read.
    frozen = (time.time_ns(), time.time_ns(), 1, 1, 1)
    monkeypatch.setattr(load_inputs_module, "_file_status", lambda path: frozen)
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit_body(project)
    assert build(project, memo, write=False).outputs == clean_build(project).outputs


def test_a_corrupt_cache_file_is_ignored(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    memo.wait()
    shards = list((tmp_path / "cache").glob("*/*.pickle"))
    assert shards
    for path in shards:
        path.write_bytes(b"not a pickle")
    assert build(project, Memo(tmp_path / "cache"), write=False).outputs == clean_build(project).outputs


def test_a_cache_written_by_other_engine_code_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    name = shard_name(0, 1)
    write_verified(folder / "output" / name, f"another engine\0output\0{name}", functools.partial(dump_entries, {"key": (b"stale", ())}))
    assert BuildCache(folder).get("output", "key", instance_of(tuple)) is None


def test_entries_not_used_by_a_build_are_dropped_when_it_saves(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    cache.put("markup", "old", "value", instance_of(str))
    cache.save()
    later = BuildCache(tmp_path / "cache")
    later.start()
    later.put("markup", "new", "value", instance_of(str))
    later.save()
    assert BuildCache(tmp_path / "cache").get("markup", "old", instance_of(str)) is None


def test_the_cache_folder_is_hidden_from_git(project: Path) -> None:
    memo = Memo.for_project(project)
    build(project, memo, write=False)
    memo.wait()
    assert (project / ".cache" / "sitegen" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_sitegen_cache_off_writes_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_CACHE", "off")
    memo = Memo.for_project(project)
    build(project, memo, write=False)
    memo.wait()
    assert not (project / ".cache").exists()


def test_sitegen_cache_names_the_cache_folder(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_CACHE", os.fspath(tmp_path / "elsewhere"))
    memo = Memo.for_project(project)
    build(project, memo, write=False)
    memo.wait()
    assert list((tmp_path / "elsewhere" / "output").glob("*.pickle"))


def test_equal_values_have_equal_fingerprints_and_different_values_do_not() -> None:
    term = GlossaryTerm("aura", "aura", "Warning signs.", ("auras",))
    same = GlossaryTerm("aura", "aura", "Warning signs.", ("auras",))
    other = GlossaryTerm("aura", "aura", "Warning signs!", ("auras",))
    assert Fingerprint().of(term) == Fingerprint().of(same)
    assert Fingerprint().of(term) != Fingerprint().of(other)


def test_fingerprints_tell_a_string_from_a_tuple_of_its_parts() -> None:
    assert Fingerprint().of("ab") != Fingerprint().of(("a", "b"))


def test_the_engine_digest_changes_with_a_module_in_any_subpackage(tmp_path: Path) -> None:
    from sitegen.incremental.cache import engine_digest

    package = tmp_path / "engine"
    (package / "stage").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "stage" / "work.py"
    module.write_text("VALUE = 1\n")
    before = engine_digest(package)
    module.write_text("VALUE = 2\n")
    assert engine_digest(package) != before


def test_the_engine_digest_covers_every_module_of_the_installed_engine() -> None:
    from sitegen.incremental.cache import ENGINE, engine_digest

    package = Path(load_inputs_module.__file__).resolve().parent.parent
    assert sorted(package.rglob("*.py")) != sorted(package.glob("*.py"))  # the engine has subpackages
    assert engine_digest(package) == ENGINE
