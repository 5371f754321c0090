"""The built site works wherever it is put: under a sub-path (`/guide/`) of a host, at any depth of
a missing page (404.html), and straight from the disk (`file://`).

The real project is built with `base_url: https://example.org/guide/` and served from a loopback
server that, like GitHub Pages or Netlify, maps `/guide/` to the folder, answers every miss with
`404.html`, and sends the headers of the site's own `_headers` file. A crawler follows every
internal link and asset of every page; Chromium checks what a crawler cannot (stylesheets applied,
the file:// link rewriting).
"""

from __future__ import annotations

import http.client
import http.server
import mimetypes
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from sitegen.commands.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://example.org/guide/"
PREFIX = "/guide/"

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("application/javascript", ".js")


# --- a host that serves the folder under a sub-path ---------------------------------------------------


def header_rules(folder: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of the site's `_headers` file, in order: (path pattern, [(name, value)])."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    path = folder / "_headers"
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            rules.append((line.strip(), []))
    return rules


def serve_under(folder: Path, prefix: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` at `prefix` on a free loopback port, as static hosts do; returns the server and
    the site's URL."""
    rules = header_rules(folder)
    root = folder.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._respond(body=True)

        def do_HEAD(self) -> None:
            self._respond(body=False)

        def _respond(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if path + "/" == prefix:
                return self._send(301, b"", "text/plain", body, location=prefix)
            target = None
            if path.startswith(prefix):
                relative = path[len(prefix):]
                candidate = (root / relative).resolve()
                if candidate.is_relative_to(root):
                    if candidate.is_dir() and not relative.endswith("/") and relative:
                        return self._send(301, b"", "text/plain", body, location=path + "/")
                    if candidate.is_dir():
                        candidate = candidate / "index.html"
                    if candidate.is_file():
                        target = candidate
            if target is None:
                return self._send(404, (root / "404.html").read_bytes(), "text/html; charset=utf-8", body, path=path)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            return self._send(200, target.read_bytes(), kind, body, path=path)

        def _send(self, status: int, data: bytes, kind: str, body: bool, location: str = "", path: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            for pattern, headers in rules:
                if path.startswith(pattern.rstrip("*")) if pattern.endswith("*") else path == pattern:
                    for name, value in headers:
                        self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class Links(HTMLParser):
    """Every URL a page refers to (href, src, srcset), and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.urls.append((tag, values[name]))
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.urls.append((tag, candidate.split()[0]))


def parse(html: bytes) -> Links:
    links = Links()
    links.feed(html.decode("utf-8", "replace"))
    return links


def internal(page_url: str, href: str) -> str:
    """`href` resolved against `page_url`, or "" when it leaves the site's host."""
    resolved = urljoin(page_url, href)
    base = urlsplit(page_url)
    parts = urlsplit(resolved)
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return ""
    return resolved


def page_urls(folder: Path, site_url: str) -> list[str]:
    """The URL of every HTML page of the folder (404.html aside)."""
    urls = []
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        if relative == "404.html":
            continue
        urls.append(site_url + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return urls


def broken_links(start_urls: list[str], expect_status: int = 200) -> list[str]:
    """Fetch each start URL and every internal URL its HTML refers to; return what fails."""
    failures: list[str] = []
    fetched: dict[str, tuple[int, bytes, str]] = {}
    ids: dict[str, set[str]] = {}

    def get(url: str) -> tuple[int, bytes, str]:
        if url not in fetched:
            status, headers, data = fetch(url)
            fetched[url] = (status, data, headers.get("content-type", ""))
        return fetched[url]

    for page in start_urls:
        status, data, kind = get(page)
        if status != expect_status or "text/html" not in kind:
            failures.append(f"{page}: status {status}, {kind}")
            continue
        links = parse(data)
        for tag, href in links.urls:
            target = internal(page, href)
            if not target:
                continue
            address, _, fragment = target.partition("#")
            if address == page.partition("#")[0]:  # the same document (the 404 page is not at its own address)
                if fragment and unquote(fragment) not in links.ids:
                    failures.append(f"{page}: <{tag}> {href!r}: no id {fragment!r} on the page")
                continue
            target_status, target_data, target_kind = get(address)
            if target_status != 200:
                failures.append(f"{page}: <{tag}> {href!r} → {address}: status {target_status}")
                continue
            if address not in ids:
                ids[address] = parse(target_data).ids if "text/html" in target_kind else set()
            if fragment and "text/html" in target_kind and unquote(fragment) not in ids[address]:
                failures.append(f"{page}: <{tag}> {href!r} → {address} has no id {fragment!r}")
    return failures


# --- fixtures -----------------------------------------------------------------------------------------


def copy_project(destination: Path, base_url: str) -> Path:
    """The real project's inputs, with `base_url` set."""
    for name in ("content", "seeds", "templates", "static"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, destination / name)
    settings = (ROOT / "site.yaml").read_text(encoding="utf-8")
    line = f'base_url: "{base_url}"'
    settings, found = re.subn(r"(?m)^base_url:.*$", line, settings)
    (destination / "site.yaml").write_text(settings if found else f"{settings.rstrip()}\n{line}\n", encoding="utf-8")
    return destination


@pytest.fixture(scope="module")
def guide_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built for https://example.org/guide/."""
    project = copy_project(tmp_path_factory.mktemp("guide-project"), BASE_URL)
    out = project / "site"
    assert main(["--project", str(project), "build", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def guide_url(guide_folder: Path) -> Iterator[str]:
    server, url = serve_under(guide_folder, PREFIX)
    yield url
    server.shutdown()
    server.server_close()


MISSING_AT_DEPTHS = ["nothing-here", "no/such/topic/", "sources/999/deeper/still/page.html"]


# --- served under /guide/ -------------------------------------------------------------------------------


def test_every_internal_link_and_asset_of_every_page_resolves_under_the_sub_path(guide_folder: Path, guide_url: str) -> None:
    pages = page_urls(guide_folder, guide_url)
    assert len(pages) > 1
    assert broken_links(pages) == []


@pytest.mark.parametrize("missing", MISSING_AT_DEPTHS)
def test_the_404_page_links_and_assets_resolve_at_any_depth(guide_url: str, missing: str) -> None:
    assert broken_links([guide_url + missing], expect_status=404) == []


def test_a_miss_outside_the_sub_path_still_gets_a_working_404_page(guide_url: str) -> None:
    outside = urljoin(guide_url, "/elsewhere/page/")
    assert broken_links([outside], expect_status=404) == []


def test_canonical_and_open_graph_urls_carry_the_base_path(guide_folder: Path, guide_url: str) -> None:
    for url in page_urls(guide_folder, guide_url):
        html = fetch(url)[2].decode("utf-8")
        expected = BASE_URL + url[len(guide_url):]
        assert re.search(rf'<link rel="canonical" href="{re.escape(expected)}">', html), url
        og = re.search(r'<meta property="og:url" content="([^"]*)">', html)
        assert og is None or og.group(1) == expected, url


def test_the_sitemap_lists_every_page_under_the_base_url(guide_folder: Path, guide_url: str) -> None:
    sitemap = (guide_folder / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert sorted(locations) == sorted(BASE_URL + url[len(guide_url):] for url in page_urls(guide_folder, guide_url))


def test_pages_are_served_with_the_headers_of_the_headers_file(guide_url: str) -> None:
    status, headers, _ = fetch(guide_url)
    assert status == 200
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


# --- without base_url -----------------------------------------------------------------------------------


SMALL_SITE = {
    "index.md": "---\ntitle: Home\n---\nWelcome [@001:p2].\n",
    "topic.md": "---\ntitle: A topic\norder: 1\n---\nA fact [@001:p4].\n",
    "glossary.md": "---\ntitle: Glossary\n---\nThe words.\n",
    "sources.md": "---\ntitle: Sources\n---\nThe texts.\n",
}


def test_without_base_url_the_404_page_works_at_the_domain_root(make_project: Callable[..., Path]) -> None:
    project = make_project(SMALL_SITE)
    assert main(["--project", str(project), "build", "--no-search"]) == 0
    server, url = serve_under(project / "site", "/")
    try:
        assert broken_links([url + "deep/missing/page/"], expect_status=404) == []
    finally:
        server.shutdown()
        server.server_close()


# --- Chromium ---------------------------------------------------------------------------------------------

# True when every stylesheet of the page loaded and changes how the page looks.
STYLES_APPLIED = """() => {
  const sheets = [...document.querySelectorAll('link[rel="stylesheet"]')];
  if (!sheets.length || sheets.some(link => !link.sheet)) return false;
  const look = () => ['html', 'body', 'header', 'main', 'footer'].map(selector => {
    const element = document.querySelector(selector);
    if (!element) return '';
    const style = getComputedStyle(element);
    return [style.fontFamily, style.margin, style.padding, style.color, style.backgroundColor, style.maxWidth, style.lineHeight].join(',');
  }).join('|');
  const styled = look();
  sheets.forEach(link => { link.disabled = true; });
  const plain = look();
  sheets.forEach(link => { link.disabled = false; });
  return styled !== plain;
}"""


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def test_the_404_page_at_a_deep_path_renders_with_its_stylesheet(page: object, guide_url: str) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))  # type: ignore[attr-defined]
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 and response.request.resource_type != "document" else None)  # type: ignore[attr-defined]
    response = page.goto(guide_url + "no/such/topic/at/all/")  # type: ignore[attr-defined]
    assert response.status == 404
    assert page.evaluate(STYLES_APPLIED)  # type: ignore[attr-defined]
    assert failed == []


def file_sample(folder: Path) -> list[Path]:
    """A page at each depth: the home page, a first-level page, a second-level page (a source)."""
    pages = sorted(folder.rglob("index.html"), key=lambda p: (len(p.relative_to(folder).parts), p.as_posix()))
    sample: dict[int, Path] = {}
    for path in pages:
        sample.setdefault(len(path.relative_to(folder).parts), path)
    return list(sample.values())


def test_the_file_sample_covers_three_depths(guide_folder: Path) -> None:
    assert [len(p.relative_to(guide_folder).parts) for p in file_sample(guide_folder)][:3] == [1, 2, 3]


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_from_file_pages_render_with_their_stylesheet(page: object, guide_folder: Path, depth: int) -> None:
    path = file_sample(guide_folder)[depth]
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    assert page.evaluate(STYLES_APPLIED), path  # type: ignore[attr-defined]


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_from_file_every_internal_link_opens_a_file(page: object, guide_folder: Path, depth: int) -> None:
    path = file_sample(guide_folder)[depth]
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")  # type: ignore[attr-defined]
    targets = [urlsplit(href) for href in hrefs if href.startswith("file:")]
    assert targets
    missing = [href.geturl() for href in targets if not Path(unquote(href.path)).is_file()]
    assert missing == []


def test_from_file_a_folder_link_opens_its_index_page(page: object, guide_folder: Path) -> None:
    home = guide_folder / "index.html"
    page.goto(home.as_uri())  # type: ignore[attr-defined]
    link = page.locator("nav.topics a").first  # type: ignore[attr-defined]
    link.click()
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.url.endswith("/index.html")  # type: ignore[attr-defined]
    assert page.evaluate(STYLES_APPLIED)  # type: ignore[attr-defined]
    assert page.locator("h1").count() >= 1  # type: ignore[attr-defined]
