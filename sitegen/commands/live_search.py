"""The dev server's search index: brought up to date in a thread of its own after each rebuild.

A rebuild hands its outputs over (`built`) and returns at once, so the browser reloads without
waiting for the index; the thread then indexes the latest outputs (the last index is reused when
no page's indexed text changed, see `write.search_index`) and puts the new index files into the
served folder, the entry file last, so that search results catch up a moment after the page.
Saves in quick succession are indexed once, for the last of them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from ..core.errors import BuildError
from ..core.layout import SEARCH_BUNDLE
from ..write.output import update_site
from ..write.search_index import search_index
from .preview import Preview, complain, complain_of

SETTLE_SECONDS = 0.3  # after a rebuild, how long the thread waits for the next one before indexing
ENTRY = f"{SEARCH_BUNDLE}/pagefind-entry.json"  # what pagefind.js reads first: replaced last


class LiveSearch:
    """The search index of what `preview` serves, kept up to date in the background."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.indexed_key: str | None = None  # the key of the index in the folder now
        self._latest: Mapping[str, bytes] | None = None
        self._wake = threading.Condition()
        self._stopped = False
        self._builds = 0
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="sitegen-search", daemon=True)
        self._thread.start()

    def built(self, outputs: Mapping[str, bytes]) -> None:
        """A rebuild succeeded with `outputs`: index them soon."""
        with self._wake:
            self._latest = outputs
            self._builds += 1
            self._wake.notify_all()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the latest outputs are indexed (for tests); returns whether they are."""
        with self._wake:
            return self._wake.wait_for(lambda: self._latest is None and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._latest is not None or self._stopped)
                if self._stopped:
                    return
                self._busy = True
            self._settle()
            with self._wake:
                outputs, self._latest = self._latest, None
            try:
                if outputs is not None:
                    self._index(outputs)
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def _settle(self) -> None:
        """Wait until no rebuild has come for `SETTLE_SECONDS` (the last of quick saves is indexed once)."""
        while self._another_build_within(SETTLE_SECONDS):
            pass

    def _another_build_within(self, seconds: float) -> bool:
        with self._wake:
            builds = self._builds
            return self._wake.wait_for(lambda: self._builds != builds and not self._stopped, seconds)

    def _index(self, outputs: Mapping[str, bytes]) -> None:
        preview = self.preview
        try:
            with search_index(outputs, preview.memo, preview.out_dir) as index:
                if index.key == self.indexed_key:
                    return
                files = index.outputs()
            with preview.writing:
                update_site({path: data for path, data in files.items() if path != ENTRY}, preview.out_dir, preview.root, prune=False)
                update_site(files, preview.out_dir, preview.root, keep=lambda path: not path.startswith(f"{SEARCH_BUNDLE}/"))
            self.indexed_key = index.key
        except BuildError as exc:  # search is a convenience while previewing: say why it is missing, keep serving
            complain_of(exc.problems, prefix="warning: ")
        except OSError as exc:
            complain(f"warning: search index not updated: {exc}")
