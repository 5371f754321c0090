"""Checks on a rendered site: every internal link and anchor resolves, and every seed paragraph is
accounted for (cited by a page or excluded with a reason).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from array import array
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.errors import Problem, absolute_path
from ..core.layout import NOT_FOUND, SEEDS_FOLDER, SOURCES_FILE
from ..core.urls import relative_url, runs_script, url_scheme
from ..resolve.coverage import coverage
from ..resolve.model import ResolvedPage, Site


def coverage_problems(site: Site) -> list[Problem]:
    problems = []
    for row in coverage(site):
        source = site.sources[row.source_id]
        for number in row.uncited:
            passage = source.passage(number)
            assert passage is not None
            problems.append(Problem.at(
                site.settings.seeds_dir / source.file_name, passage.line,
                f"p{number} is neither cited by any page nor excluded in {SEEDS_FOLDER}/{SOURCES_FILE}",
            ))
    return problems


def coverage_table(site: Site) -> str:
    lines = [f"{'seed':<6} {'passages':>8} {'paragraphs':>10} {'cited':>6} {'excluded':>8} {'uncited':>7}"]
    for row in coverage(site):
        lines.append(f"{row.source_id:<6} {row.passages:>8} {row.paragraphs:>10} {row.cited:>6} {row.excluded:>8} {len(row.uncited):>7}")
    return "\n".join(lines)


# A comment, or the body of a script or style element (group 1: its start tag, without the "<"), as
# browsers end them: a comment at "-->", "--!>", or at once for "<!-->" and "<!--->"; a script or
# style body at "</script" or "</style" followed by a space, "/" or ">".
# Starting with the literal "<" lets the regular expression engine skip to each "<" directly.
_HIDDEN = re.compile(r"<(?:!--(?:-?>|.*?--!?>)|((script|style)\b[^>]*>).*?(?=</\2[\s/>]))", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s(id|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_WITH_ID_OR_LINK = re.compile(r"<[a-zA-Z](?=[^<>]*?\s(?:id|href|src)\s*=)[^<>]*>")  # the lookahead stays inside the tag


# Pages where an event handler or a script URL may be: only these are read attribute by attribute.
# Browsers end an attribute name at a space, "/" or after a quoted value, so "<p/onclick=…>" and
# '<p title="x"onclick=…>' carry a handler too. Both patterns start with a literal, which the
# regular expression engine finds at C speed, on the page lowercased once (browsers fold ASCII only).
_HANDLER_NAME = re.compile(r"on[a-z-]*\s*=")
_SCRIPT_URL_OR_REFERENCE = re.compile(r"script\s*:|&(?:#|tab;|newline;|colon;)")


def _may_be_unsafe(visible: str) -> bool:
    """Whether `visible` may hold an inline event handler or a script URL (a quick over-estimate)."""
    lowered = visible.lower()
    if _SCRIPT_URL_OR_REFERENCE.search(lowered):
        return True
    return any(match.start() and (lowered[match.start() - 1] in "/\"'" or lowered[match.start() - 1].isspace()) for match in _HANDLER_NAME.finditer(lowered))


# A start tag as browsers read it: a quoted value may hold "<" and ">" (possessive, so a tag left
# open costs one pass, not a search of every way to split it).
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"'=]|=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+)|["'])*+)>""")
_ANY_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})


def _blank_out(hidden: re.Match[str]) -> str:
    """A hidden stretch reduced to its line breaks (a script or style start tag kept)."""
    start_tag = hidden.group(1)
    if start_tag:
        return f"<{start_tag}" + "\n" * hidden.group(0).count("\n", len(start_tag) + 1)
    return "\n" * hidden.group(0).count("\n")


