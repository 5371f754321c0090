#!/usr/bin/env python3
"""Every statement of every page beside what it cites, for checking a site's citations by eye.

Usage:  python scripts/citation_sheet.py [PROJECT] [--markdown]

For the project at PROJECT (default: the one in this repository), page by page in the site's order,
prints each statement (paragraph, list item, table cell, definition: the engine's statements) with
its line and its Markdown, and beside it each citation it carries: the full text of the cited seed
passage (with its source and section), or the publication's entry, the part cited (its locator) and
its `note` from content/references.yaml. Statements without a citation are printed too, marked
UNCITED (or editorial, where they need none), and the findings of the quote, number and softening
checks are printed under the statement they concern, marked `!`. The sheet itself is the engine's
(`sitegen.check.sheet`, which `sitegen review` writes as one HTML file). Plain text by default; `--markdown` prints a table per
page. The sheet is made from the engine's own build (nothing is written), not from a second parser:
a project that does not build prints its problems, one `path:line: message` a line, and exits 1.
Nothing is written into the project, not even to its cache.
"""

from __future__ import annotations

import argparse
import html
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this repository's engine, before any installed one

from sitegen.check.sheet import PageSheet, sheet  # noqa: E402
from sitegen.core.errors import BuildError  # noqa: E402
from sitegen.incremental.memo import Memo  # noqa: E402
from sitegen.pipeline import build  # noqa: E402

WIDTH = 100


def as_text(pages: list[PageSheet]) -> str:
    """The sheet as plain text: each page, then each statement, then each citation beside it, indented."""
    out: list[str] = []
    for page in pages:
        out += [f"{page.source}: {page.title}", _counts(page), ""]
        for row in page.rows:
            out.append(f"  line {row.line}, {row.kind}: {row.status}")
            out += _wrapped(row.text, "    ")
            for cited in row.cited:
                out.append(f"    {cited.label}")
                for text in cited.texts:
                    out += _wrapped(text, "        ")
            for finding in row.findings:
                out += _wrapped(f"! {finding.kind}: {finding.problem.message}", "    ")
            out.append("")
    out.append(_total(pages))
    return "\n".join(out)


def as_markdown(pages: list[PageSheet]) -> str:
    """The sheet as Markdown: a heading and a table per page, a row per statement."""
    out: list[str] = []
    for page in pages:
        out += [f"## {_cell(page.source)}: {_cell(page.title)}", "", _counts(page), ""]
        out += ["| Line | Statement | Status | Cited | Cited text |", "| --- | --- | --- | --- | --- |"]
        for row in page.rows:
            labels = "<br>".join(_cell(cited.label) for cited in row.cited)
            texts = "<br><br>".join("<br>".join(_cell(text) for text in cited.texts) for cited in row.cited)
            out.append(f"| {row.line} | {_cell(row.text)} | {row.status} | {labels} | {texts} |")
        out.append("")
    out.append(_total(pages))
    return "\n".join(out)


def _total(pages: list[PageSheet]) -> str:
    everything = PageSheet("", "", tuple(row for page in pages for row in page.rows))
    return f"All {len(pages)} pages: {_counts(everything)}"


def _counts(page: PageSheet) -> str:
    cited = page.count("cited") + page.count("cited by the items it introduces")
    return f"{len(page.rows)} statements: {cited} cited, {page.count('editorial')} editorial, {page.count('UNCITED')} uncited"


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False) or [indent.rstrip()]


def _cell(text: str) -> str:
    """`text` shown as written in a Markdown table cell: on one line, its backslashes, pipes and markup characters escaped."""
    return html.escape(" ".join(text.split()), quote=False).replace("\\", "\\\\").replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Every statement of every page beside the passages and publications it cites.")
    parser.add_argument("project", nargs="?", type=Path, default=ROOT, help="the project folder (default: this repository's)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table per page instead of plain text")
    args = parser.parse_args(argv)
    try:
        result = build(args.project.resolve(), Memo.off(), write=False)  # the project's cache is neither read nor written
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    content = result.site.settings.content_dir.name
    pages = sheet(result.site, content)
    print(as_markdown(pages) if args.markdown else as_text(pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
