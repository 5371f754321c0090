"""The link check of a rendered site: every internal `href`/`src` and `#anchor` of every HTML output
must point at an output and an id that exist.

Each HTML file is scanned once into a compact `LinkScan` (its ids, its links with their lines and the
raw-HTML notes of `raw_html.py`); `link_problems` then judges every link against the scans of the
whole site, and reports a link written in a page's Markdown at that file and line (see `origins.py`).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from array import array
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from ..core.errors import Problem
from ..core.layout import NOT_FOUND
from ..core.packed import deflated_text, inflated_text
from ..resolve.model import ResolvedPage, Site
from .anchors import missing_anchor_message
from .origins import MarkdownOrigins, rewritten_href, rewritten_lines
from .raw_html import Note, distinct_ids, note_problems, script_notes, spelled_as_name, visible_html

_ATTRIBUTE = re.compile(r"""\s(id|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_WITH_ID_OR_LINK = re.compile(r"<[a-zA-Z](?=[^<>]*?\s(?:id|href|src)\s*=)[^<>]*>")  # the lookahead stays inside the tag
_SEARCHED_IDS = 4096  # up to this length, the ids of a page are searched as one text; beyond, looked up in a set
# The hrefs read and the verdicts made, kept for the next pages up to this many each, then forgotten
# all at once: the links every page has (the theme's) are found again at once, while those of one page
# alone (a 10,000-page site has hundreds of thousands) do not pile up until the check ends.
_REMEMBERED = 8192
Key = TypeVar("Key")
Value = TypeVar("Value")


@dataclass(frozen=True)
class _Collected:
    """The ids and links (with their lines) of one HTML file, and its raw-HTML notes."""

    ids: set[str]
    links: list[tuple[int, str]]
    notes: list[Note]


def _collect(text: str) -> _Collected:
    """What one HTML file holds. The site's HTML is generated, so a scan of the start tags that carry
    an id, href or src (comments and script bodies left out) reads it exactly, at a fraction of
    `html.parser`'s cost."""
    visible = visible_html(text)
    ids: list[tuple[int, str]] = []
    links: list[tuple[int, str]] = []
    line, position = 1, 0
    for tag in _TAG_WITH_ID_OR_LINK.finditer(visible):
        found = _ATTRIBUTE.findall(tag.group(0))
        if not found:
            continue
        line += visible.count("\n", position, tag.start())
        position = tag.start()
        for key, double, single in found:
            value = double or single
            if "&" in value:
                value = html.unescape(value)
            (ids if key == "id" else links).append((line, value))
    distinct, duplicates = distinct_ids(ids)
    return _Collected(distinct, links, duplicates + script_notes(visible))


@dataclass(frozen=True)
class LinkScan:
    """The ids and links (with their lines) of one HTML file, kept compact: three flat values
    instead of a set and a tuple of pairs, a quarter of the memory (a 10,000-page site has some
    1.6 million links, and a build cache keeps the scan of every page)."""

    id_text: str  # "\0" + every id followed by "\0", sorted
    hrefs: bytes  # every link's value, in order, joined by "\0", deflated (`core.packed`): read once a check, kept by the memo until the build ends
    lines: bytes  # every link's line, an array("I")
    notes: tuple[Note, ...] = ()  # duplicate ids, event handlers, script URLs: line, message, what the Markdown holds

    @property
    def ids(self) -> list[str]:
        return self.id_text.split("\0")[1:-1]

    @property
    def links(self) -> list[tuple[int, str]]:
        lines = array("I", self.lines)
        return list(zip(lines, inflated_text(self.hrefs).split("\0"), strict=True)) if lines else []

    def has_id(self, value: str) -> bool:
        if len(self.id_text) < _SEARCHED_IDS:
            return "\0" not in value and f"\0{value}\0" in self.id_text
        return value in self._id_set  # a search of a long text per link costs the square of a page of many anchors

    @functools.cached_property
    def _id_set(self) -> frozenset[str]:
        return frozenset(self.ids)

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if name != "_id_set"}  # the set is not kept in the cache


def scan_links(data: bytes) -> LinkScan:
    """The ids and the links (with their lines) of one HTML file."""
    collected = _collect(data.decode("utf-8", "replace"))
    hrefs = [href.replace("\0", "\ufffd") for _, href in collected.links]  # as a browser reads a NUL
    return LinkScan(
        "\0" + "".join(f"{name}\0" for name in sorted(collected.ids)),
        deflated_text("\0".join(hrefs)),
        array("I", [line for line, _ in collected.links]).tobytes(),
        tuple(collected.notes),
    )


