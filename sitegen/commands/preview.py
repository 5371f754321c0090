"""Preview: what the dev server shows. Rebuilds the project in memory (`pipeline.build(...,
write=False)` with one Memo kept across rebuilds), writes to the output folder only the outputs
whose bytes changed, keeps the problems of a failing build for the error page, and counts the
changes the browser can see (generations) so a page served before the latest one is known stale.

It also owns what the server prints to the terminal: progress on stdout, problems on stderr.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

from ..core.errors import BuildError, Problem, shown
from ..incremental.memo import Memo
from ..pipeline import BuildResult, build
from ..write.output import update_site

INDEX = "index.html"  # the page of a folder
NOT_FOUND_PAGE = ""  # the key under which every URL answered with the not-found page is recorded
FINDINGS_SHOWN = 20  # after a rebuild, the findings printed one by one; the rest are counted


def say(message: str) -> None:
    """Print progress for the person running the server."""
    print(message, flush=True)


def complain(message: str) -> None:
    """Print a warning or an error for the person running the server."""
    print(message, file=sys.stderr, flush=True)


def complain_of(problems: Iterable[Problem], prefix: str = "") -> None:
    """Print each problem as `path:line: message` (after `prefix`)."""
    for problem in problems:
        complain(prefix + shown(problem))


def complain_of_findings(findings: Sequence[Problem]) -> None:
    """Print the first `FINDINGS_SHOWN` findings as `path:line: message`, then how many more there are."""
    shown_at_most = FINDINGS_SHOWN
    complain_of(findings[:shown_at_most])
    if len(findings) > shown_at_most:
        complain(f"… and {len(findings) - shown_at_most} more (`check` lists them all)")


class Preview:
    """What is being served: the project, its output folder, and the problems of the last build."""

    def __init__(self, root: Path, out_dir: Path, keep: Callable[[str], bool] = lambda _: False) -> None:
        self.root = root
        self.out_dir = out_dir
        self.keep = keep
        self.memo = Memo.for_project(root)
        self.problems: tuple[Problem, ...] = ()
        self._last: BuildResult | None = None  # the last build that succeeded, while nothing has failed since
        self.generation = 0  # counts the rebuilds that changed what the browser shows
        self.builds = 0  # builds that succeeded
        self.served: dict[str, int] = {}  # output page (or NOT_FOUND_PAGE) → generation when last served
        self._on_disk: tuple[Mapping[str, bytes], tuple[int, int] | None] | None = None  # last outputs written, and to which folder
        self.writing = threading.Lock()  # held while this process writes the folder (the search index is written from another thread)
        self.on_built: Callable[[Mapping[str, bytes]], None] | None = None  # told the outputs of each build that succeeded, once written

    def page_served(self, url_path: str) -> None:
        """Record that a page was served at `url_path` (percent-decoded) now.

        Recorded under the output it names, so the record holds at most one entry per page the
        site has had: aliases of a page share its entry, and every URL that names no output shares
        the one entry NOT_FOUND_PAGE, however many unknown URLs are asked for."""
        key = page_key(url_path)
        outputs = self._on_disk[0] if self._on_disk else {}
        self.served[key if key in outputs else NOT_FOUND_PAGE] = self.generation

    def is_stale(self, url_path: str) -> bool:
        """Whether the page last served at `url_path` (percent-decoded) predates the latest visible change."""
        key = page_key(url_path)
        served = self.served[key] if key in self.served else self.served.get(NOT_FOUND_PAGE, self.generation)
        return served < self.generation

    def rebuild(self, changed: Sequence[str] = ()) -> bool:
        """Render the site and rewrite the outputs whose bytes changed. Never raises: problems are
        kept for the error page and printed. Returns whether the browser should reload."""
        started = time.perf_counter()
        before = self.problems
        try:
            result = self._build(changed)
            with self.writing:
                written = self._write(result.outputs, result.differing)
        except BuildError as exc:
            self.problems = exc.problems
        except Exception as exc:  # a bug in the engine: report it, keep serving
            traceback.print_exc()
            self.problems = (Problem("sitegen", 0, f"internal error: {type(exc).__name__}: {exc}"),)
        else:
            self.problems = ()
            say(self._summary(changed, written, len(result.findings), time.perf_counter() - started))
            complain_of_findings(result.findings)
            self.builds += 1
            if self.on_built is not None:
                self.on_built(result.outputs)
            return self._changed(bool(written) or bool(before))
        complain_of(self.problems)
        complain("build failed: the browser shows the error; the site was left as it was")
        return self._changed(self.problems != before)

    def _build(self, changed: Sequence[str]) -> BuildResult:
        """The site after the files at `changed` changed, built on the last build while it succeeded."""
        last, self._last = self._last, None  # a failed build leaves nothing to build on
        paths = [Path(path) for path in changed]
        persist = self.generation == 0  # the cache is written when serving stops
        self._last = build(self.root, self.memo, write=False, persist=persist, drafts=True, last=last, changed=paths)
        return self._last

    def _summary(self, changed: Sequence[str], written: Sequence[str], findings: int, seconds: float) -> str:
        """The line printed after a build that succeeded: its cause, its time, what it wrote, its findings."""
        cause = f"{_names(changed, self.root)}: " if changed else ""
        found = f"; {findings} finding{'' if findings == 1 else 's'}:" if findings else ""
        # The build at start writes the folder; later ones rewrite what changed.
        built, done = ("rebuilt", "rewritten") if self.builds else ("built", "written")
        rewritten = f"{len(written)} output{'' if len(written) == 1 else 's'} {done}"
        return f"{cause}{built} in {seconds * 1000:.0f} ms, {rewritten}{found}"

    def _write(self, outputs: Mapping[str, bytes], differing: Collection[str] | None = None) -> list[str]:
        """Update the output folder; returns the paths rewritten or removed. `differing`: the only
        outputs that can differ from the previous build's (None: any).

        `update_site` compares every output with the file on disk; in a large site that means
        reading every page again after each edit. So after the first update, only the outputs
        whose bytes differ from the previous build's are handed to it (the others are kept), as
        long as the folder is still the one written last (`build` replaces it by a new one)."""
        previous, folder = self._on_disk or ({}, None)
        self._on_disk = None
        if folder is None or _identity(self.out_dir) != folder:
            written = update_site(outputs, self.out_dir, self.root, keep=self.keep)
        else:
            candidates = outputs.keys() if differing is None else differing
            changed = {path: outputs[path] for path in candidates if previous.get(path) is not outputs[path] and previous.get(path) != outputs[path]}
            # The folder holds exactly the previous outputs: only a change in their set can leave a file to remove.
            prune = outputs.keys() != previous.keys()
            written = update_site(changed, self.out_dir, self.root, keep=lambda path: path in outputs or self.keep(path), prune=prune)
        self._on_disk = (outputs, _identity(self.out_dir))
        return written

    def _changed(self, visible: bool) -> bool:
        if visible:
            self.generation += 1
        return visible


def page_key(url_path: str) -> str:
    """The output path that URL path `url_path` (percent-decoded) names, read from the URL alone:
    `/topic/`, `topic/index.html` and `/./topic//` are all `topic/index.html`."""
    parts = [part for part in url_path.split("/") if part not in ("", ".")]
    if not parts or url_path.endswith("/"):
        parts.append(INDEX)
    return "/".join(parts)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at `folder` now (None: none), to notice when another process replaced it."""
    try:
        status = folder.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _names(changed: Sequence[str], root: Path) -> str:
    """The changed files, relative to the project: the first three, and how many more."""
    names = []
    for path in changed[:3]:
        try:
            names.append(Path(path).relative_to(root).as_posix())
        except ValueError:
            names.append(path)
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return ", ".join(names) + more
