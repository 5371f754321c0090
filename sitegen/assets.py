"""Static assets: the files of `static/`, published under content-hashed names for long caching."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ASSETS_URL = "static/"


@dataclass(frozen=True)
class Assets:
    """Each static file's bytes under its fingerprinted output path, by its name in `static/`."""

    files: Mapping[str, tuple[str, bytes]]  # "style.css" → ("static/style.3f2a9c1b.css", bytes)

    def url(self, name: str) -> str:
        """The output path (relative to the site root) of static file `name`."""
        try:
            return self.files[name][0]
        except KeyError:
            raise KeyError(f"static/{name} does not exist") from None

    def outputs(self) -> dict[str, bytes]:
        return {path: data for path, data in self.files.values()}


def fingerprinted(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    path = PurePosixPath(name)
    return f"{ASSETS_URL}{path.with_name(f'{path.stem}.{digest}{path.suffix}').as_posix()}"


def load_assets(static_dir: Path) -> Assets:
    files: dict[str, tuple[str, bytes]] = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = path.relative_to(static_dir).as_posix()
                data = path.read_bytes()
                files[name] = (fingerprinted(name, data), data)
    return Assets(files)
