"""Content pages and the glossary: Markdown files with YAML front matter, validated per the contract."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.errors import BuildError, Problems
from ..core.files import list_inputs, read_text
from ..core.layout import RESERVED_NAMES
from ..core.packed import deflated_text, inflated_text
from ..core.records import compact
from ..dialect.density import density_problem
from ..dialect.limits import block_breaks_problem, nesting_problem, page_size_problem
from .fields import Fields
from .schema import DATE, MAPPING, TEXT, TRUE_OR_FALSE, WHOLE_NUMBER, Key, Schema, read_mapping
from .structured_data import NOTHING_GIVEN, StructuredData, read_structured_data
from .yaml_files import YamlDocument, parse_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
MAX_SLUG = 100  # a slug names a folder of the site: file systems allow 255 bytes, and short addresses read better
# Ids the templates give elements of a page (see templates/*.html), and the ids of citations and
# reference-list entries: no author's `{#id}` or glossary id may take one, and a heading named like
# one ("References") gets another.
RESERVED_IDS = frozenset({"main", "references", "search-input", "search-results", "toc-title", "topics-title", "seed-texts", "publications"})
RESERVED_ID_PATTERN = re.compile(r"^(?:ref-[0-9]+|cite-[0-9]+-[0-9]+|pub-.*|figure-[0-9]+(?:-title|-desc|-hatch)?)$")


# `statements: editorial` opts a page out of statement coverage: its text is the editors' own (an
# about page, the sources page), and none of it needs a citation.
STATEMENTS = ("cited", "editorial")


def _slug_problem(slug: str) -> str:
    if not SLUG.match(slug):
        return f"slug {slug!r} is not a plain URL segment: use lowercase letters, digits and hyphens (no '/', '..' or spaces)"
    if len(slug) > MAX_SLUG:
        return f"slug is {len(slug)} characters long: keep it to {MAX_SLUG} (it names a folder of the site)"
    return ""


FRONT_MATTER = Schema((
    Key("title", TEXT, required=True),
    Key("description", TEXT, default=""),
    Key("order", WHOLE_NUMBER),
    Key("slug", TEXT, check=_slug_problem),
    Key("reviewed", DATE),
    Key("structured_data", MAPPING),
    Key("statements", TEXT, default="cited",
        check=lambda value: "" if value in STATEMENTS else f"statements must be one of {', '.join(map(repr, STATEMENTS))}, not {value!r}"),
    Key("draft", TRUE_OR_FALSE, default=False),  # shown by `serve` only: not built, listed, indexed or counted as citing
))
FRONT_MATTER_KEYS = FRONT_MATTER.names


def is_reserved_id(value: str) -> bool:
    return value in RESERVED_IDS or RESERVED_ID_PATTERN.match(value) is not None


class AtUrl:
    """What follows from a page's pretty URL: the file it is written to, and its slug."""

    __slots__ = ()
    url: str

    @property
    def output(self) -> str:
        return f"{self.url}index.html"

    @property
    def slug(self) -> str:
        return PurePosixPath(self.url).name


@compact
@dataclass(frozen=True, slots=True)
class Page(AtUrl):
    """A content page as written: front matter fields and the Markdown body."""

    source: str  # path relative to content/, e.g. "topic.md"
    url: str  # pretty URL relative to the site root: "" for the home page, "topic/" otherwise
    title: str
    description: str
    order: int | None
    reviewed: dt.date | None
    deflated_body: bytes  # the Markdown body, held deflated (`body` reads it): converted once, searched only for a problem's line
    body_line: int  # the file line on which the body starts
    slug_line: int = 0  # the front matter line of `slug`, 0 when the URL comes from the file name
    reviewed_line: int = 0  # the front matter line of `reviewed`, 0 when there is none
    structured_data: StructuredData = NOTHING_GIVEN  # what this page's JSON-LD says, where it differs from the site's
    editorial: bool = False  # `statements: editorial`: no statement of the page needs a citation
    draft: bool = False  # `draft: true`: shown by the dev server only

    @property
    def body(self) -> str:
        return inflated_text(self.deflated_body)


def load_pages(content_dir: Path) -> list[Page]:
    """Every `content/**/*.md`, validated; all problems reported together."""
    pages, problems = read_pages(content_dir)
    problems.raise_if_any()
    return pages


