"""Search: a Pagefind index of the written site, made as the build's last step.

`index_site` runs Pagefind (PyPI `pagefind[extended]`, a binary in a wheel) over the staged output
folder before it replaces the live site, so a failing index never leaves a half-indexed site.
Only elements marked `data-pagefind-body` are indexed (the main content of each page), with
headings that carry an id as sub-results. The page's own script (static/site.js) loads the index
on first use, so Pagefind's stock interface bundles are removed from the output.

Pagefind's output depends only on the HTML it reads: two builds of the same site give the same bytes.
The index is WebAssembly, compiled in Pagefind's worker: where the Content-Security-Policy is sent
as an HTTP header (the hosting headers), it covers that worker too, hence `'wasm-unsafe-eval'` in
its script-src (render.CONTENT_SECURITY_POLICY), which allows WebAssembly and no JavaScript eval.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..core.errors import BuildError
from ..core.layout import SEARCH_BUNDLE as BUNDLE_DIR

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
INSTALL_HINT = "install it with: pip install 'pagefind[extended]' (or build with --no-search)"


def pagefind_command() -> list[str]:
    """How to run Pagefind: the PyPI package's module, which starts the binary shipped in its wheel."""
    return [sys.executable, "-m", "pagefind"]


def index_site(folder: Path) -> None:
    """Write the search index into `folder/pagefind/`; raises BuildError if Pagefind fails."""
    command = [
        *pagefind_command(), "--site", str(folder), "--output-subdir", BUNDLE_DIR,
        "--exclude-selectors", EXCLUDED, "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError.at(folder, 0, f"search index not built: {exc}") from None
    output = (done.stderr or done.stdout).strip()
    if done.returncode != 0:
        if "No module named pagefind" in output:
            raise BuildError.at(folder, 0, f"search index not built: Pagefind is not installed; {INSTALL_HINT}")
        last = output.splitlines()[-1] if output else f"exit status {done.returncode}"
        raise BuildError.at(folder, 0, f"search index not built: pagefind failed: {last}")
    bundle = folder / BUNDLE_DIR
    if not (bundle / "pagefind.js").is_file():
        raise BuildError.at(folder, 0, f"search index not built: pagefind wrote no {BUNDLE_DIR}/pagefind.js")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
