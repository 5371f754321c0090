"""Search with Pagefind, on a small site whose words are known (`theme_site`): results open under
the search box in the same page, ranked by relevance; without JavaScript the box is hidden; from
file:// it says why it cannot work."""

from __future__ import annotations

import functools
import http.server
import threading
from typing import Any
from urllib.parse import urljoin

import pytest
from served_sites import ServedSite


def _results(page: Any, query: str) -> list[str]:
    """The URL paths of the (whole-page) results listed for `query`, best first."""
    page.fill("#search-input", query)
    from playwright.sync_api import expect  # imported here: without Playwright the browser fixture skips (or fails under CI)

    expect(page.locator(".search-status")).to_contain_text(f"for “{query}”")
    hrefs = page.eval_on_selector_all(".search-result > a", "links => links.map(a => a.href)")
    return [urljoin(page.url, h).split("/", 3)[3] for h in hrefs]


@pytest.fixture
def home(new_page: Any, theme_site: ServedSite) -> Any:
    page = new_page()
    page.goto(theme_site.url)
    return page


def test_search_lists_the_page_that_uses_the_word_most_first(home: Any) -> None:
    found = _results(home, "receptor")
    assert found[0] == "receptors/" and "stages/" in found


def test_search_finds_the_one_page_with_the_word(home: Any) -> None:
    assert _results(home, "aura") == ["stages/"]


def test_search_results_open_in_the_page_without_navigating(home: Any, theme_site: ServedSite) -> None:
    _results(home, "receptor")
    assert home.url == theme_site.url
    assert home.locator("#search-results").is_visible()


def test_search_results_list_sections_as_sub_results(home: Any) -> None:
    _results(home, "receptor")
    first = home.locator(".search-result").first
    assert first.locator(".search-sub a").count() >= 1
    assert "#" in first.locator(".search-sub a").first.get_attribute("href")


def test_search_result_is_reached_by_arrow_key_and_escape_closes(home: Any) -> None:
    _results(home, "receptor")
    home.keyboard.press("ArrowDown")
    assert home.evaluate("document.activeElement.matches('.search-result > a')")
    home.keyboard.press("Escape")
    assert home.locator("#search-results").is_hidden()
    assert home.evaluate("document.activeElement.id") == "search-input"


def test_search_for_nonsense_says_no_results(home: Any) -> None:
    from playwright.sync_api import expect

    home.fill("#search-input", "xqzvwk")
    expect(home.locator(".search-status")).to_have_text("No results for “xqzvwk”.")


def test_search_box_is_hidden_without_javascript(new_page: Any, theme_site: ServedSite) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(theme_site.url)
    assert page.locator("form.search").count() == 1
    assert page.locator("form.search").is_hidden()


def test_search_from_file_url_says_it_needs_a_web_server(new_page: Any, theme_site: ServedSite) -> None:
    page = new_page()
    page.goto((theme_site.folder / "index.html").as_uri())
    page.fill("#search-input", "receptor")
    assert "web server" in page.locator(".search-status").inner_text()
    assert page.locator(".search-result").count() == 0


def test_searching_logs_no_error_and_violates_no_policy(new_page: Any, theme_site: ServedSite) -> None:
    page = new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(theme_site.url)
    page.evaluate("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective))")
    assert _results(page, "receptor")
    assert (errors, page.evaluate("window.__csp")) == ([], [])


class _PolicyHandler(http.server.SimpleHTTPRequestHandler):
    """Sends the site's Content-Security-Policy as a header, as the hosting headers do (it then also
    governs Pagefind's worker, where the index's WebAssembly compiles)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        from sitegen.render.pages import CONTENT_SECURITY_POLICY

        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        super().end_headers()


def test_search_works_under_the_policy_sent_as_a_header(new_page: Any, theme_site: ServedSite) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PolicyHandler, directory=str(theme_site.folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        assert _results(page, "receptor")
    finally:
        server.shutdown()
        server.server_close()


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder under /guide/, as a project site on a shared host."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/guide"))


def test_search_results_link_into_the_site_under_a_sub_path(new_page: Any, theme_site: ServedSite) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(theme_site.folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/guide/")
        paths = _results(page, "receptor")
        assert paths and all(p.startswith("guide/") for p in paths)
    finally:
        server.shutdown()
        server.server_close()