class _LinkCollector:
    """The ids and links (with their lines) of one HTML file, and what is wrong in the file itself:
    an id given twice, an inline event handler or a `javascript:` URL (written as raw HTML by an
    author; the templates and the Markdown converter make neither).

    The site's HTML is generated, so a scan of the start tags that carry an id, href or src
    (comments and script bodies left out) reads it exactly, at a fraction of `html.parser`'s cost.
    """

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []
        self.notes: list[tuple[int, str, str]] = []  # line, message, what to look for in the page's Markdown

    def feed(self, text: str) -> None:
        visible = _HIDDEN.sub(_blank_out, text)
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
                if key == "id":
                    if value in self.ids:
                        self.notes.append((line, f"duplicate id {value!r}: links to #{value} reach only its first use", value))
                    elif value:
                        self.ids.add(value)
                else:
                    self.links.append((line, value))
        if _may_be_unsafe(visible):
            self._unsafe(visible)

    def _unsafe(self, visible: str) -> None:
        """Note each inline event handler and each attribute whose URL runs script."""
        line, position = 1, 0
        for tag in _START_TAG.finditer(visible):
            for name, double, single, bare in _ANY_ATTRIBUTE.findall(tag.group(2)):
                lowered = name.lower()
                value = double or single or bare
                if lowered.startswith("on"):
                    message = f"inline event handler {name}= on <{tag.group(1)}>: the Content-Security-Policy blocks it; use static/ script"
                elif lowered in _URL_ATTRIBUTES and runs_script(value):
                    message = f"{url_scheme(value)}: URL in <{tag.group(1)} {name}>: the Content-Security-Policy blocks it; link to a page"
                else:
                    continue
                line += visible.count("\n", position, tag.start())
                position = tag.start()
                self.notes.append((line, message, name))


_SEARCHED_IDS = 4096  # up to this length, the ids of a page are searched as one text; beyond, looked up in a set


@dataclass(frozen=True)
class LinkScan:
    """The ids and links (with their lines) of one HTML file, kept compact: three flat values
    instead of a set and a tuple of pairs, a quarter of the memory (a 10,000-page site has some
    1.6 million links, and a build cache keeps the scan of every page)."""

    id_text: str  # "\0" + every id followed by "\0", sorted
    hrefs: str  # every link's value, in order, joined by "\0"
    lines: bytes  # every link's line, an array("I")
    notes: tuple[tuple[int, str, str], ...] = ()  # duplicate ids, event handlers, script URLs: line, message, what the Markdown holds

    @property
    def ids(self) -> list[str]:
        return self.id_text.split("\0")[1:-1]

    @property
    def links(self) -> list[tuple[int, str]]:
        lines = array("I", self.lines)
        return list(zip(lines, self.hrefs.split("\0"), strict=True)) if lines else []

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
    collector = _LinkCollector()
    collector.feed(data.decode("utf-8", "replace"))
    hrefs = [href.replace("\0", "\ufffd") for _, href in collector.links]  # as a browser reads a NUL
    return LinkScan(
        "\0" + "".join(f"{name}\0" for name in sorted(collector.ids)),
        "\0".join(hrefs),
        array("I", [line for line, _ in collector.links]).tobytes(),
        tuple(collector.notes),
    )


def link_problems(
    outputs: Mapping[str, bytes],
    output_dir: str | Path = "site",
    site: Site | None = None,
    scan: Callable[[str, bytes], LinkScan] | None = None,
    only: Collection[str] | None = None,
) -> list[Problem]:
    """Internal `href`/`src` values and `#anchors` of every HTML output that point nowhere.

    Given the `site`, a broken link written in a page's Markdown is reported at that Markdown file
    and line (where the editor fixes it), once, rather than at the rendered HTML. A build cache
    passes `scan` (reusing earlier scans of unchanged files) and `only` (the outputs to check).
    """
    parsed: dict[str, LinkScan] = {}
    for path, data in outputs.items():
        if path.endswith(".html"):
            parsed[path] = scan(path, data) if scan is not None else scan_links(data)
    problems: list[Problem] = []
    pages = {page.output: page for page in site.pages} if site is not None else {}
    reported = {(p.path, p.line) for p in site.findings} if site is not None else set()
    origins: dict[str, _ContentOrigins] = {}
    hrefs: dict[str, _Href] = {}
    verdicts: dict[tuple[str, str], str] = {}  # (folder the href climbs to, href) → problem ("" for none)
    for path, collector in sorted(parsed.items()):
        if path == NOT_FOUND or (only is not None and path not in only):
            continue  # 404: served at any depth, with root-absolute links: checked by deploy tests
        folder = posixpath.dirname(path)
        climbed = _ancestors(folder)
        for line, href in collector.links:
            meaning = hrefs.get(href)
            if meaning is None:
                meaning = hrefs[href] = _read_href(href)
            if meaning.problem is not None:
                message = meaning.problem
            elif 0 <= meaning.climbs < len(climbed):
                # From every page whose folder `href` climbs (by its leading "..") to the same
                # ancestor, it resolves alike: one verdict serves them all.
                key = (climbed[meaning.climbs], href)
                known = verdicts.get(key)
                message = known if known is not None else verdicts.setdefault(key, _link_problem(path, folder, href, meaning, outputs, parsed))
            else:
                message = _link_problem(path, folder, href, meaning, outputs, parsed)
            if not message:
                continue
            page = pages.get(path)
            if page is not None and path not in origins:
                origins[path] = _ContentOrigins(page, site.settings.content_dir)  # type: ignore[union-attr]
            origin = origins[path].of(href) if path in origins else None
            if origin is None:
                problems.append(Problem.at(Path(output_dir, path), line, message))
            elif origin not in reported:
                problems.append(Problem(*origin, message))
        written_at: dict[str, tuple[str, int] | None] = {}  # searched once each, the first `MAX_SEARCHES` of them
        for line, message, needle in collector.notes:
            if path in pages and needle not in written_at and len(written_at) < _ContentOrigins.MAX_SEARCHES:
                written_at[needle] = _written_at(pages[path], needle, site.settings.content_dir)  # type: ignore[union-attr]
            written = written_at.get(needle)
            problems.append(Problem(*written, message) if written else Problem.at(Path(output_dir, path), line, message))
    return problems


