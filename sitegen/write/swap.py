"""Swap: make a complete folder the site in one step, so that no moment is without a whole site.

The site's name (`site/`) is a directory entry. A build writes a sibling staging folder, then:

- exchange: where the system can swap two entries in one call (`renameat2(RENAME_EXCHANGE)` on
  Linux, `renamex_np(RENAME_SWAP)` on macOS), the staging folder and the site trade names at once;
  the name always holds either the whole old or the whole new site. The first build is a rename.
- the site replaced is not deleted: it becomes the spare (`.{name}.spare-…`), which the next build
  takes as its staging folder and brings up to date (see `spare`); `tidy` keeps one.
- link: where the file system refuses the exchange, the name becomes a symbolic link to a sibling
  `.{name}.site-…` folder, and each build replaces the link by a new one with a rename, which is
  also a single step. A site that is already a real folder is turned into a link once, with two
  renames; between them the whole old site sits at `.{name}.old-…`, and the next build puts it
  back first if a build was killed there. Where symbolic links cannot be made either, every build
  swaps with those two renames.

One lock per site (a `.{name}.lock` file beside it, taken with `flock`, never waited for) lets a
single build write at a time; the one that finds it taken fails at once and writes nothing. The
build holding the lock first removes what killed builds left beside the site. Without `fcntl`
(Windows) there is no lock: two builds at once are then not told apart, and one may remove the
other's staging folder as a leftover.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..core.errors import BuildError
from ..core.files import is_site_link

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # Linux, <linux/fs.h>
RENAME_SWAP = 2  # macOS, <stdio.h>
RENAMEAT2_SYSCALL = {"x86_64": 316, "aarch64": 276}  # for a C library older than glibc 2.28
REFUSED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM}
LEFTOVER = re.compile(r"(new|old|link|site|spare)-[a-z0-9_]{8}")  # staging, retired, a link being made, a link's folder, the spare


class ExchangeUnavailableError(Exception):
    """This system or file system cannot swap two directory entries in one step."""


class FolderBusyError(BuildError):
    """Another build holds the site's lock."""


def exchange(first: Path, second: Path) -> None:
    """Swap the names of `first` and `second` in one step; raises ExchangeUnavailableError when refused."""
    call = _exchange_call()
    if call is None:
        raise ExchangeUnavailableError(f"no atomic exchange on {sys.platform}")
    ctypes.set_errno(0)
    if call(os.fsencode(first), os.fsencode(second)) == 0:
        return
    code = ctypes.get_errno()
    if code in REFUSED:
        raise ExchangeUnavailableError(os.strerror(code))
    raise OSError(code, os.strerror(code), str(first), None, str(second))


@functools.cache
def _exchange_call() -> Callable[[bytes, bytes], int] | None:
    """The system's exchange call, bound to its flags; None where there is none."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    text, flags = ctypes.c_char_p, ctypes.c_uint
    if sys.platform.startswith("linux"):
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            renameat2.argtypes = [ctypes.c_int, text, ctypes.c_int, text, flags]
            return lambda a, b: renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
        number = RENAMEAT2_SYSCALL.get(platform.machine())
        if number is None:
            return None
        syscall = libc.syscall
        return lambda a, b: syscall(ctypes.c_long(number), ctypes.c_int(AT_FDCWD), text(a), ctypes.c_int(AT_FDCWD), text(b), flags(RENAME_EXCHANGE))
    if sys.platform == "darwin":
        renamex_np = getattr(libc, "renamex_np", None)
        if renamex_np is not None:
            renamex_np.argtypes = [text, text, flags]
            return lambda a, b: renamex_np(a, b, RENAME_SWAP)
    return None


def _sibling(entry: Path, kind: str) -> Path:
    return entry.parent / f".{entry.name}.{kind}-{secrets.token_hex(4)}"


@contextmanager
def writing(entry: Path) -> Iterator[None]:
    """Hold the site's lock while the body runs, after tidying what killed builds left; raises
    FolderBusyError at once when another build holds it."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        tidy(entry)
        yield
        return
    lock = entry.parent / f".{entry.name}.lock"
    handle = _lock(lock, entry)
    try:
        tidy(entry)
        yield
    finally:
        with suppress(OSError):
            os.unlink(lock)  # before unlocking: a build that opened this file finds it gone and opens a new one
        os.close(handle)


def _lock(lock: Path, entry: Path) -> int:
    while True:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise FolderBusyError.at(entry, 0, "another build is writing this folder now; build again when it has finished") from None
        except BaseException:
            os.close(handle)
            raise
        try:
            if os.stat(lock).st_ino == os.fstat(handle).st_ino:
                return handle
        except FileNotFoundError:
            pass
        os.close(handle)  # the holder removed that file as it finished: lock the one there now