def read_pages(content_dir: Path, parse: Callable[[Path, str], Page] | None = None) -> tuple[list[Page], Problems]:
    """The pages that parse, and the problems of the rest (so later checks can still run on the good ones).

    `parse` reads one file (default `parse_page`; a build cache passes one that reuses earlier results).
    """
    problems = Problems()
    pages: list[Page] = []
    listing = list_inputs(content_dir)
    problems.items.extend(listing.problems)
    files, folders = listing.files, listing.folders
    for relative in folders:
        if relative.endswith(".md"):
            problems.add(content_dir / relative, 0, "a folder named like a page: rename the folder (pages are .md files)")
    for relative in files:
        if relative.endswith(".md"):
            path = content_dir / relative
            try:
                check_size(path)
                pages.append((parse or parse_page)(path, relative))
            except BuildError as exc:
                problems.extend(exc)
    by_url: dict[str, list[Page]] = {}
    for page in pages:
        by_url.setdefault(page.url, []).append(page)
        if page.url.split("/", 1)[0] in RESERVED_NAMES:
            problems.add(content_dir / page.source, page.slug_line or 1, f"the URL /{page.url} is reserved for a file the build writes; choose another slug")
    for url, same in by_url.items():
        if len(same) < 2:
            continue
        # Blame the pages whose slug causes the clash; without slugs, the files after the first.
        for page in [p for p in same if p.slug_line] or same[1:]:
            others = ", ".join(f"content/{other.source}" for other in same if other is not page)
            problems.add(content_dir / page.source, page.slug_line or 1, f"duplicate URL /{url}: also produced by {others}; change the slug")
    for relative in files:
        if not relative.endswith((".md", ".yaml", ".yml")):
            problems.add(content_dir / relative, 0, "unexpected file in content/: pages are .md files (images and other files belong in static/)")
    return pages, problems


def check_size(path: Path) -> None:
    """Refuse a page file too large to convert, before anything reads it."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # reading it reports why
    problem = page_size_problem(size)
    if problem:
        raise BuildError.at(path, 0, problem)


def parse_page(path: Path, relative: str) -> Page:
    """One Markdown file with front matter: `path`, which is `relative` in the project's content/."""
    text = read_text(path, project_of_page(path, relative))
    lines = text.split("\n")
    doc, end = _front_matter(path, text, lines)
    problems = Problems()
    fields = Fields(path, doc, problems)
    meta = read_mapping(fields, doc.data, FRONT_MATTER)
    title = fields.text(meta["title"], ("title",), "title")
    description = fields.text(meta["description"], ("description",), "description")
    reviewed_iso = fields.date(meta["reviewed"], ("reviewed",), "reviewed")
    structured_data = read_structured_data(fields, meta["structured_data"], "structured_data")
    slug_written = doc.data.get("slug") is not None
    url = _page_url(relative, meta["slug"])
    if meta["slug"] is not None or not slug_written:  # the URL is the file's path, or the slug's: check its other parts
        bad = [part for part in url.split("/") if part and not SLUG.match(part)]
        if bad:
            problems.add(
                path, 1,
                f"the URL /{url} has parts that are not plain URL segments ({', '.join(map(repr, bad))}): rename the file "
                "or folder with lowercase letters, digits and hyphens, or give the page a slug",
            )
    body = "\n".join(lines[end + 1 :])
    _check_body(problems, path, body, end + 1)
    problems.raise_if_any()
    return Page(
        source=relative,
        url=url,
        title=title,
        description=description,
        order=meta["order"],
        reviewed=dt.date.fromisoformat(reviewed_iso) if reviewed_iso else None,
        deflated_body=deflated_text(body),
        body_line=end + 2,
        slug_line=doc.line("slug") if slug_written else 0,
        reviewed_line=doc.line("reviewed") if reviewed_iso else 0,
        structured_data=structured_data,
        editorial=meta["statements"] == "editorial",
        draft=meta["draft"],
    )


def _front_matter(path: Path, text: str, lines: list[str]) -> tuple[YamlDocument, int]:
    """The front matter of a page, parsed (a mapping), and the index of the line that closes it."""
    if not text.strip():
        raise BuildError.at(path, 1, "empty page: start it with front matter (---, title: …, ---)")
    if lines[0].strip() != "---":
        raise BuildError.at(path, 1, "front matter missing: the file must start with a line '---', then title: …, then '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise BuildError.at(path, 1, "front matter not closed: add a line '---' after the last key") from None
    doc = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if doc.data is None:
        return YamlDocument({}, doc.key_lines, doc.first_line), end
    if not isinstance(doc.data, dict):
        raise BuildError.at(path, 2, "front matter must be a mapping of keys (title: …), not a list or a single value")
    return doc, end


def _check_body(problems: Problems, path: Path, body: str, offset: int) -> None:
    """Element density, nesting and crowded block breaks in a page body that starts after file line
    `offset`: the first of them found (density first: it stops where its count passes a limit)."""
    too_dense = density_problem(body)
    if too_dense is not None:
        problems.add(path, offset + too_dense[0], too_dense[1])
        return
    too_deep = nesting_problem(body)
    if too_deep is not None:
        problems.add(path, offset + too_deep[0], too_deep[1])
    crowded = block_breaks_problem(body) if too_deep is None else None
    if crowded is not None:
        problems.add(path, offset + crowded[0], crowded[1])


def project_of_page(path: Path, relative: str) -> Path:
    """The project a page file belongs to: the folder holding its content/ folder."""
    return path.parents[len(PurePosixPath(relative).parts)]


def _page_url(relative: str, slug: str | None) -> str:
    """The page's URL: its path in content/ ("topic/", "" for index.md), its last part replaced by `slug` if given."""
    parts = PurePosixPath(relative).with_suffix("").parts
    if parts[-1] == "index":
        parts = parts[:-1]
    if slug is not None:
        parts = (*parts[:-1], slug) if parts else (slug,)
    return "".join(f"{part}/" for part in parts)