def link_problems(
    outputs: Mapping[str, bytes],
    output_dir: str | Path = "site",
    site: Site | None = None,
    scan: Callable[[str], LinkScan] | None = None,
    only: Collection[str] | None = None,
) -> list[Problem]:
    """Internal `href`/`src` values and `#anchors` of every HTML output that point nowhere, and the
    raw-HTML notes of every output.

    Given the `site`, a problem written in a page's Markdown is reported at that Markdown file and
    line (where the editor fixes it) rather than at the rendered HTML, and a broken link the site
    model already reports there is not reported again. A build cache passes `scan` (an output's scan by
    its path, reusing earlier scans of unchanged files: its bytes are then not read) and `only` (the outputs to check).
    """
    parsed: Mapping[str, LinkScan] = (
        _ScannedOnDemand(outputs, scan) if scan is not None else {path: scan_links(data) for path, data in outputs.items() if path.endswith(".html")}
    )
    check = _LinkCheck(outputs, parsed, Path(output_dir), site)
    problems: list[Problem] = []
    for path in sorted(parsed if only is None else (path for path in only if path in parsed)):
        if path != NOT_FOUND:  # 404: served at any depth, with root-absolute links: checked by deploy tests
            problems += check.problems_of(path, parsed[path])
    return problems


class _ScannedOnDemand(Mapping[str, LinkScan]):
    """The scan of each HTML output, asked of `scan` when a check needs it (a few outputs checked
    again need the scans of the outputs they link to, not of the whole site)."""

    def __init__(self, outputs: Mapping[str, bytes], scan: Callable[[str], LinkScan]) -> None:
        self._outputs, self._scan = outputs, scan

    def __getitem__(self, path: str) -> LinkScan:
        if not path.endswith(".html") or path not in self._outputs:
            raise KeyError(path)
        return self._scan(path)

    def __iter__(self) -> Iterator[str]:
        return (path for path in self._outputs if path.endswith(".html"))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class _Href:
    """What an href says before it is resolved against the page it is on."""

    problem: str | None  # the verdict when it is the same on every page ("" for a link not checked); None: resolve it
    path: str = ""  # the path, percent-escapes decoded ("" for a link within its own page)
    fragment: str = ""  # as written, for messages
    anchor: str = ""  # the fragment with percent-escapes decoded
    folder_link: bool = False  # the path, as written, ends with "/"
    climbs: int = -1  # the path's leading ".." segments, when no ".." follows them (-1: another follows, or a link within its page)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What is wrong with a link ("" for nothing), and the output whose id it lacks, if that is what is wrong."""

    message: str
    lacks_id: str = ""


_FINE = _Verdict("")  # of every link that is not broken


class _LinkCheck:
    """The link check of one site, output by output: each href read once, each verdict that holds on
    many pages made once, each problem placed in its page's Markdown when it is written there."""

    def __init__(self, outputs: Mapping[str, bytes], parsed: Mapping[str, LinkScan], output_dir: Path, site: Site | None) -> None:
        self.outputs, self.parsed, self.output_dir = outputs, parsed, output_dir
        self.site = site
        self.content_dir = site.settings.content_dir if site is not None else Path()
        self.reported = {(p.path, p.line) for p in site.findings} if site is not None else set()  # the site's own: not said twice
        self._hrefs: dict[str, _Href] = {}
        self._verdicts: dict[tuple[str, str], _Verdict] = {}  # (folder the href climbs to, href) → its verdict

    def _page_at(self, path: str) -> ResolvedPage | None:
        """The content page whose output is at `path`, if it is one."""
        if self.site is None or not path.endswith("index.html") or not (path == "index.html" or path.endswith("/index.html")):
            return None
        page = self.site.page(path.removesuffix("index.html"))
        return page if page is not None and page.output == path else None

    def problems_of(self, path: str, scanned: LinkScan) -> list[Problem]:
        """The broken links and the raw-HTML notes of the output `path`."""
        page = self._page_at(path)
        problems = self._broken_links(path, scanned, page)
        if scanned.notes:
            names = MarkdownOrigins(page, self.content_dir, spelled_as_name) if page is not None else None
            problems += note_problems(scanned.notes, self.output_dir / path, names)
        return problems

    def _broken_links(self, path: str, scanned: LinkScan, page: ResolvedPage | None) -> list[Problem]:
        """Each broken link of `path`: at its place in the page's Markdown unless a problem is already
        reported there, else at its line of the HTML file."""
        problems: list[Problem] = []
        ancestors = _ancestors(posixpath.dirname(path))
        origins: _BodyLinks | None = None  # made at the first problem: it scans the page's body
        for line, href in scanned.links:
            verdict = self._verdict(path, ancestors, href)
            if not verdict.message:
                continue
            origins = origins or _BodyLinks(page, self.content_dir)
            origin = origins.of(href)
            if origin is None:
                problems.append(Problem.at(self.output_dir / path, line, verdict.message))
            elif origin not in self.reported:
                problems.append(Problem(*origin, self._in_authors_terms(verdict, path, origins.written(href), _read_href(href).anchor)))
        return problems

    def _in_authors_terms(self, verdict: _Verdict, path: str, written: str, anchor: str) -> str:
        """The message of a link written in the Markdown: a missing anchor of a page named as the author wrote the link."""
        target = self._page_at(verdict.lacks_id)
        if target is None:
            return verdict.message
        return missing_anchor_message(written, anchor, target, verdict.lacks_id == path, self.parsed[verdict.lacks_id].ids)

    def _verdict(self, path: str, ancestors: list[str], href: str) -> _Verdict:
        """What is wrong with `href` on the page `path`; `ancestors`: its folder and those above it."""
        meaning = self._hrefs.get(href)
        if meaning is None:
            meaning = _remember(self._hrefs, href, _read_href(href))
        if meaning.problem is not None:
            return _Verdict(meaning.problem)
        if not 0 <= meaning.climbs < len(ancestors):
            return _link_problem(path, ancestors[0], href, meaning, self.outputs, self.parsed)
        # From every page whose folder `href` climbs (by its leading "..") to the same ancestor, it
        # resolves alike: one verdict serves them all.
        key = (ancestors[meaning.climbs], href)
        known = self._verdicts.get(key)
        if known is None:
            known = _remember(self._verdicts, key, _link_problem(path, ancestors[0], href, meaning, self.outputs, self.parsed))
        return known


