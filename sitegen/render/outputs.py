"""Render, the third stage: the site model and the theme become every output file, `{path: bytes}`.

A build that writes the site holds its outputs packed (`core.packed`: deflated, each unpacked when
it is read), so that the whole site is never in memory at once; the dev server and `check` hold
plain bytes, which the dev server compares with the previous build's.

Each page's output is kept in the memo under its render key (see `keys`), with the pages its
templates looked up by URL (`site.page(url)`) and their digests, which must match again for the
entry to be used. Only the outputs whose keys are new are rendered (over several cores when there
are many); a template's problem anywhere is reported with every other in one BuildError.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
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
from .pages import Job, page_jobs, render_job, sitemap
from .theme import Theme

# An output's bytes (packed), and the pages looked up by URL while rendering it, with their digests then.
OUTPUT = Kind("output", tuple_with(packed_shape, tuple_of(tuple_with(instance_of(str), instance_of(str)))))


@dataclass(frozen=True)
class Rendered:
    """Every output of the site, with what each was made from and which this build rendered anew."""

    outputs: Mapping[str, bytes]  # a `PackedOutputs` when rendered `packed`
    keys: Mapping[str, str]  # page output → a digest of everything its bytes follow from
    fresh: frozenset[str]  # the outputs this build rendered anew


def render_site(site: Site, theme: Theme, theme_key: str, memo: Memo, packed: bool = False) -> Rendered:
    """The theme's assets, every page, the sitemap and the hosting files; held `packed` or as plain bytes."""
    outputs: dict[str, Packed | bytes] = dict(theme.assets.outputs())
    keys = RenderKeys(site, theme, theme_key, memo)
    jobs = page_jobs(site)
    pages, job_keys, fresh = _render_pages(site, theme, jobs, keys, memo, packed)
    outputs.update(pages)
    if site.settings.base_url:
        outputs[SITEMAP] = sitemap(site).encode("utf-8")
        outputs[ROBOTS] = f"User-agent: *\nAllow: /\nSitemap: {site.settings.base_url}{SITEMAP}\n".encode()
    outputs.update(hosting_files(site.settings))
    if packed:
        return Rendered(PackedOutputs({path: data if isinstance(data, Packed) else Packed.of(data) for path, data in outputs.items()}), job_keys, fresh)
    return Rendered({path: data.unpacked() if isinstance(data, Packed) else data for path, data in outputs.items()}, job_keys, fresh)


def _render_pages(
    site: Site, theme: Theme, jobs: list[Job], keys: RenderKeys, memo: Memo, packed: bool,
) -> tuple[dict[str, Packed | bytes], dict[str, str], frozenset[str]]:
    """Every job's output (packed, or its bytes where they were at hand), by output path, and its key;
    from the memo where the key is known."""
    recent: dict[str, tuple[str, bytes]] = memo.kept("render.recent", dict)  # output → key and bytes, of the last build (not packed)
    outputs: dict[str, Packed | bytes] = {}
    job_keys = {job.output: keys.of(job) for job in jobs}
    made_from: dict[str, str] = {}  # output → its key and the pages it looked up: what its bytes follow from
    missing: list[Job] = []
    for job in jobs:
        key = job_keys[job.output]
        entry = memo.get(OUTPUT, key)
        if entry is not None and all(keys.page_digest(url) == digest for url, digest in entry[1]):
            last = recent.get(job.output)
            outputs[job.output] = last[1] if not packed and last is not None and last[0] == key else entry[0]  # the very bytes, shared
            made_from[job.output] = _with_looked_up(memo, key, entry[1])
        else:
            missing.append(job)
    problems = Problems()
    for job, made in zip(missing, parallel_map(functools.partial(_render_recorded, site, theme), missing), strict=True):
        if isinstance(made, BuildError):
            problems.extend(made)
            continue
        data, looked_up = made
        outputs[job.output] = data
        pages_looked_up = tuple((url, keys.page_digest(url)) for url in looked_up)
        memo.put(OUTPUT, job_keys[job.output], (data, pages_looked_up))
        made_from[job.output] = _with_looked_up(memo, job_keys[job.output], pages_looked_up)
    problems.raise_if_any()
    recent.clear()
    if not packed:  # the dev server's: the bytes it will compare again after the next edit
        for job in jobs:
            held = outputs[job.output]
            data = held.unpacked() if isinstance(held, Packed) else held
            outputs[job.output] = data
            recent[job.output] = (job_keys[job.output], data)
    return {job.output: outputs[job.output] for job in jobs}, made_from, frozenset(job.output for job in missing)


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
