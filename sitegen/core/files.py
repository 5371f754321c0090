"""Reading input files: UTF-8 text, with failures turned into `path:line` problems; listing input folders.

Every input file is opened by `read_input_bytes` and every input folder is listed by `list_inputs`:
nothing outside the project is read, and nothing that is not a regular file. A symbolic link whose
target lies inside the project works like the file it names; one that leads out of the project, to
a folder, to nothing or to anything but a regular file is a problem at the link's own path, as is a
FIFO, socket or device (never opened, so a build never waits on one). Hidden entries (names starting
with ".": files such as AppleDouble `._page.md`, folders such as `.git/` and all they hold) are left
out of every listing, never read; only the folders an input folder keeps (static/'s `.well-known/`) are listed.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Problem
from .layout import PUBLISHED_HIDDEN

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_OUTSIDE = "symbolic link to a {kind} outside the project: only files inside the project are read; copy the {kind} here instead"


def read_text(path: Path, root: Path) -> str:
    """The text of input file `path` of the project at `root` (see `read_input_bytes`), decoded as UTF-8."""
    return decode_text(read_input_bytes(path, root), path)


def decode_text(data: bytes, path: Path) -> str:
    """`data` read from `path` as UTF-8 text (a leading BOM is dropped, line ends made "\\n")."""
    if b"\x00" in data:
        raise BuildError.at(path, 0, "binary file: expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BuildError.at(path, line, "not valid UTF-8 text: save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_input_bytes(path: Path, root: Path) -> bytes:
    """The bytes of input file `path` of the project at `root`, the one way every input is read.

    Refused, as a problem at `path`: a file whose real location (symbolic links followed) is outside
    the project, and anything that is not a regular file. The file is opened without blocking and
    without following a link at its name (a link is opened at its checked target), and what was
    opened is checked once open, so a link or FIFO put in its place meanwhile is refused too."""
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        handle = _open_link_target(path, root, exc)
    mode = os.fstat(handle).st_mode
    if stat.S_ISDIR(mode):  # checked before fdopen, which refuses a folder with an error that names no path
        os.close(handle)
        raise _refused(path, root) or BuildError.at(path, 0, "a folder where a file is expected")
    with os.fdopen(handle, "rb") as stream:
        if not _inside(_opened_location(stream.fileno(), path), root):
            raise _refused(path, root) or BuildError.at(path, 0, _OUTSIDE.format(kind="file"))
        if not stat.S_ISREG(mode):
            raise BuildError.at(path, 0, _not_regular(mode))
        try:
            return stream.read()
        except OSError as exc:
            raise BuildError.at(path, 0, f"cannot read file: {exc.strerror}") from None


def _open_link_target(path: Path, root: Path, error: OSError) -> int:
    """`path` could not be opened as it is: a link (opened at its target when that may be read), a socket, or absent."""
    refusal = _refused(path, root)
    if refusal:
        raise refusal
    try:
        if os.path.islink(path):
            return os.open(os.path.realpath(path), _OPEN_FLAGS)
    except OSError as exc:
        error = exc
    raise BuildError.at(path, 0, f"cannot read file: {error.strerror}") from None


def _opened_location(handle: int, path: Path) -> str:
    """Where the open file really is: as the kernel names it (Linux), else `path` resolved."""
    try:
        return os.readlink(f"/proc/self/fd/{handle}")
    except OSError:
        return os.path.realpath(path)


def _refused(path: Path, root: Path) -> BuildError | None:
    """The problem with reading `path`, if any: at the link that leads out of the project when that
    is a folder on its way (as listing that folder reports it, so it is said once), else at `path`."""
    refusal = input_refusal(path, root)
    if not refusal:
        return None
    if not os.path.islink(path) and refusal.startswith(_OUTSIDE.format(kind="folder")):
        path = next((folder for folder in path.parents if os.path.islink(folder)), path.parent)
    return BuildError.at(path, 0, refusal)


def input_refusal(path: Path, root: Path) -> str:
    """Why input `path` of the project at `root` must not be read ("" when it may be, or does not exist)."""
    real = os.path.realpath(path)
    is_link = os.path.islink(path)
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return "symbolic link to nothing: its target does not exist or is a loop of links; remove the link or restore the file" if is_link else ""
    if not _inside(real, root):
        # Not a link itself: a folder on its way is one, to a folder outside the project.
        return _OUTSIDE.format(kind="folder" if stat.S_ISDIR(mode) or not is_link else "file")
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "symbolic link to a folder: links to folders are not followed; move the folder here" if is_link else "a folder where a file is expected"
    return ("symbolic link to something that is " if is_link else "") + _not_regular(mode)


def _inside(real: str, root: Path) -> bool:
    project = _real_location(os.path.abspath(root))
    return real == project or real.startswith(project.rstrip(os.sep) + os.sep)


# Where a project really is, kept: a project moved meanwhile only makes its files refused, never others read.
_real_location = functools.lru_cache(maxsize=16)(os.path.realpath)


def _not_regular(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    return f"not a regular file ({kind}): only regular files are read; remove it"


def walk_tree(folder: Path, recursive: bool = True, hidden: HiddenRule | None = None) -> tuple[list[str], list[str], list[str]]:
    """The regular files, the folders and every other entry (symbolic links, sockets, devices) below
    `folder`, as POSIX paths relative to it, unsorted; empty when there is no such folder. Links to
    folders are not followed. Given a `hidden` rule, hidden entries are neither listed nor entered.
    One `os.scandir` per folder lists a large tree several times faster than `Path.rglob`."""
    files: list[str] = []
    folders: list[str] = []
    others: list[str] = []
    pending = [(str(folder), "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if hidden is not None and hidden.hides(entry.name, prefix):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(prefix + entry.name)
                    if recursive:
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    files.append(prefix + entry.name)
                else:
                    others.append(prefix + entry.name)
    return files, folders, others


@dataclass(frozen=True)
class HiddenRule:
    """Which entries of an input folder are hidden: every name starting with "." (a file such as
    AppleDouble `._page.md`, a folder such as `.git/` with all it holds), except the folders named
    in `kept` at the top of the input folder (such as `.well-known/`; hidden names inside them stay hidden)."""

    kept: frozenset[str] = frozenset()

    def hides(self, name: str, prefix: str) -> bool:
        """Whether entry `name` of the folder `prefix` ("" at the top, else ending in "/") is hidden."""
        return name.startswith(".") and (bool(prefix) or name not in self.kept)


def list_tree(folder: Path) -> tuple[list[str], list[str]]:
    """The files (links to files included) and the folders below `folder`, as POSIX paths relative
    to it, each list sorted as `sorted(Path.rglob(...))` sorts (by path components)."""
    files, folders, others = walk_tree(folder)
    files += [other for other in others if (folder / other).is_file()]
    files.sort(key=_components)
    folders.sort(key=_components)
    return files, folders


def files_under(folder: Path) -> list[str]:
    """The files of `list_tree`."""
    return list_tree(folder)[0]


def _components(path: str) -> list[str]:
    return path.split("/")


@dataclass(frozen=True)
class InputListing:
    """What `list_inputs` found below an input folder: paths relative to it, sorted by component."""

    folder: Path
    files: list[str]  # regular files, and links to regular files inside the project
    folders: list[str]
    refused: dict[str, str]  # entry → why it is not read: links out of the project, to folders or to nothing; FIFOs, sockets, devices

    @property
    def problems(self) -> list[Problem]:
        """Each refused entry as a problem at its own path."""
        return [Problem.at(self.folder / name if name else self.folder, 0, why) for name, why in self.refused.items()]


def list_inputs(folder: Path, recursive: bool = True) -> InputListing:
    """The files of input folder `folder` (content/, seeds/, static/, templates/: the project is the
    folder that holds it), the one way every input folder is listed. Hidden entries (see `HiddenRule`;
    the folders `PUBLISHED_HIDDEN` names for this input folder are kept) are left out, never entered;
    every entry that must not be read (see `input_refusal`) is refused, at its own path. Nothing is opened."""
    root = folder.parent
    if os.path.islink(folder):
        refusal = input_refusal(folder, root)
    elif os.path.lexists(folder) and not os.path.isdir(folder):
        refusal = "not a folder: an input folder must be a folder; rename or remove this file"
    else:
        refusal = ""
    if refusal:
        return InputListing(folder, [], [], {"": refusal})
    files, folders, others = walk_tree(folder, recursive, HiddenRule(frozenset(PUBLISHED_HIDDEN.get(folder.name, ()))))
    refused: dict[str, str] = {}
    for other in sorted(others, key=_components):
        refusal = input_refusal(folder / other, root)
        if refusal:
            refused[other] = refusal
        else:
            files.append(other)
    files.sort(key=_components)
    folders.sort(key=_components)
    return InputListing(folder, files, folders, refused)


def site_entry(out_dir: Path) -> Path:
    """The absolute directory entry that names the site: `out_dir` with its parents resolved, kept
    as it is when it is a link this module made, else resolved (a link of the user's is followed)."""
    path = Path(os.path.abspath(out_dir))
    entry = path.parent.resolve() / path.name
    return entry if is_site_link(entry) or not entry.is_symlink() else entry.resolve()


def is_site_link(entry: Path) -> bool:
    try:
        target = os.readlink(entry)
    except OSError:
        return False
    return target.startswith(f".{entry.name}.site-") and os.sep not in target
