"""Markdown into HTML for every page, the expensive half of resolving: a page's result is kept in the
memo under a digest of its page (path, URL and Markdown), every page's URL (cross-links), the
glossary and the engine."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.layout import GLOSSARY_URL
from ..incremental.cache import ENGINE, instance_of
from ..incremental.memo import Kind, Memo
from ..load.inputs import Inputs
from ..load.pages import Page
from .markup import Markup, MarkupResult, convert_markdown

MARKUP = Kind("markup", instance_of(MarkupResult))


@dataclass(frozen=True)
class Converted:
    """Every page's converted Markdown, in page order, with the digest of everything it was converted
    from; and what converting a page of this site again needs (the converter, and the digest of what
    every page's result depends on alike)."""

    results: tuple[MarkupResult, ...]
    keys: tuple[str, ...]
    markup: Markup
    around: str


def convert_pages(inputs: Inputs, memo: Memo) -> Converted:
    """Each page's converted Markdown; only pages whose key is not in the memo are converted (over
    several cores when there are many)."""
    markup = Markup({page.source: page.url for page in inputs.pages}, inputs.glossary, GLOSSARY_URL)
    fingerprint = memo.fingerprint
    around = fingerprint.of(dict(markup.urls), markup.terms, markup.glossary_url)
    results, keys = convert_again(markup, around, inputs.pages, memo)
    return Converted(results, keys, markup, around)


def convert_again(markup: Markup, around: str, pages: tuple[Page, ...], memo: Memo) -> tuple[tuple[MarkupResult, ...], tuple[str, ...]]:
    """The converted Markdown of `pages` of a site whose every page has the URL it had when `markup`
    and `around` were made for it, and their keys."""
    keys = tuple(memo.digest(ENGINE, "markup", around, memo.fingerprint.of(page)) for page in pages)
    results: list[MarkupResult | None] = [memo.get(MARKUP, key) for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    for index, result in zip(missing, convert_markdown(markup, [pages[index] for index in missing]), strict=True):
        results[index] = result
        memo.put(MARKUP, keys[index], result)
    return tuple(results), keys  # type: ignore[arg-type]  # every gap is filled
