"""The link check keeps the hrefs it read and the verdicts it made for a bounded number of links,
then forgets them: what it finds must not depend on what it still remembers."""

from __future__ import annotations

import pytest

from sitegen.check import links
from sitegen.check.links import link_problems


def many_pages(count: int) -> dict[str, bytes]:
    """`count` pages in one folder, each linking to the next (a broken anchor on every third), to the home page and to a missing file."""
    outputs = {"index.html": b'<p id="top">home</p>'}
    for number in range(count):
        anchor = "nowhere" if number % 3 == 0 else "here"
        page = f'<h2 id="here">{number}</h2>\n<a href="../p{number + 1}/#{anchor}">next</a>\n<a href="../../#top">home</a>\n<a href="../gone.html">gone</a>'
        outputs[f"s/p{number}/index.html"] = page.encode()
    return outputs


def test_link_problems_are_the_same_whatever_the_check_still_remembers(monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = many_pages(40)
    remembering_all = link_problems(outputs)
    monkeypatch.setattr(links, "_REMEMBERED", 2)
    assert link_problems(outputs) == remembering_all
    assert len(remembering_all) > 40  # the missing file on every page, a broken anchor on every third, the last page's link to none
