"""Property-based tests: whatever the front matter, Markdown (with citations and links) and seed text,
the build either succeeds or raises `BuildError`, and it writes nothing outside the output folder.

The example count comes from the Hypothesis profile registered in conftest.py: small by default
(`ci`); `pytest tests/pipeline/test_fuzz.py --hypothesis-profile=long` (or `SITEGEN_HYPOTHESIS_PROFILE=long`)
runs thousands of examples.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, note
from hypothesis import strategies as st
from projects import ROOT, page

from sitegen.core.errors import BuildError
from sitegen.load.pages import FRONT_MATTER_KEYS
from sitegen.pipeline import build

VALID_SEED = "Example Article\n\nA first paragraph about the topic.\n\nSection Two\n\nThe second paragraph, with a fact.\n"

# --- front matter --------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True), st.dates(),
    st.text(max_size=20), st.sampled_from(["a-b", "a/b", "..", "a b", "café", "404.html", "sitemap.xml", "index", "sources", "Topic"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=5), scalars, max_size=2))
front_matter_dicts = st.dictionaries(st.sampled_from([*FRONT_MATTER_KEYS, "title", "title", "tags", "Title", "1"]), values, max_size=5)
plausible_front_matter = st.fixed_dictionaries(
    {"title": st.text(min_size=1, max_size=30)},
    optional={"order": st.integers(-3, 30), "description": st.text(max_size=40), "reviewed": st.dates(),
              "slug": st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,4})?\Z")},
)
front_matter_texts = st.one_of(
    plausible_front_matter.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    plausible_front_matter.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    front_matter_dicts.map(lambda d: yaml.safe_dump(d, allow_unicode=True, default_flow_style=None)),
    st.text(max_size=60),
    st.lists(st.sampled_from(["title: T", "order: x", "slug: a/b", "- item", "  indented: 1", "&a [*a]", "key: [", "? x", "title: &t T", "x: *t"]),
             max_size=5).map("\n".join),
)
page_shapes = st.sampled_from([
    *["---\n{fm}\n---\n{body}"] * 5, "---\n{fm}\n...\n{body}", "---\n{fm}\n{body}", "{body}", "---\n---\n{body}", "\ufeff---\n{fm}\n---\r\n{body}",
])

# --- Markdown with citations and cross-links ------------------------------------------------------

seed_ids = st.sampled_from(["001", "002", "000", "x", "", "references", "001 "])
numbers = st.integers(0, 12)
citations = st.one_of(
    st.builds("[@{}:p{}]".format, seed_ids, numbers),
    st.builds("[@{}:p{}-p{}]".format, seed_ids, numbers, numbers),
    st.builds("[@{}:p{}; @{}:p{}]".format, seed_ids, numbers, seed_ids, numbers),
    st.builds("[@{}:]".format, seed_ids),
    st.builds("[@:p{}]".format, numbers),
    st.builds("[@{}]".format, seed_ids),
    st.builds("[see @{}:p{}]".format, seed_ids, numbers),
)
link_targets = st.sampled_from(["index.md", "topic.md", "missing.md", "sub/page.md", "../site.yaml.md", "/etc/passwd.md", "#top", "", "topic/", "http://x"])
links = st.builds("[{}]({}{})".format, st.text(max_size=8), link_targets, st.sampled_from(["", "#facts", "#nowhere", "#", "#p1"]))
syntax = st.sampled_from([
    "\n\n", "\n", "## Heading", "### Sub {#facts}", "# Title", "```\ncode [@001:p2]\n```", "`[@001:p9]`", "```", "*", "**", "_", "> ", "- ", "1. ",
    "| a | b |\n|---|---|\n| 1 | 2 |", "<div>", "</div>", "<script>alert(1)</script>", "[^1]", "\n\n[^1]: A note.", "!!! note\n    Text.", "&amp;", "\\",
    "{: #x }", "*[HTML]: Hyper Text", "Term\n:   Definition", "    indented code", "[a]: topic.md", "[a][]", "<!-- comment -->", "\x00", "\t",
])
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)
good_citations = st.sampled_from(["[@001:p2]", "[@001:p4]", "[@001:p2; @001:p4]", "[@001:p4-p4]"])
bodies = st.one_of(
    st.lists(st.one_of(words, good_citations, syntax), max_size=14).map(" ".join),  # mostly valid: reaches rendering
    st.lists(st.one_of(words, citations, links, syntax), max_size=14).map(" ".join),
)

# --- seed text -------------------------------------------------------------------------------------

seed_lines = st.one_of(words, st.sampled_from(["", "Heading", "A sentence that ends.", "<script>x</script>", "p1", "  ", "\r", "\x0c", "\u2028"]))
seed_texts = st.lists(seed_lines, max_size=10).map("\n".join)
exclusions = st.dictionaries(st.sampled_from(["p1", "p2", "p3", "p4", "p9", "x", "P2"]), st.sampled_from(["Navigation of the clinic website", "ads", "", None]),
                             max_size=3)
page_names = st.sampled_from(["index.md", "topic.md", "sub/page.md", "a b.md", "Ünï.md", "sources.md", "glossary.md", "404.md", "x.y.md", "sub/index.md"])


glossary_entries = st.fixed_dictionaries(
    {"term": st.one_of(st.sampled_from(["Aura", "aura", "Migraine", "a", "C++", "[@001:p2]", "Topic"]), scalars),
     "definition": st.one_of(st.text(min_size=1, max_size=30), words, scalars)},
    optional={ "id": st.one_of(st.sampled_from(["aura", "Aura", "a b", "a--b"]), scalars),
              "aliases": st.one_of(st.lists(st.one_of(words, scalars), max_size=3), scalars), "extra": scalars},
)
glossaries = st.one_of(st.lists(glossary_entries, max_size=4), st.lists(st.one_of(glossary_entries, scalars), max_size=4), values)
PUBLICATION_FIELDS = ("authors", "year", "title", "journal", "doi", "url", "volume", "pages", "extra")
publications = st.dictionaries(
    st.one_of(st.just("smith2020"), st.sampled_from(["smith2020", "001", "a b", "x"]), st.integers(0, 5)),
    st.one_of(st.fixed_dictionaries({}, optional=dict.fromkeys(PUBLICATION_FIELDS, values)), scalars),
    max_size=3,
)


@dataclass
class Project:
    pages: dict[str, str] = field(default_factory=lambda: {"index.md": page("Home", "Welcome.\n")})
    seed: bytes = VALID_SEED.encode()
    sha256: str | None = None  # None: the seed's real checksum
    exclude: dict[str, object] = field(default_factory=dict)
    settings: str = "title: Fuzz\nbase_url: https://example.org/guide/\n"


def write_project(root: Path, project: Project) -> None:
    shutil.copytree(ROOT / "templates", root / "templates")  # copies: a link out of the project is refused
    shutil.copytree(ROOT / "static", root / "static")
    (root / "site.yaml").write_text(project.settings, encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / "001_example.txt").write_bytes(project.seed)
    entry = {"title": "Example", "publisher": "Clinic", "kind": "article", "sha256": project.sha256 or hashlib.sha256(project.seed).hexdigest()}
    if project.exclude:
        entry["exclude"] = project.exclude
    (root / "seeds" / "sources.yaml").write_text(yaml.safe_dump({"001": entry}, allow_unicode=True), encoding="utf-8")
    for name, text in project.pages.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(autouse=True, scope="module")
def no_build_cache() -> Iterator[None]:
    """Inputs are what is fuzzed here: every build starts cold and writes nothing but its output."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_CACHE", "off")
        yield


