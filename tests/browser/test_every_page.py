"""Every page of each checked site (the project's own, `example`, and the one `sitegen new` writes,
`demo`) loads cleanly in Chromium: no console error, no failed request, no request to another
origin, no Content-Security-Policy violation.

All pages are visited once (session fixture) with every event recorded; each test then asserts one
kind of problem is absent, naming the pages where it occurred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from served_sites import ServedSite

# Runs before any page script: records CSP violations reported to the document.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@dataclass
class Visit:
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def visits(browser: Any, each_site: ServedSite) -> dict[str, Visit]:
    site_url, site_pages = each_site.url, each_site.pages
    origin = urlsplit(site_url).netloc
    context = browser.new_context()
    context.add_init_script(RECORD_CSP)
    results: dict[str, Visit] = {}
    current = Visit()

    def route(route: Any) -> None:
        if urlsplit(route.request.url).netloc != origin and not route.request.url.startswith("data:"):
            current.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: current.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: current.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: current.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: current.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
    for path in site_pages:
        current = Visit()
        results[path or "/"] = current
        # Network idle, not just load: the favicon is fetched after load, and leaving earlier would abort it.
        page.goto(site_url + path, wait_until="networkidle")
        current.csp.extend(page.evaluate("window.__cspViolations"))
    context.close()
    return results


def _where(visits: dict[str, Visit], attribute: str) -> dict[str, list[str]]:
    return {path: getattr(v, attribute) for path, v in visits.items() if getattr(v, attribute)}


def test_site_has_pages_to_check(each_site: ServedSite) -> None:
    assert "" in each_site.pages and "404.html" in each_site.pages and len(each_site.pages) >= 4


def test_no_page_logs_a_console_error(visits: dict[str, Visit]) -> None:
    assert _where(visits, "console_errors") == {}


def test_no_page_has_a_failed_request(visits: dict[str, Visit]) -> None:
    assert _where(visits, "failed") == {}


def test_no_page_requests_another_origin(visits: dict[str, Visit]) -> None:
    assert _where(visits, "foreign") == {}


def test_no_page_violates_the_content_security_policy(visits: dict[str, Visit]) -> None:
    assert _where(visits, "csp") == {}
