"""Search: what the Pagefind index holds and leaves out (the index itself: `search_index`).

Only elements marked `data-pagefind-body` are indexed (the main content of each page), with
headings that carry an id as sub-results. The page's own script (static/site.js) loads the index
on first use, so Pagefind's stock interface bundles are left out of the output.

Pagefind's output depends only on the HTML it is given: two builds of the same site give the same bytes.
The index is WebAssembly, compiled in Pagefind's worker: where the Content-Security-Policy is sent
as an HTTP header (the hosting headers), it covers that worker too, hence `'wasm-unsafe-eval'` in
its script-src (render.CONTENT_SECURITY_POLICY), which allows WebAssembly and no JavaScript eval.
"""

from __future__ import annotations

from ..core.layout import SEARCH_BUNDLE as BUNDLE_DIR

__all__ = ["BUNDLE_DIR", "EXCLUDED", "UNUSED_FILES"]

# Pagefind writes ready-made interfaces we do not load; site.js talks to pagefind.js directly.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# Left out of the index: heading permalinks ("#") and citation numbers ("[2]"), which would clutter excerpts.
EXCLUDED = ".headerlink, sup.cite"
