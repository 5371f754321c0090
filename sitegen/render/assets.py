"""Static assets: the files of the default theme's `static/` and of the project's, which overrides
it by path, published under content-hashed names for long caching."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.errors import BuildError, Problems
from ..core.files import list_inputs, read_input_bytes
from ..core.layout import ASSETS_URL, WELL_KNOWN


class MissingAssetError(LookupError):
    """A template named a static file that is neither in the project's `static/` nor in the default theme's."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    @property
    def message(self) -> str:
        return f"static/{self.name} does not exist, neither in the project nor in the default theme: add it to static/ or name a file that is there"


@dataclass(frozen=True)
class Assets:
    """Each static file's bytes under its fingerprinted output path, by its name in `static/`."""

    files: Mapping[str, tuple[str, bytes]]  # "style.css" → ("static/style.3f2a9c1b.css", bytes)

    def url(self, name: str) -> str:
        """The output path (relative to the site root) of static file `name`."""
        try:
            return self.files[name][0]
        except KeyError:
            raise MissingAssetError(name) from None

    def outputs(self) -> dict[str, bytes]:
        return {path: data for path, data in self.files.values()}


def fingerprinted(name: str, data: bytes) -> str:
    """The output path of static file `name`: under static/ with its content's digest in its name;
    a well-known file at the site root under its own name (its URL is fixed by convention)."""
    if name.startswith(f"{WELL_KNOWN}/"):
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    path = PurePosixPath(name)
    return f"{ASSETS_URL}{path.with_name(f'{path.stem}.{digest}{path.suffix}').as_posix()}"


def load_assets(*static_dirs: Path) -> Assets:
    """Every file of each `static/` folder, a later folder's file replacing an earlier one's of the same
    name (hidden files and folders left out, `.well-known/` kept); a link out of the folder that holds
    a `static/`, or a special file, is a problem."""
    problems = Problems()
    files: dict[str, tuple[str, bytes]] = {}
    for static_dir in static_dirs:
        listing = list_inputs(static_dir)
        problems.items.extend(listing.problems)
        for name in listing.files:
            try:
                data = read_input_bytes(static_dir / name, static_dir.parent)
            except BuildError as exc:
                problems.extend(exc)
                continue
            files[name] = (fingerprinted(name, data), data)
    problems.raise_if_any()
    return Assets(dict(sorted(files.items(), key=lambda item: item[0].split("/"))))
