"""Render, the third stage: the site model and the theme become every output file, `{path: bytes}`.

A build that writes the site holds its outputs packed (`core.packed`: deflated, each unpacked when
it is read), so that the whole site is never in memory at once; the dev server and `check` hold
plain bytes, which the dev server compares with the previous build's.

Each page's output is kept in the memo under its render key (see `keys`), with the pages its
templates looked up by URL (`site.page(url)`) and their digests, which must match again for the
entry to be used. Only the outputs whose keys are new are rendered (over several cores when there
are many); a template's problem anywhere is reported with every other in one BuildError.

After an edit of a few pages, `render_again` renders only their outputs and those that looked them
up, while every template's shared part of the key is unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import BuildError, Problems
from ..core.layout import ROBOTS, SITEMAP
from ..core.packed import Packed, PackedOutputs, packed_shape
from ..core.parallel import parallel_map
from ..incremental.cache import instance_of, tuple_of, tuple_with
from ..incremental.memo import Kind, Memo
from ..resolve.model import ResolvedPage, Site
from .hosting import hosting_files
from .keys import RenderKeys
from .pages import Job, page_job, page_jobs, render_job, sitemap
from .theme import Theme

# An output's bytes (packed), and the pages looked up by URL while rendering it, with their digests then.
OUTPUT = Kind("output", tuple_with(packed_shape, tuple_of(tuple_with(instance_of(str), instance_of(str)))))


@dataclass(frozen=True)
class Rendered:
    """Every output of the site, with what each was made from and which this build rendered anew; and
    what rendering some outputs again needs: the job of each page output, the pages each looked up
    by URL, and the render keys (with the digest each template's outputs share)."""

    outputs: Mapping[str, bytes]  # a `PackedOutputs` when rendered `packed`
    keys: Mapping[str, str]  # page output → a digest of everything its bytes follow from
    fresh: frozenset[str]  # the outputs this build rendered anew
    jobs: Mapping[str, Job] = field(default_factory=dict)  # page output → its job
    looked_up: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # page output → the URLs its templates looked up
    render_keys: RenderKeys | None = None  # what the keys were found with, and what each template's outputs depend on alike
    again: frozenset[str] = frozenset()  # of a site rendered again (`render_again`): the outputs whose key changed
    lookers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # URL → the page outputs that looked it up


def render_site(site: Site, theme: Theme, theme_key: str, memo: Memo, packed: bool = False) -> Rendered:
    """The theme's assets, every page, the sitemap and the hosting files; held `packed` or as plain bytes."""
    outputs: dict[str, Packed | bytes] = dict(theme.assets.outputs())
    keys = RenderKeys(site, theme, theme_key, memo)
    jobs = page_jobs(site)
    pages = _render_pages(site, theme, jobs, keys, memo, packed)
    outputs.update(pages.outputs)
    if site.settings.base_url:
        outputs[SITEMAP] = sitemap(site).encode("utf-8")
        outputs[ROBOTS] = f"User-agent: *\nAllow: /\nSitemap: {site.settings.base_url}{SITEMAP}\n".encode()
    outputs.update(hosting_files(site.settings))
    held: Mapping[str, bytes]
    if packed:
        held = PackedOutputs({path: data if isinstance(data, Packed) else Packed.of(data) for path, data in outputs.items()})
    else:
        held = {path: data.unpacked() if isinstance(data, Packed) else data for path, data in outputs.items()}
    jobs_by_output = {job.output: job for job in jobs}
    return Rendered(held, pages.made_from, pages.fresh, jobs_by_output, pages.looked_up, keys, lookers=_lookers(pages.looked_up))


def render_again(last: Rendered, site: Site, theme: Theme, theme_key: str, memo: Memo, changed: tuple[ResolvedPage, ...]) -> Rendered | None:
    """`last` (held as plain bytes) with the outputs that can depend on the `changed` pages rendered
    again for `site`: each page's own, and those that looked the page up by URL. None when more can
    depend on them (a template reads a part of the site that changed): the site must be rendered whole."""
    if isinstance(last.outputs, PackedOutputs) or last.render_keys is None:
        return None
    keys = RenderKeys(site, theme, theme_key, memo, after=last.render_keys)
    if any(keys.plan_digest(template) != last.render_keys.plan_digest(template) for template in last.render_keys.templates):
        return None
    jobs = {page.output: page_job(page) for page in changed}
    if any(output not in last.jobs for output in jobs):
        return None
    jobs.update({output: last.jobs[output] for page in changed for output in last.lookers.get(page.url, ()) if output not in jobs})
    pages = _render_pages(site, theme, list(jobs.values()), keys, memo, packed=False, whole=False)
    looked_up = {**last.looked_up, **pages.looked_up}
    same_lookups = all(urls == last.looked_up.get(output) for output, urls in pages.looked_up.items())
    return Rendered(
        {**last.outputs, **pages.outputs}, {**last.keys, **pages.made_from}, pages.fresh, {**last.jobs, **jobs}, looked_up, keys,
        again=frozenset(output for output, key in pages.made_from.items() if last.keys.get(output) != key),
        lookers=last.lookers if same_lookups else _lookers(looked_up),
    )


def _lookers(looked_up: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """For each URL looked up, the outputs that looked it up."""
    lookers: dict[str, list[str]] = {}
    for output, urls in looked_up.items():
        for url in urls:
            lookers.setdefault(url, []).append(output)
    return {url: tuple(outputs) for url, outputs in lookers.items()}


@dataclass(frozen=True)
class _Pages:
    """What `_render_pages` made: each job's output, what it was made from, the URLs it looked up, which were new."""

    outputs: dict[str, Packed | bytes]
    made_from: dict[str, str]
    looked_up: dict[str, tuple[str, ...]]
    fresh: frozenset[str]


def _render_pages(site: Site, theme: Theme, jobs: list[Job], keys: RenderKeys, memo: Memo, packed: bool, whole: bool = True) -> _Pages:
    """Every job's output (packed, or its bytes where they were at hand), by output path, and its key;
    from the memo where the key is known. `whole`: these are all the site's jobs (else a few rendered again)."""
    recent: dict[str, tuple[str, bytes]] = memo.kept("render.recent", dict)  # output → key and bytes, of the last build (not packed)
    outputs: dict[str, Packed | bytes] = {}
    job_keys = {job.output: keys.of(job) for job in jobs}
    made_from: dict[str, str] = {}  # output → its key and the pages it looked up: what its bytes follow from
    looked_up: dict[str, tuple[str, ...]] = {}
    missing: list[Job] = []
    for job in jobs:
        key = job_keys[job.output]
        entry = memo.get(OUTPUT, key)
        if entry is not None and all(keys.page_digest(url) == digest for url, digest in entry[1]):
            last = recent.get(job.output)
            outputs[job.output] = last[1] if not packed and last is not None and last[0] == key else entry[0]  # the very bytes, shared
            made_from[job.output] = _with_looked_up(memo, key, entry[1])
            looked_up[job.output] = tuple(url for url, _ in entry[1])
        else:
            missing.append(job)
    problems = Problems()
    for job, made in zip(missing, parallel_map(functools.partial(_render_recorded, site, theme), missing), strict=True):
        if isinstance(made, BuildError):
            problems.extend(made)
            continue
        data, urls = made
        outputs[job.output] = data
        pages_looked_up = tuple((url, keys.page_digest(url)) for url in urls)
        memo.put(OUTPUT, job_keys[job.output], (data, pages_looked_up))
        made_from[job.output] = _with_looked_up(memo, job_keys[job.output], pages_looked_up)
        looked_up[job.output] = urls
    problems.raise_if_any()
    if whole:
        recent.clear()
    if not packed:  # the dev server's: the bytes it will compare again after the next edit
        for job in jobs:
            held = outputs[job.output]
            data = held.unpacked() if isinstance(held, Packed) else held
            outputs[job.output] = data
            recent[job.output] = (job_keys[job.output], data)
    return _Pages({job.output: outputs[job.output] for job in jobs}, made_from, looked_up, frozenset(job.output for job in missing))


def _with_looked_up(memo: Memo, key: str, looked_up: tuple[tuple[str, str], ...]) -> str:
    """What an output's bytes follow from: its render key and the pages its templates looked up."""
    return memo.digest(key, *(part for pair in looked_up for part in pair)) if looked_up else key


def _render_recorded(site: Site, theme: Theme, job: Job) -> tuple[Packed, tuple[str, ...]] | BuildError:
    """One job's bytes, packed (in the worker, when there are several), and the pages its templates
    looked up by URL; or the problems rendering it found."""
    recording = _RecordingSite(site)
    try:
        data = render_job(recording, theme, job)  # type: ignore[arg-type]
    except BuildError as exc:
        return exc
    return Packed.of(data), tuple(dict.fromkeys(recording.looked_up))


class _RecordingSite:
    """The site as templates see it, noting every page looked up by URL."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self.looked_up: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._site, name)

    def page(self, url: str) -> ResolvedPage | None:
        self.looked_up.append(url)
        return self._site.page(url)
