"""Write: put a rendered site on disk, atomically, and only where it is safe to.

A full build writes into a fresh sibling folder and swaps it in in one step (`swap`), so a failing
build, or one killed at any moment, leaves a whole site in place: the previous one or the new one.
The dev server instead updates the folder in place, rewriting only files whose bytes changed. Both
write only while holding the site's lock, so two builds never write the same site at once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from ..core.errors import BuildError
from ..core.files import files_under, site_entry, walk_tree
from ..core.layout import OUTPUT_MARKER as MARKER
from ..core.layout import output_refusal
from ..core.packed import Packed, PackedOutputs, held, matches, size_of
from ..core.parallel import worker_count
from .linking import LiveFiles, create, holds_regular, link_or_create
from .spare import update_spare
from .swap import replace, take_spare, writing

MIN_FILES_PER_THREAD = 64  # below this, starting a thread costs more than it saves
_MARKER_TEXT = b"This folder is written by sitegen; it is replaced on every build.\n"


def check_output_dir(out_dir: Path, root: Path) -> None:
    """Refuse output folders whose replacement would destroy something that is not ours."""
    out = out_dir.resolve()
    refusal = output_refusal(out_dir, root)
    if refusal:
        raise BuildError.at(out_dir, 0, f"refusing to write the site here: the output folder {refusal}; choose a dedicated output folder such as site/")
    if out.exists() and not out.is_dir():
        raise BuildError.at(out_dir, 0, "output path exists and is not a folder")
    blocked = next((parent for parent in out.parents if parent.exists() and not parent.is_dir()), None)
    if blocked is not None:
        raise BuildError.at(out_dir, 0, f"cannot create the output folder: {blocked} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError.at(
            out_dir, 0,
            f"refusing to replace a non-empty folder that sitegen did not create (no {MARKER} in it): "
            "empty it or choose another output folder",
        )


def prepare_output(out_dir: Path, root: Path) -> None:
    """Before a build does any work: refuse an output folder that is not ours (see
    `check_output_dir`; the write checks again when it writes), put back a site that a killed build
    left between two renames and remove what killed builds left beside it, or fail at once when
    another build is writing it."""
    check_output_dir(out_dir, root)
    entry = site_entry(out_dir)
    if entry.parent.is_dir():
        with writing(entry):
            pass


def _check_paths(outputs: Mapping[str, bytes], out_dir: Path) -> None:
    """Every output path stays inside the folder `out_dir`, and none is both a file and a folder."""
    folders = _folders_of(outputs)
    for relative in sorted(outputs):
        parts = _parts(relative)
        if relative.startswith("/") or ".." in parts or not parts or "\\" in relative:
            raise BuildError.at(out_dir, 0, f"output path {relative!r} escapes the output folder")
        if "/".join(parts) in folders:
            raise BuildError.at(out_dir / relative, 0, "output path is both a file and a folder: two pages or files claim the same URL")


def _parts(relative: str) -> list[str]:
    """The parts of a relative POSIX path, as `PurePosixPath(relative).parts` has them (a string
    split is many times faster than pathlib, which counts at 10,000 files)."""
    return [part for part in relative.split("/") if part not in ("", ".")]


def _folders_of(outputs: Iterable[str]) -> set[str]:
    """The folders the outputs lie in, as relative POSIX paths."""
    folders: set[str] = set()
    for relative in outputs:
        parts = _parts(relative)
        for end in range(1, len(parts)):
            folders.add("/".join(parts[:end]))
    return folders


def _safe_target(out_dir: Path, relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BuildError.at(out_dir, 0, f"output path {relative!r} escapes the output folder")
    return out_dir.joinpath(*path.parts)


def write_site(
    outputs: Mapping[str, bytes],
    out_dir: Path,
    root: Path,
    before_swap: Callable[[Path], None] | None = None,
    likely_changed: Collection[str] = (),
) -> bool:
    """Write `outputs` as the whole content of `out_dir`, replacing the previous site atomically;
    returns False when the folder already held exactly these files and was left alone.

    `before_swap` may add files to the new folder (a search index) before it goes live; if it
    raises, the previous site stays. `likely_changed` names outputs to compare with the folder
    first (those rendered anew), so that a folder that differs is found out at once.
    """
    check_output_dir(out_dir, root)
    _check_paths(outputs, out_dir)
    entry = site_entry(out_dir)
    with writing(entry):
        if before_swap is None and holds_exactly(entry.resolve(), outputs, likely_changed):
            return False
        _stage_and_swap(outputs, entry, before_swap, likely_changed)
    return True


def _stage_and_swap(outputs: Mapping[str, bytes], entry: Path, before_swap: Callable[[Path], None] | None, likely_changed: Collection[str]) -> None:
    spare = take_spare(entry)
    staging = spare or Path(tempfile.mkdtemp(prefix=f".{entry.name}.new-", dir=entry.parent))
    try:
        if spare is None:
            _write_all(staging, outputs, _live_files(entry), likely_changed)
            create(str(staging / MARKER), _MARKER_TEXT)
        else:
            update_spare(str(staging), _with_marker(outputs), _folders_of(outputs), _live_files(entry), likely_changed)
        if before_swap is not None:
            before_swap(staging)
        os.chmod(staging, 0o755)
        replace(staging, entry)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        written = str(exc.filename or "")
        if written.startswith(str(staging)):  # name the file as it would have been in the site
            raise OSError(exc.errno, exc.strerror, str(entry) + written[len(str(staging)) :]) from None
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _with_marker(outputs: Mapping[str, bytes]) -> Mapping[str, bytes]:
    """The outputs and our marker file, held as the outputs are (packed ones stay packed)."""
    marker = {MARKER: _MARKER_TEXT}
    return outputs.with_files(marker) if isinstance(outputs, PackedOutputs) else {**outputs, **marker}


def _live_files(entry: Path) -> LiveFiles:
    """The site now in place, whose files a new site may share."""
    return LiveFiles(str(entry.resolve()) if entry.is_dir() else "")


def _write_all(folder: Path, outputs: Mapping[str, bytes], live: LiveFiles, likely_changed: Collection[str]) -> None:
    """Create the outputs' folders, then the outputs, in the empty `folder` (paths already checked).

    An output that the previous site holds with the same bytes, and that this build did not render
    anew, becomes a hard link to that file (`linking.link_or_create`): a new name for the same bytes, much
    cheaper than writing them. Large sites are written by several threads: creating a file or a
    folder can cost a fraction of a millisecond of the kernel's time, which threads spread over the cores.
    """
    base = str(folder)
    by_depth: dict[int, list[str]] = {}
    for relative in _folders_of(outputs):
        by_depth.setdefault(relative.count("/"), []).append(os.path.join(base, relative))
    fresh = frozenset(likely_changed)
    files = [(os.path.join(base, relative), held(outputs, relative), "" if relative in fresh else live.path(relative)) for relative in outputs]
    threads = min(worker_count(), len(files) // MIN_FILES_PER_THREAD)
    if threads <= 1:
        for depth in sorted(by_depth):
            for path in by_depth[depth]:
                os.mkdir(path)
        for path, data, old in files:
            _place(path, data, old)
        return
    with ThreadPoolExecutor(threads) as pool:
        for depth in sorted(by_depth):  # parents before children
            list(pool.map(os.mkdir, by_depth[depth]))
        list(pool.map(_place_each, (files[start::threads] for start in range(threads))))  # a share each, not a task per file


def _place_each(files: list[tuple[str, bytes | Packed, str]]) -> None:
    for path, data, old in files:
        _place(path, data, old)


def _place(path: str, data: bytes | Packed, old: str) -> None:
    """The new file `path`: linked to the live site's `old` when that holds `data`, else written."""
    if old:
        link_or_create(path, data, old)
    else:
        _write_file(path, data)


