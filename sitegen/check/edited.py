"""Citations to review: a citation of a passage whose text changed (recorded under `edited:` in
`sources.yaml` by `update-source`) is a finding at its line, until the page is listed under that
record's `reviewed:`."""

from __future__ import annotations

from ..core.errors import Problem, absolute_path
from ..core.layout import SEEDS_FOLDER, SOURCES_FILE
from ..resolve.citations import find_citations
from ..resolve.model import ResolvedPage, Site


def page_edited_problems(site: Site, page: ResolvedPage) -> list[Problem]:
    """Each citation of an edited passage on `page`, not yet marked reviewed for it, at its file line."""
    if not _any_edits(site):
        return []
    problems = []
    path = absolute_path(site.settings.content_dir / page.source)
    for found in find_citations(page.body):
        for key in found.keys:
            source = site.sources.get(key.target)
            for number in key.numbers if source is not None and key.is_passage else ():
                edit = source.edit(number)
                if edit is not None and page.source not in edit.reviewed:
                    problems.append(Problem(
                        path, page.body_line + found.line - 1,
                        f"@{source.id}:p{number} changed on {edit.changed}: review it, then mark it reviewed "
                        f"(add `- {page.source}` under `reviewed:` of p{number} in `edited:` of seed {source.id} in {SEEDS_FOLDER}/{SOURCES_FILE})",
                    ))
    return problems


def _any_edits(site: Site) -> bool:
    return any(source.edits for source in site.sources.values())
