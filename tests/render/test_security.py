"""Security of the built site: text from seeds and front matter is escaped, templates carry no
inline script or event handler, every page and the hosting headers carry a strict
Content-Security-Policy, and YAML bombs fail fast with a clear error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from html_parts import elements, html_pages
from projects import ROOT, page

from sitegen.commands.cli import main
from sitegen.render.hosting import HEADERS
from sitegen.render.pages import CONTENT_SECURITY_POLICY

SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
HOSTILE_SEED = f"""Example Article

{SCRIPT} was quoted on the clinic page, they said.

Section Two

The second paragraph ends with {IMAGE} and a fact.

The third paragraph, promotional and excluded.
"""


@pytest.fixture
def hostile_site(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> Path:
    """A site whose seed, seed metadata and front matter all carry HTML meant to run."""
    root = make_project(
        pages={
            "index.md": f"---\ntitle: 'Home {SCRIPT}'\ndescription: '{IMAGE.replace(chr(39), chr(39) * 2)}'\n---\nWelcome [@001:p2].\n",
            "topic.md": f"---\ntitle: 'Topic {SCRIPT}'\norder: 1\ndescription: 'About {IMAGE}'\n---\nA fact [@001:p4].\n",
            "sources.md": page("Sources", "The texts.\n"),
        },
        seed_text=HOSTILE_SEED,
    )
    sources = root / "seeds" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("title: Example Article", f"title: 'Article {SCRIPT}'").replace(
            "publisher: Example Clinic", f"publisher: 'Clinic {IMAGE}'"
        ),
        encoding="utf-8",
    )
    (root / "site.yaml").write_text(f"title: 'Site {SCRIPT}'\ndescription: 'Guide {IMAGE}'\nlanguage: en\n", encoding="utf-8")
    assert main(["--project", str(root), "build", "--no-search"]) == 0, capsys.readouterr().err
    return root / "site"


def test_seed_and_front_matter_html_is_shown_as_text(hostile_site: Path) -> None:
    pages = html_pages(hostile_site)
    source = pages["sources/001/index.html"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in source or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in source
    assert "&lt;img src=x onerror=alert(1)&gt;" in source
    assert "Topic &lt;script&gt;" in pages["topic/index.html"]


def test_hostile_text_creates_no_element_anywhere(hostile_site: Path) -> None:
    for name, html in html_pages(hostile_site).items():
        parsed = elements(html)
        assert not [tag for tag, attrs in parsed.tags if tag == "img" and attrs.get("src") == "x"], name
        assert not [text for _, text in parsed.scripts if "<" in text], name  # JSON-LD escapes "<" as \\u003c


def test_built_pages_have_no_inline_event_handlers_or_scripts(hostile_site: Path) -> None:
    for name, html in html_pages(hostile_site).items():
        parsed = elements(html)
        handlers = [(tag, key) for tag, attrs in parsed.tags for key in attrs if key.lower().startswith("on")]
        assert handlers == [], name
        inline = [attrs for attrs, text in parsed.scripts if "src" not in attrs and attrs.get("type") != "application/ld+json"]
        assert inline == [], name
        assert not [attrs for tag, attrs in parsed.tags if (attrs.get("href") or "").strip().lower().startswith("javascript:")], name


def test_templates_have_no_inline_event_handlers_or_scripts() -> None:
    for template in sorted((ROOT / "templates").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), template.name
        for tag in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE):
            assert "src=" in tag or "application/ld+json" in tag, f"{template.name}: inline {tag}"


def test_every_page_carries_the_content_security_policy(hostile_site: Path) -> None:
    for name, html in html_pages(hostile_site).items():
        metas = [attrs for tag, attrs in elements(html).tags if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
        assert [m.get("content") for m in metas] == [CONTENT_SECURITY_POLICY], name


def test_the_policy_allows_no_inline_script_and_no_other_origin() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";") if part.strip())
    assert set(directives["script-src"].split()) <= {"'self'", "'wasm-unsafe-eval'"}  # WebAssembly for the search index only
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    tokens = CONTENT_SECURITY_POLICY.replace(";", " ").split()
    assert "'unsafe-inline'" not in tokens and "'unsafe-eval'" not in tokens
    assert not re.search(r"https?:|\*|//", CONTENT_SECURITY_POLICY)


def test_hosting_headers_carry_the_same_policy(hostile_site: Path) -> None:
    headers = (hostile_site / HEADERS).read_text(encoding="utf-8")
    [line] = [line.strip() for line in headers.splitlines() if line.strip().startswith("Content-Security-Policy:")]
    assert line.removeprefix("Content-Security-Policy:").strip().startswith(CONTENT_SECURITY_POLICY)


# ---------------------------------------------------------------------------------------------
# YAML: safe_load only, and bombs refused before they expand
# ---------------------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
)  # nine levels of nine: 387 million strings once expanded


@pytest.mark.parametrize("relative", ["content/topic.md", "site.yaml", "seeds/sources.yaml", "content/glossary.yaml"])
def test_a_yaml_bomb_fails_with_a_clear_error(relative: str, make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project()
    monkeypatch.chdir(root)
    path = root / relative
    if relative == "content/topic.md":
        path.write_text(f"---\ntitle: Bomb\n{BILLION_LAUGHS}\n---\nText.\n", encoding="utf-8")
    elif relative == "content/glossary.yaml":
        path.write_text("- term: Bomb\n  definition: Text.\n- " + BILLION_LAUGHS.replace("\n", "\n  ") + "\n", encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + BILLION_LAUGHS + "\n", encoding="utf-8")
    # A time limit as a guard only: expanded, the bomb would take minutes and gigabytes.
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-search"], cwd=root, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert re.search(rf"^{re.escape(relative)}:\d+: (YAML expands to too many values|invalid YAML)", done.stderr, re.MULTILINE), done.stderr


def test_yaml_python_tags_are_not_executed(make_project: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "ran"
    root = make_project(pages={"index.md": f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nHi.\n"})
    assert main(["--project", str(root), "build", "--no-search"]) == 1
    assert not marker.exists()
    assert "content/index.md:2: invalid YAML" in capsys.readouterr().err.replace(str(root) + "/", "")


def test_deeply_nested_yaml_is_a_clear_error(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: T\ndescription: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert main(["--project", str(root), "build", "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "site.yaml:1: YAML nested too deeply" in err.replace(str(root) + "/", "")