def tidy(entry: Path) -> None:
    """Put back a site caught between two renames by a kill, then remove every staging, retired or
    half-made folder or link that killed builds left beside the site (only the lock holder calls
    this, so no live build's folder is removed)."""
    prefix = f".{entry.name}."
    names = [name for name in os.listdir(entry.parent) if name.startswith(prefix) and LEFTOVER.fullmatch(name[len(prefix) :])]
    leftovers = sorted((entry.parent / name for name in names), key=lambda path: path.lstat().st_mtime_ns)
    if not os.path.lexists(entry):
        retired = [path for path in leftovers if path.name.startswith(prefix + "old-") and path.is_dir()]
        if retired:
            os.rename(retired[-1], entry)
            leftovers.remove(retired[-1])
    current = os.readlink(entry) if is_site_link(entry) else None
    spares = [path for path in leftovers if path.name.startswith(prefix + "spare-") and not path.is_symlink() and path.is_dir()]
    for path in leftovers:
        if path.name != current and path not in spares[-1:]:
            _remove(path)


def made_beside(entry: Path) -> list[Path]:
    """What builds keep or leave beside the site (the spare, staging and retired folders, the lock):
    generated, like the site itself."""
    prefix = f".{entry.name}."
    if not entry.parent.is_dir():
        return []
    names = [name for name in os.listdir(entry.parent) if name.startswith(prefix) and (LEFTOVER.fullmatch(name[len(prefix) :]) or name == f"{prefix}lock")]
    return [entry.parent / name for name in sorted(names)]


def take_spare(entry: Path) -> Path | None:
    """The spare (the site before the live one, see `spare`), renamed to a staging name, so that a
    build killed while updating it leaves a staging folder the next build removes; None if there is
    none. Only the lock holder calls this, after `tidy`, which leaves at most one spare."""
    prefix = f".{entry.name}.spare-"
    for name in os.listdir(entry.parent):
        path = entry.parent / name
        if name.startswith(prefix) and LEFTOVER.fullmatch(name[len(prefix) - len("spare-") :]) and not path.is_symlink() and path.is_dir():
            staging = _sibling(entry, "new")
            os.rename(path, staging)
            return staging
    return None


def _retire(folder: Path, entry: Path) -> None:
    """Keep the site that was just replaced as the spare for the next build (removed if it cannot be)."""
    try:
        os.rename(folder, _sibling(entry, "spare"))
    except OSError:
        _remove(folder)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def replace(staging: Path, entry: Path) -> None:
    """Make the complete folder `staging` the site named `entry`, and remove the previous site."""
    if is_site_link(entry):
        _relink(staging, entry)
    elif not os.path.lexists(entry):
        if _exchange_works(entry):
            os.rename(staging, entry)
        else:
            _relink(staging, entry)
    else:
        try:
            exchange(staging, entry)
        except ExchangeUnavailableError:
            _relink(staging, entry)
        else:
            _retire(staging, entry)  # the previous site, now under the staging name


def _exchange_works(entry: Path) -> bool:
    """Whether the exchange works beside `entry`, tried on two empty folders (named as staging,
    so that a kill leaves nothing the next build does not remove)."""
    first, second = _sibling(entry, "new"), _sibling(entry, "new")
    first.mkdir()
    try:
        second.mkdir()
        try:
            exchange(first, second)
            return True
        except ExchangeUnavailableError:
            return False
        finally:
            second.rmdir()
    finally:
        first.rmdir()


def _relink(staging: Path, entry: Path) -> None:
    """Point the name at `staging` through a new link, swapped in by one rename."""
    folder, link = _sibling(entry, "site"), _sibling(entry, "link")
    try:
        os.symlink(folder.name, link, target_is_directory=True)
    except OSError:  # no symbolic links here
        _retire_then_move(staging, entry)
        return
    previous = os.readlink(entry) if is_site_link(entry) else None
    try:
        os.rename(staging, folder)
        if os.path.lexists(entry) and previous is None:
            _retire_then_move(link, entry)  # a real folder becomes a link
        else:
            os.rename(link, entry)
    except BaseException:
        link.unlink(missing_ok=True)
        if folder.is_dir():
            os.rename(folder, staging)
        raise
    if previous is not None:
        _retire(entry.parent / previous, entry)


def _retire_then_move(new: Path, entry: Path) -> None:
    """Two renames: the site to a retired name, `new` to the site's name. Between them the name is
    free and the whole old site is at `.{name}.old-…`, which the next build puts back if killed."""
    if not os.path.lexists(entry):
        os.rename(new, entry)
        return
    retired = _sibling(entry, "old")
    os.rename(entry, retired)
    try:
        os.rename(new, entry)
    except BaseException:
        os.rename(retired, entry)
        raise
    _retire(retired, entry)
