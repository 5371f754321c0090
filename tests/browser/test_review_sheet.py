"""The review sheet of the example site (`sitegen review`) opens offline in Chromium with no axe
violation, no request and no console error, and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from projects import ROOT

from sitegen.commands.review import write_review


def _review(tmp_path: Path) -> Path:
    return write_review(ROOT, [], tmp_path / "review.html").path


def test_the_review_of_the_example_site_has_no_axe_violations(axe: Any, new_page: Any, tmp_path: Path) -> None:
    page = new_page()
    page.goto(_review(tmp_path).as_uri())
    violations = [f"{v['id']}: {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}" for v in axe.run(page).response["violations"]]
    page.screenshot(path=str(tmp_path / "review.png"))
    assert violations == []


def test_the_review_makes_no_request_and_logs_no_error(new_page: Any, tmp_path: Path) -> None:
    page = new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    url = _review(tmp_path).as_uri()
    page.goto(url)
    assert requests == [url] and errors == []


def test_the_review_prints_with_every_statement(new_page: Any, tmp_path: Path) -> None:
    page = new_page()
    page.goto(_review(tmp_path).as_uri())
    page.emulate_media(media="print")
    assert page.locator("nav").is_hidden()
    assert page.locator("article.statement").count() > 100 and page.locator("article.statement").first.is_visible()