def assert_builds_or_fails_cleanly(project: Project, strict: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = Path(tmp)
        root = sandbox / "project"
        root.mkdir()
        write_project(root, project)
        out = sandbox / "out"
        before = files_under(sandbox)
        try:
            result = build(root, out_dir=out, strict=strict)
        except BuildError as exc:
            event("refused with BuildError")
            note(str(exc))
            assert exc.problems
            assert all(p.message and "\n" not in p.message for p in exc.problems)
            assert files_under(sandbox) == before  # nothing written, nothing removed
            return
        event("built")
        after = files_under(sandbox)
        changed = {name for name in after if before.get(name) != after[name]} | (before.keys() - after.keys())
        assert all(name.startswith("out/") for name in changed), sorted(changed)
        for relative in result.outputs:
            assert (out / relative).resolve().is_relative_to(out.resolve())
        assert sorted(p.name for p in sandbox.iterdir()) == ["out", "project"]


@given(front=front_matter_texts, shape=page_shapes, name=page_names, body=bodies)
def test_any_front_matter_builds_or_fails_cleanly(front: str, shape: str, name: str, body: str) -> None:
    page = shape.format(fm=front, body=body)
    project = Project()
    project.pages[name] = page
    assert_builds_or_fails_cleanly(project)


@given(pages=st.dictionaries(page_names, bodies, min_size=1, max_size=3), strict=st.booleans())
def test_any_markdown_with_citations_builds_or_fails_cleanly(pages: dict[str, str], strict: bool) -> None:
    project = Project()
    for index, (name, body) in enumerate(sorted(pages.items())):
        project.pages[name] = f"---\ntitle: Page {index}\norder: {index}\n---\n{body}\n"
    assert_builds_or_fails_cleanly(project, strict)


@given(seed=seed_texts, exclude=exclusions, raw=st.sampled_from([False] * 4 + [True]), junk=st.binary(max_size=8),
       wrong_checksum=st.sampled_from([False] * 4 + [True]), body=bodies)
def test_any_seed_text_builds_or_fails_cleanly(seed: str, exclude: dict[str, object], raw: bool, junk: bytes, wrong_checksum: bool, body: str) -> None:
    data = seed.encode("utf-8", "surrogatepass") + (junk if raw else b"")
    project = Project(seed=data, exclude=exclude, sha256="0" * 64 if wrong_checksum else None)
    project.pages["topic.md"] = f"---\ntitle: Topic\norder: 1\n---\n{body}\n"
    assert_builds_or_fails_cleanly(project)


SETTING_KEYS = ["title", "base_url", "language", "output_dir", "review_interval_months", "disclaimer", "theme"]
plausible_settings = st.fixed_dictionaries(
    {"title": st.text(min_size=1, max_size=20)},
    optional={"base_url": st.sampled_from(["https://example.org/", "http://example.org/a/b", "https://x.org/guide", "https://ex.org/<x>/"]),
              "language": st.sampled_from(["en", "en-GB", "de"]), "review_interval_months": st.integers(1, 120),
              "disclaimer": st.text(max_size=40), "description": st.text(max_size=40), "output_dir": st.sampled_from(["site", "public", "out/x"])},
)


@given(settings=st.one_of(
    plausible_settings.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.dictionaries(st.sampled_from(SETTING_KEYS), values, max_size=4).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(max_size=40),
))
def test_any_settings_build_or_fail_cleanly(settings: str) -> None:
    assert_builds_or_fails_cleanly(Project(settings=settings))


@given(glossary=glossaries, references=publications, cite=st.sampled_from(["", "", "[@smith2020]", "[@x]", "[@smith2020:p1]"]), body=bodies)
def test_any_glossary_and_bibliography_build_or_fail_cleanly(glossary: object, references: object, cite: str, body: str) -> None:
    project = Project()
    project.pages["glossary.yaml"] = yaml.safe_dump(glossary, allow_unicode=True)
    project.pages["references.yaml"] = yaml.safe_dump(references, allow_unicode=True)
    project.pages["topic.md"] = f"---\ntitle: Topic\norder: 1\n---\nAura and migraine {cite}. {body}\n"
    assert_builds_or_fails_cleanly(project)
