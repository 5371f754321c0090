"""A render key holds exactly what an output's templates can see, and what that is is derived from
the code: the site's fields from its dataclass, the fixed names from `fixed_context`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from projects import load_site, write

from sitegen.incremental.memo import Memo
from sitegen.render.keys import RenderKeys
from sitegen.render.pages import Job, page_jobs
from sitegen.render.theme import theme_for
from sitegen.resolve.model import Site

WiderSite = dataclasses.make_dataclass("WiderSite", [("extra", str, "")], bases=(Site,), frozen=True)


def _topic_key(root: Path, site: Site) -> str:
    memo = Memo.off()
    theme, theme_key = theme_for(site.settings, memo)
    job: Job = next(job for job in page_jobs(site) if job.url == "topic/")
    return RenderKeys(site, theme, theme_key, memo).of(job)


def _wider(site: Site, extra: str) -> Site:
    return WiderSite(**{field.name: getattr(site, field.name) for field in dataclasses.fields(site) if field.init}, extra=extra)


def test_a_field_added_to_the_site_is_part_of_the_key_of_a_template_reading_it(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "templates" / "page.html", "{{ site.extra }}\n")
    site = load_site(root)
    assert _topic_key(root, _wider(site, "one")) != _topic_key(root, _wider(site, "two"))


def test_a_field_added_to_the_site_is_part_of_the_key_of_a_template_using_the_whole_site(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "templates" / "page.html", "{{ site | length if site is mapping else 0 }}\n")
    site = load_site(root)
    assert _topic_key(root, _wider(site, "one")) != _topic_key(root, _wider(site, "two"))


def test_a_field_the_templates_do_not_read_is_not_part_of_the_key(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "templates" / "page.html", "{{ site.glossary | length }}\n")
    site = load_site(root)
    assert _topic_key(root, _wider(site, "one")) == _topic_key(root, _wider(site, "two"))


def test_a_name_of_the_fixed_context_does_not_make_the_key_depend_on_the_site(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "templates" / "page.html", "{{ canonical }}{{ generator }}\n")
    site = load_site(root)
    assert _topic_key(root, _wider(site, "one")) == _topic_key(root, _wider(site, "two"))
