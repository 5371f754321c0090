"""`sitegen review [PAGE…] [--out FILE]`: the citation sheet (`check.sheet`) as one self-contained
HTML file for a reviewer: every statement beside the full text of what it cites, the quote, number
and softening findings marked in words, a link to the statement's file and its line. Inline CSS with
a print stylesheet, no script, no request: it works offline. Written outside the output folder
(default: `review.html` in the project folder; its folder made when missing), atomically; everything
in it is escaped."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from ..check.sheet import PageSheet, pages_named, sheet
from ..check.verification import NUMBER, QUOTE, SOFTENING
from ..core.errors import BuildError
from ..pipeline import build

DEFAULT_FILE = "review.html"
LABELS = {QUOTE: "Quote not found", NUMBER: "Number not found", SOFTENING: "Possibly stronger than the source"}


@dataclass(frozen=True)
class Review:
    """What `review` wrote: the file, and how many pages, statements and findings it holds."""

    path: Path
    pages: int
    statements: int
    findings: int


def write_review(root: Path, names: Sequence[str], out: Path | None) -> Review:
    """The review of the pages `names` (all when none) of the project at `root`, written to `out`."""
    result = build(root, write=False)
    site = result.site
    target = (out or root / DEFAULT_FILE).resolve()
    refusal = _refusal(target, site.settings.output_path.resolve(), site.settings.output_dir)
    if refusal:
        raise BuildError.at(target, 0, refusal)
    only = pages_named(site, names) if names else None
    pages = sheet(site, site.settings.content_dir.name, only)
    html = render_review(site.settings.title, site.settings.language, pages, _link_base(target, root))
    _write_atomically(target, html)
    return Review(target, len(pages), sum(len(page.rows) for page in pages), sum(page.findings for page in pages))


def _refusal(target: Path, output: Path, output_dir: str) -> str:
    """Why the review may not be written to `target` ("" when it may): not into the output folder, which
    each build replaces, nor over a folder."""
    if target == output or output in target.parents:
        return f"the review is written outside the output folder ({output_dir}/), which each build replaces: choose another --out"
    if target.is_dir():
        return "is a folder: give the review's file name, such as review.html"
    return ""


def render_review(title: str, language: str, pages: list[PageSheet], link_base: str) -> str:
    """The review's HTML: `link_base` leads from the file to the project folder (its links to the pages' files)."""
    template = _environment().get_template("review.html")
    statements, findings = sum(len(page.rows) for page in pages), sum(page.findings for page in pages)
    return template.render(title=title, language=language, pages=pages, link_base=link_base, labels=LABELS, statements=statements, findings=findings)


def _environment() -> jinja2.Environment:
    source = resources.files(__package__).joinpath("review.html").read_text(encoding="utf-8")
    return jinja2.Environment(loader=jinja2.DictLoader({"review.html": source}), autoescape=True, undefined=jinja2.StrictUndefined)


def _link_base(target: Path, root: Path) -> str:
    """The relative URL from the review's folder to the project folder ("" when the same), ending in "/"."""
    relative = Path(os.path.relpath(root.resolve(), target.parent)).as_posix()
    return "" if relative == "." else f"{relative}/"


def _write_atomically(target: Path, text: str) -> None:
    """`text` into `target`, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.new-{os.getpid()}")
    try:
        staged.write_text(text, encoding="utf-8")
        os.replace(staged, target)
    except OSError:
        staged.unlink(missing_ok=True)
        raise
