"""The topic menu in every page's header, bounded in size whatever the number of topics.

Up to `MENU_LIMIT` topics, every topic is listed. Beyond, topics are grouped by their top folder:
the menu lists the sections near the current one and, within the current section, the topics near
the current page. A page's size (and the work to render it) then does not grow with the site; the
home page still lists every topic.

A build asks for a page's menu twice (to key the page's output, then to render it) and for every
page, so the sections of a site's topics are worked out once and each menu is made once, in a
`Menus` for those topics. It lives here, for the last topics asked about, not in the site model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.records import compact
from ..resolve.model import PageSummary, Site

MENU_LIMIT = 40  # topics listed in full in every header up to this many; sections beyond
SECTION_LIMIT = 15  # topics of the current section listed at scale


@compact
@dataclass(frozen=True, slots=True)
class MenuItem:
    """An entry of the topic menu in every page's header: a topic, or at scale a section."""

    url: str
    title: str
    level: int  # 1: a topic or a section; 2: a topic of the current page's section


@dataclass(frozen=True)
class _Section:
    """Topics under one top folder, in reading order, with their menu entries made once."""

    item: MenuItem  # the section's own entry: its landing page, its only topic, or its folder's name
    entries: tuple[MenuItem | None, ...]  # each topic at level 2 (None for the landing page, which `item` is); none for a lone topic


class Menus:
    """The menu of every page of a site whose topics are `topics` (its pages in reading order)."""

    def __init__(self, topics: tuple[PageSummary, ...]) -> None:
        self.topics = topics
        self._every_topic = tuple(MenuItem(p.url, p.title, 1) for p in topics) if len(topics) <= MENU_LIMIT else None
        groups: dict[str, list[PageSummary]] = {}
        for page in topics:
            name = page.url.split("/", 1)[0] if page.url.count("/") > 1 else page.url.rstrip("/")
            groups.setdefault(name, []).append(page)
        self._sections = tuple(_section(name, members) for name, members in groups.items())
        self._heads = tuple(section.item for section in self._sections)
        # Each topic's URL → (its section's position, its position in that section).
        self._positions = {p.url: (i, j) for i, members in enumerate(groups.values()) for j, p in enumerate(members)}
        self._made: dict[str, tuple[MenuItem, ...]] = {}

    def of(self, url: str) -> tuple[MenuItem, ...]:
        """The menu of the page at `url`."""
        if self._every_topic is not None:
            return self._every_topic
        known = self._made.get(url)
        if known is None:
            known = self._made[url] = self._make(url)
        return known

    def _make(self, url: str) -> tuple[MenuItem, ...]:
        heads = self._heads
        position, here = self._positions.get(url, (None, 0))
        first = 0 if position is None else max(0, min(position - MENU_LIMIT // 2, len(heads) - MENU_LIMIT))
        last = min(first + MENU_LIMIT, len(heads))
        if position is None:
            return heads[first:last]
        entries = self._sections[position].entries
        start = max(0, min(here - SECTION_LIMIT // 2, len(entries) - SECTION_LIMIT))
        near = tuple(entry for entry in entries[start : start + SECTION_LIMIT] if entry is not None)
        return heads[first : position + 1] + near + heads[position + 1 : last]


def _section(name: str, topics: list[PageSummary]) -> _Section:
    head = next((p for p in topics if p.url == f"{name}/"), None)  # the topic at the section's own URL
    if len(topics) == 1 or head is not None:
        item = MenuItem((head or topics[0]).url, (head or topics[0]).title, 1)
    else:
        item = MenuItem(topics[0].url, name.replace("-", " ").capitalize(), 1)
    entries = tuple(None if p is head else MenuItem(p.url, p.title, 2) for p in topics) if len(topics) > 1 else ()
    return _Section(item, entries)


_latest: Menus | None = None


def menus_of(topics: tuple[PageSummary, ...]) -> Menus:
    """The `Menus` of `topics`: the ones made last while these are the same (immutable) tuple, else new ones."""
    global _latest
    menus = _latest
    if menus is None or menus.topics is not topics:
        menus = _latest = Menus(topics)
    return menus


def menu(site: Site, url: str) -> tuple[MenuItem, ...]:
    """The topic menu of the page at `url`."""
    return menus_of(site.topics).of(url)
