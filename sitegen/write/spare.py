"""The spare: the site before the live one, kept beside it (`.{name}.spare-…`) instead of deleted,
and brought up to date in place as the next build's staging folder.

A site of N pages has N folders, and on some file systems removing a folder costs milliseconds
(ext4 mounted with `discard`: each freed block is trimmed), so writing a whole new tree and
deleting the old one costs far more than the few files an edit changes. The spare is never live,
so updating it touches nothing a reader sees; nothing in it is assumed: every output is compared
byte for byte with the spare's file (a regular file reached through folders alone), what is not an
output or a folder of one is removed (symbolic links themselves, never what they point to), and a
file that differs is replaced by a new one, created beside it and renamed over it, linked to the
live site's file where that holds the same bytes and this build did not render it anew. No file is
ever written into: a spare's file may share its bytes with the live site's through a hard link.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

from ..core.files import walk_tree
from ..core.packed import Packed, held
from ..core.parallel import worker_count
from .linking import LiveFiles, holds_regular, link_or_create

MIN_FILES_PER_THREAD = 64


def update_spare(
    folder: str, outputs: Mapping[str, bytes], folders: set[str], live: LiveFiles, likely_changed: Collection[str],
) -> None:
    """Make `folder` hold exactly `outputs` (their folders are `folders`), with no other entry."""
    files, present, others = walk_tree(folder)
    _remove_strays(folder, files, present, others, outputs, folders)
    for relative in sorted(folders - set(present), key=lambda name: name.count("/")):
        os.mkdir(os.path.join(folder, relative))
    kept = frozenset(files).intersection(outputs)
    fresh = frozenset(likely_changed)
    differing = [
        (os.path.join(folder, relative), held(outputs, relative), "" if relative in fresh else live.path(relative))
        for relative in outputs
        if relative not in kept or not holds_regular(os.path.join(folder, relative), held(outputs, relative))
    ]  # compared in this thread: reading a small file costs less than handing it to another; packed outputs are unpacked as they are written
    _each(_replace, differing)


def _remove_strays(folder: str, files: list[str], present: list[str], others: list[str], outputs: Mapping[str, bytes], folders: set[str]) -> None:
    """Remove every entry of the spare that is neither an output's file nor one of `folders`."""
    for relative in others:  # links, sockets, devices: the entry itself
        os.unlink(os.path.join(folder, relative))
    stray_folders = set(present) - folders
    for relative in _topmost(stray_folders):
        shutil.rmtree(os.path.join(folder, relative))
    for relative in files:
        if relative not in outputs and not _below(relative, stray_folders):
            os.unlink(os.path.join(folder, relative))


def _topmost(paths: set[str]) -> list[str]:
    """The paths of `paths` that lie in none of the others."""
    return sorted(path for path in paths if not _below(path, paths))


def _below(path: str, folders: set[str]) -> bool:
    parts = path.split("/")
    return any("/".join(parts[:end]) in folders for end in range(1, len(parts)))


def _replace(path: str, data: bytes | Packed, linkable: str) -> None:
    """Replace the spare's file `path` by a new file holding `data`, renamed over it (a link to the
    live site's file `linkable` where that holds the same bytes)."""
    temporary = os.path.join(os.path.dirname(path), f".sitegen-{secrets.token_hex(8)}.tmp")
    link_or_create(temporary, data, linkable)
    os.replace(temporary, path)


def _each(function: Callable[..., None], work: Iterable[tuple[object, ...]]) -> None:
    """`function(*item)` for every item, over several threads when there are many."""
    items = list(work)
    threads = min(worker_count(), len(items) // MIN_FILES_PER_THREAD)
    if threads <= 1:
        for item in items:
            function(*item)
        return
    with ThreadPoolExecutor(threads) as pool:  # a share of the items each, not a task (and a future held) per item
        list(pool.map(lambda share: [function(*item) for item in share], (items[start::threads] for start in range(threads))))