class _BodyLinks:
    """Where in the Markdown file a link of the page's body was written: a rewritten cross-link at
    the line it was found on, any other at the first place its text appears in the Markdown; a link
    the templates added (not in the body), or one of an output that is no page, is at none."""

    def __init__(self, page: ResolvedPage | None, content_dir: Path) -> None:
        self.in_body: set[str] = set()
        self.origins: MarkdownOrigins | None = None
        self.as_written: dict[str, str] = {}  # a rewritten cross-link's href → the href the author wrote
        if page is not None:
            self.in_body = {href for _, href in _collect(page.html).links}
            self.origins = MarkdownOrigins(page, content_dir, known=rewritten_lines(page))
            self.as_written = {rewritten_href(page, link): link.written for link in reversed(page.links) if link.written}

    def of(self, href: str) -> tuple[str, int] | None:
        """(path, line) of `href` in the Markdown; None when it is not the page body's, or not found."""
        return self.origins.of(href) if self.origins is not None and href in self.in_body else None

    def written(self, href: str) -> str:
        """`href` as the author wrote it (a cross-link as the `.md` link it was rewritten from)."""
        return self.as_written.get(href, href)


def _remember(known: dict[Key, Value], key: Key, value: Value) -> Value:
    """`value`, kept in `known` under `key`; `known` emptied first when it holds `_REMEMBERED` values."""
    if len(known) >= _REMEMBERED:
        known.clear()
    known[key] = value
    return value


def _read_href(href: str) -> _Href:
    try:
        parts = urlsplit(href)
    except ValueError as exc:  # in raw HTML: http://[::1
        return _Href(f"malformed URL {href!r}: {exc}")
    if parts.scheme or parts.netloc or href.startswith("//"):
        return _Href("")
    if not href:
        return _Href("empty link")
    if parts.path.startswith("/"):
        return _Href(f"root-absolute link {href!r}: internal links must be relative")
    path = unquote(parts.path) if parts.path else ""
    climbs = -1
    if path:
        segments = path.split("/")
        climbs = 0
        while climbs < len(segments) and segments[climbs] == "..":
            climbs += 1
        if ".." in segments[climbs:]:
            climbs = -1
    return _Href(None, path, parts.fragment, unquote(parts.fragment), parts.path.endswith("/"), climbs)


def _ancestors(folder: str) -> list[str]:
    """`folder`, its parent, its parent's parent … up to the site root (""); just `[folder]` when its
    path is not in normal form (then `..` segments would not simply climb it)."""
    if not folder:
        return [""]
    names = folder.split("/")
    if any(name in ("", ".", "..") for name in names):
        return [folder]
    return ["/".join(names[:depth]) for depth in range(len(names), -1, -1)]


def _link_problem(path: str, folder: str, href: str, meaning: _Href, outputs: Mapping[str, bytes], parsed: Mapping[str, LinkScan]) -> _Verdict:
    """What is wrong with `href` (read as `meaning`) on the page `path` in `folder`."""
    target = path
    if meaning.path:
        target = posixpath.normpath(posixpath.join(folder, meaning.path))
        if target.startswith("../") or target == "..":
            return _Verdict(f"link {href!r} leaves the site")
        if meaning.folder_link or target == ".":
            target = "index.html" if target == "." else f"{target}/index.html"
        if target not in outputs:
            if f"{target}/index.html" in outputs:
                return _Verdict(f"link {href!r} to a folder needs a trailing slash")
            return _Verdict(f"broken link {href!r}: no {target} in the site")
    if meaning.fragment:
        scanned = parsed.get(target)
        if scanned is not None and not scanned.has_id(meaning.anchor):
            return _Verdict(f"broken anchor {href!r}: {target} has no id {meaning.fragment!r}", target)
    return _FINE