def _write_file(path: str, data: bytes | Packed) -> None:
    """Write the output file `path` anew (see `linking.create`)."""
    create(path, data)


def holds_exactly(out: Path, outputs: Mapping[str, bytes], likely_changed: Iterable[str] = ()) -> bool:
    """Whether the folder `out` holds our marker and `outputs`, as regular files with these bytes,
    and nothing else. Reading a file is several times cheaper than writing it and deleting the old
    one, so a repeat build of an unchanged site checks this first; the outputs named in
    `likely_changed` are compared before anything else."""
    compared = {relative for relative in likely_changed if relative in outputs}
    if not all(_holds(out / relative, held(outputs, relative)) for relative in compared):
        return False
    files, folders, others = walk_tree(out)
    if others or set(folders) != _folders_of(outputs) or set(files) != {*outputs, MARKER}:
        return False
    return _holds(out / MARKER, _MARKER_TEXT) and all(_holds(out / relative, held(outputs, relative)) for relative in outputs if relative not in compared)


def _holds(path: Path, data: bytes | Packed) -> bool:
    """Whether the file at `path` has exactly the bytes `data` (by their digest, when packed)."""
    try:
        with open(path, "rb") as stream:
            return matches(data, stream.read(size_of(data) + 1))
    except OSError:
        return False


def _remove_links_on_the_way(out: Path, target: Path) -> None:
    """A symbolic link inside the output folder is not ours: remove any on the way to `target`,
    so that a write never lands outside the folder."""
    current = out
    for part in target.relative_to(out).parts[:-1]:
        current = current / part
        if current.is_symlink():
            current.unlink()


def update_site(
    outputs: Mapping[str, bytes], out_dir: Path, root: Path, keep: Callable[[str], bool] = lambda _: False, prune: bool = True
) -> list[str]:
    """Bring `out_dir` in line with `outputs` in place; returns the paths written or removed.

    Each changed file is replaced atomically; unchanged files are not touched, so a server reading
    the folder never sees a half-written file. With `prune`, files that are not outputs are removed,
    except those for which `keep` is true (a search index written by another tool).
    """
    check_output_dir(out_dir, root)
    _check_paths(outputs, out_dir)
    entry = site_entry(out_dir)
    with writing(entry):
        return _update(outputs, entry.resolve(), keep, prune)


def _update(outputs: Mapping[str, bytes], out: Path, keep: Callable[[str], bool], prune: bool) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    if not holds_regular(str(out / MARKER), _MARKER_TEXT):  # never written into: the file may be shared with the spare
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=out)
        with os.fdopen(handle, "wb") as stream:
            stream.write(_MARKER_TEXT)
        os.chmod(temporary, 0o644)
        os.replace(temporary, out / MARKER)
    changed: list[str] = []
    for relative, data in sorted(outputs.items()):
        target = _safe_target(out, relative)
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        _remove_links_on_the_way(out, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        changed.append(relative)
    if prune:
        for relative in files_under(out):
            if relative != MARKER and relative not in outputs and not keep(relative):
                (out / relative).unlink()
                changed.append(relative)
    return changed