def _written_at(page: ResolvedPage, needle: str, content_dir: Path) -> tuple[str, int] | None:
    """Where in the page's Markdown an id or attribute name is written (`#needle`, `needle=`), if it is."""
    found = re.search(rf"#{re.escape(needle)}\b|\b{re.escape(needle)}\s*=", page.body, re.IGNORECASE)
    if found is None:
        return None
    return absolute_path(content_dir / page.source), page.body_line + page.body.count("\n", 0, found.start())


class _ContentOrigins:
    """Where in the Markdown file a link of the page's body was written: a rewritten cross-link at
    the line it was found on, any other at the first place its text appears in the Markdown.

    Only the links that have a problem are looked up, and only the first `MAX_SEARCHES` of them
    by searching the Markdown: a page with thousands of broken links of its own (footnotes nothing
    refers to, whose back-links point nowhere) would cost a search of the whole page for each.
    The others are reported at their line of the HTML.
    """

    MAX_SEARCHES = 100

    def __init__(self, page: ResolvedPage, content_dir: Path) -> None:
        collector = _LinkCollector()
        collector.feed(page.html)
        self.page = page
        self.path = absolute_path(content_dir / page.source)
        self.in_body = {href for _, href in collector.links}
        self.rewritten: dict[str, int] = {}
        for link in page.links:
            fragment = f"#{link.fragment}" if link.fragment else ""
            same_page = link.target_url == page.url and fragment
            self.rewritten.setdefault(fragment if same_page else relative_url(page.url, link.target_url) + fragment, link.line)
        self.found: dict[str, tuple[str, int] | None] = {}

    def of(self, href: str) -> tuple[str, int] | None:
        """(path, line) of `href` in the Markdown; None when it is not the page body's, or not found."""
        if href not in self.in_body:
            return None
        if href in self.rewritten:
            return self.path, self.rewritten[href]
        if href not in self.found and len(self.found) < self.MAX_SEARCHES:
            body = self.page.body
            index = body.find(href)
            self.found[href] = (self.path, self.page.body_line + body.count("\n", 0, index)) if href and index >= 0 else None
        return self.found.get(href)


@dataclass(frozen=True)
class _Href:
    """What an href says before it is resolved against the page it is on."""

    problem: str | None  # the verdict when it is the same on every page ("" for a link not checked); None: resolve it
    path: str = ""  # the path, percent-escapes decoded ("" for a link within its own page)
    fragment: str = ""  # as written, for messages
    anchor: str = ""  # the fragment with percent-escapes decoded
    folder_link: bool = False  # the path, as written, ends with "/"
    climbs: int = -1  # the path's leading ".." segments, when no ".." follows them (-1: another follows, or a link within its page)


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


def _link_problem(path: str, folder: str, href: str, meaning: _Href, outputs: Mapping[str, bytes], parsed: Mapping[str, LinkScan]) -> str:
    """What is wrong with `href` (read as `meaning`) on the page `path` in `folder` ("" if nothing)."""
    target = path
    if meaning.path:
        target = posixpath.normpath(posixpath.join(folder, meaning.path))
        if target.startswith("../") or target == "..":
            return f"link {href!r} leaves the site"
        if meaning.folder_link or target == ".":
            target = "index.html" if target == "." else f"{target}/index.html"
        if target not in outputs:
            if f"{target}/index.html" in outputs:
                return f"link {href!r} to a folder needs a trailing slash"
            return f"broken link {href!r}: no {target} in the site"
    if meaning.fragment:
        scanned = parsed.get(target)
        if scanned is not None and not scanned.has_id(meaning.anchor):
            return f"broken anchor {href!r}: {target} has no id {meaning.fragment!r}"
    return ""
