"""All files change or none: a set of new, replaced and removed files, staged beside their targets
and put in place together. A new file never replaces one (it is linked in, which fails if the name
is taken); a replaced or removed file must still hold the bytes it was read with; if any step fails,
every file already changed gets its old bytes back and every staged file is removed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import BuildError


@dataclass
class Transaction:
    """The changes to make, by absolute path: `create` (must not exist), `replace` (bytes expected now, new bytes), `remove` (bytes expected now)."""

    created: dict[Path, bytes] = field(default_factory=dict)
    replaced: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    removed: dict[Path, bytes] = field(default_factory=dict)

    def create(self, path: Path, data: bytes) -> None:
        if os.path.lexists(path):
            raise BuildError.at(path, 0, "already exists: nothing was written, so that no file is overwritten")
        self.created[path] = data

    def replace(self, path: Path, old: bytes, new: bytes) -> None:
        if old != new:
            self.replaced[path] = (old, new)

    def remove(self, path: Path, old: bytes) -> None:
        self.removed[path] = old

    @property
    def paths(self) -> list[Path]:
        return sorted({*self.created, *self.replaced, *self.removed})

    def commit(self) -> None:
        """Make every change, or none (see the module docstring)."""
        staged: dict[Path, Path] = {}
        undo: list[tuple[Path, bytes | None]] = []  # (path, bytes to put back; None: remove it)
        try:
            for path, data in [*self.created.items(), *((path, new) for path, (_, new) in self.replaced.items())]:
                staged[path] = _stage(path, data)
            for path, (old, _) in self.replaced.items():
                _expect(path, old)
            for path, old in self.removed.items():
                _expect(path, old)
            for path in self.created:
                os.link(staged[path], path)
                undo.append((path, None))
            for path, (old, _) in self.replaced.items():
                os.replace(staged.pop(path), path)
                undo.append((path, old))
            for path, old in self.removed.items():
                os.unlink(path)
                undo.append((path, old))
        except BaseException:
            for path, old in reversed(undo):
                _restore(path, old)
            raise
        finally:
            for temporary in staged.values():
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(name)


def _expect(path: Path, old: bytes) -> None:
    try:
        now = path.read_bytes()
    except OSError:
        now = None
    if now != old:
        raise BuildError.at(path, 0, "changed while the command ran: nothing was written; run it again")


def _restore(path: Path, old: bytes | None) -> None:
    with contextlib.suppress(OSError):
        if old is None:
            os.unlink(path)
        else:
            os.replace(_stage(path, old), path)
