"""Property-based test: random YAML values (text with markup and control characters, lists,
mappings, numbers, booleans, null, dates, URLs of every scheme) in random fields of every data file
(site.yaml, seeds/sources.yaml, content/glossary.yaml, content/references.yaml, front matter).

The build either succeeds, and then no element or attribute of the injected markup is in any page
and every link and image keeps to http, https, mailto or relative; or it fails with `BuildError`
lines of the form `path:line: message`. Never any other exception.

The example count comes from the Hypothesis profile registered in conftest.py: small by default;
`pytest tests/pipeline/test_fuzz_data.py --hypothesis-profile=long` runs thousands.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from html_parts import elements
from hypothesis import event, given, note
from hypothesis import strategies as st
from projects import ROOT, page

from sitegen.core.errors import BuildError
from sitegen.core.urls import url_scheme
from sitegen.pipeline import build

SEED = "Example Article\n\nA first paragraph about the topic.\n\nSection Two\n\nThe second paragraph, with a fact.\n"
TOPIC_BODY = "## Facts {#facts}\n\nAura is a fact [@001:p4] and a study [@smith2020].\n"
PROBLEM_LINE = re.compile(r"^[^:\n]+(:\d+)?: \S[^\n]*$")

BASE: dict[str, Any] = {
    "site.yaml": {"title": "Fuzz", "description": "A guide.", "language": "en", "base_url": "https://example.org/guide/", "review_interval_months": 12,
                  "disclaimer": "Education only, not *advice*."},
    "seeds/sources.yaml": {"001": {"title": "Example", "publisher": "Clinic", "date": "2022-01-01", "kind": "article", "promotional": False,
                                    "url": "https://example.org/a", "exclude": {"p1": "The title of the clinic article"}}},
    "content/glossary.yaml": [{"term": "Aura", "id": "aura", "definition": "Lights *before* a [migraine](https://example.org/m).", "aliases": ["auras"]}],
    "content/references.yaml": {"smith2020": {"authors": ["Smith J"], "year": 2020, "title": "A study", "journal": "J", "volume": "4", "pages": "1-2",
                                              "doi": "10.1/x", "url": "https://example.org/s", "note": "Read in full."}},
    "front matter": {"title": "A topic", "order": 1, "description": "About the topic.", "reviewed": "2026-01-15"},
}
FIELDS = [
    *[("site.yaml", (key,)) for key in ("title", "description", "language", "base_url", "disclaimer", "review_interval_months")],
    *[("seeds/sources.yaml", ("001", key)) for key in ("title", "publisher", "date", "kind", "promotional", "url", "exclude")],
    ("seeds/sources.yaml", ("001", "exclude", "p1")),
    *[("content/glossary.yaml", (0, key)) for key in ("term", "id", "definition", "aliases")],
    ("content/glossary.yaml", (0, "aliases", 0)),
    *[("content/references.yaml", ("smith2020", key)) for key in ("authors", "year", "title", "journal", "volume", "pages", "doi", "url", "note")],
    ("content/references.yaml", ("smith2020", "authors", 0)),
    *[("front matter", (key,)) for key in ("title", "description", "reviewed", "order")],
]

MARKUP = [
    "<img src=x onerror=alert(1)>", "<iframe src=//evil.example></iframe>", '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', "<svg onload=alert(1)>", '"><b onmouseover=alert(1)>', "&lt;script&gt;",
    "[x](javascript:alert(1))", "![x](data:text/html,x)", "<div>", "{: onclick=alert(1) }", "*em*", "`code`", "&#x3C;script&#x3E;",
]
SCHEMES = ["http", "https", "mailto", "javascript", "JaVaScRiPt", "data", "vbscript", "file", "ftp", "about", "blob", "java\tscript", " javascript", ""]
urls = st.builds(
    "{}{}{}".format, st.sampled_from(SCHEMES), st.sampled_from([":", "://", ":/", "&#58;", "://[::1", "://example.org:x/"]),
    st.sampled_from(["alert(1)", "example.org/a b", "example.org/p?q=1#f", "user@example.org", "", "%0a", "\x00"]),
) | st.sampled_from(["https://example.org/", "mailto:a@b.c", "page.html", "../x/", "#facts", "//evil.example/", "http://[::1", "http:///x"])
texts = st.one_of(
    st.sampled_from(MARKUP),
    st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=8), st.sampled_from(["\x00", "\x1b", "\x7f", "\u2028", "\ufeff", "\t", "\n"])),
             max_size=4).map("".join),
    urls.map(lambda url: f"[link]({url})"),
)
scalars = st.one_of(
    texts, urls, st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.sampled_from(["2022-13-45", "0000-01-01", "9999-12-01", "2022", "2022-02", "99999-01-01", "2026-02-30", "yesterday"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.sampled_from(["p1", "p2", "a", "title"]), scalars, max_size=2))
mutations = st.lists(st.tuples(st.sampled_from(FIELDS), values), min_size=1, max_size=4)


def put(document: Any, keys: tuple[Any, ...], value: object) -> None:
    """Set `document[k1][k2]… = value`, replacing a container on the way that a mutation made a scalar."""
    for depth, key in enumerate(keys[:-1]):
        child = _get(document, key)
        wanted = list if isinstance(keys[depth + 1], int) else dict
        if not isinstance(child, wanted):
            child = wanted()
            _set(document, key, child)
        document = child
    _set(document, keys[-1], value)


def _get(document: Any, key: Any) -> object:
    if isinstance(document, list):
        return document[key] if key < len(document) else None
    return document.get(key)


def _set(document: Any, key: Any, value: object) -> None:
    if isinstance(document, list) and key >= len(document):
        document.append(value)
    else:
        document[key] = value


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def write_project(root: Path, files: dict[str, Any], seed: str) -> None:
    (root / "templates").symlink_to(ROOT / "templates", target_is_directory=True)
    (root / "static").symlink_to(ROOT / "static", target_is_directory=True)
    (root / "seeds").mkdir()
    (root / "content").mkdir()
    (root / "seeds" / "001_example.txt").write_text(seed, encoding="utf-8")
    sources = files["seeds/sources.yaml"]
    if isinstance(sources, dict) and isinstance(sources.get("001"), dict):
        sources["001"].setdefault("sha256", hashlib.sha256(seed.encode()).hexdigest())
    for relative in ("site.yaml", "seeds/sources.yaml", "content/glossary.yaml", "content/references.yaml"):
        (root / relative).write_text(dump(files[relative]), encoding="utf-8")
    front = dump(files["front matter"]).rstrip("\n")
    (root / "content" / "topic.md").write_text(f"---\n{front}\n---\n{TOPIC_BODY}", encoding="utf-8")
    (root / "content" / "index.md").write_text(page("Home", "Welcome [@001:p2].\n"), encoding="utf-8")
    (root / "content" / "glossary.md").write_text(page("Glossary", "The terms.\n"), encoding="utf-8")
    (root / "content" / "sources.md").write_text(page("Sources", "The texts.\n"), encoding="utf-8")


def markup_in(html: str) -> list[str]:
    """Elements and attributes that only injected text could have made, and links that break the URL rule."""
    parsed = elements(html)
    found = []
    for tag, attrs in parsed.tags:
        if tag in ("iframe", "svg") or (tag == "img" and attrs.get("src") == "x") or any(key.startswith("on") for key in attrs):
            found.append(f"<{tag} {attrs}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for key in ("href", "src"):
            if attrs.get(key) is not None and url_scheme(attrs[key] or "") not in ("", "http", "https", "mailto"):
                found.append(f"<{tag} {key}={attrs[key]!r}>")
    # No inline script but JSON-LD, which escapes "<" as \u003c so that no text ends it.
    found += [f"<script>{text}" for attrs, text in parsed.scripts if "src" not in attrs and (attrs.get("type") != "application/ld+json" or "<" in text)]
    return found


@pytest.fixture(autouse=True, scope="module")
def no_build_cache() -> Iterator[None]:
    """Inputs are what is fuzzed here: every build starts cold."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_CACHE", "off")
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@given(changes=mutations, hostile_seed=st.sampled_from([False, False, True]))
def test_any_value_in_any_data_field_builds_without_markup_or_fails_with_line_errors(changes: list[tuple[tuple[str, tuple[Any, ...]], object]],
                                                                                      hostile_seed: bool) -> None:
    files = copy.deepcopy(BASE)
    for (relative, keys), value in changes:
        put(files[relative], keys, value)
    seed = SEED.replace("with a fact.", "with a fact <script>alert(1)</script> <img src=x onerror=alert(1)>.") if hostile_seed else SEED
    note(repr(changes))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        write_project(root, files, seed)
        try:
            result = build(root, out_dir=Path(tmp) / "out")
        except BuildError as exc:
            event("refused with BuildError")
            assert exc.problems
            lines = [str(problem) for problem in exc.problems]
            note("\n".join(lines))
            assert all(PROBLEM_LINE.match(line) for line in lines), lines
            return
        event("built")
        found = {name: markup_in(data.decode("utf-8")) for name, data in result.outputs.items() if name.endswith(".html")}
        assert {name: items for name, items in found.items() if items} == {}


def test_the_fuzzed_fields_exist_in_the_base_project() -> None:
    """Every field the property test changes is one the valid base project has (or a list item / mapping entry of one)."""
    for relative, keys in FIELDS:
        document = BASE[relative]
        for key in keys[:-1]:
            document = document[key]
        assert isinstance(document, (dict, list)), (relative, keys)
        assert keys[-1] in document if isinstance(document, dict) else keys[-1] < len(document), (relative, keys)
