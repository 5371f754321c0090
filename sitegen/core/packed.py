"""Output files kept compressed in memory until they are written: `Packed` (one file's bytes, deflated,
with their length and SHA-256) and `PackedOutputs` (`{output path: bytes}` over packed files).

A site's outputs are most of what a build holds (about 20 KB a page, 10,000 pages: 200 MB), yet
each is read only a few times: scanned for links once when it is new, compared with the live site,
written. Kept deflated (a quarter of the size) they are unpacked one at a time, when read; the
digest lets a file on disk be compared with an output without unpacking it.

Long text that a build keeps until it ends but reads only once or twice is held the same way
(`deflated_text`, `inflated_text`): a page's Markdown and its HTML (in the site model and the memo),
the hrefs of an output's links (its scan, in the memo).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .records import compact

_LEVEL = 1  # the fastest: higher levels save a tenth more and cost twice the time


def deflated_text(text: str) -> bytes:
    """`text` (UTF-8) deflated: what `inflated_text` reads back."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), _LEVEL)


def inflated_text(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


@compact
@dataclass(frozen=True, slots=True)
class Packed:
    """One output's bytes, deflated, with the length and the SHA-256 (hex) of the bytes themselves."""

    deflated: bytes
    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Packed:
        return cls(zlib.compress(data, _LEVEL), len(data), hashlib.sha256(data).hexdigest())

    def unpacked(self) -> bytes:
        return zlib.decompress(self.deflated)


def packed_shape(value: object) -> bool:
    """Whether `value` is a `Packed` with fields of the right types (a shape for cached values)."""
    return type(value) is Packed and type(value.deflated) is bytes and type(value.size) is int and type(value.sha256) is str


class PackedOutputs(Mapping[str, bytes]):
    """Outputs by path, each held packed and unpacked when it is read (`packed` gives it as held)."""

    def __init__(self, files: Mapping[str, Packed]) -> None:
        self._files = dict(files)

    def __getitem__(self, path: str) -> bytes:
        return self._files[path].unpacked()

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def packed(self, path: str) -> Packed:
        return self._files[path]

    def with_files(self, added: Mapping[str, bytes]) -> PackedOutputs:
        """These outputs and `added` (which win where both name a path)."""
        return PackedOutputs({**self._files, **{path: Packed.of(data) for path, data in added.items()}})


def held(outputs: Mapping[str, bytes], path: str) -> bytes | Packed:
    """The output at `path` as `outputs` holds it: packed, or plain bytes."""
    return outputs.packed(path) if isinstance(outputs, PackedOutputs) else outputs[path]


def unpacked(content: bytes | Packed) -> bytes:
    return content.unpacked() if isinstance(content, Packed) else content


def matches(content: bytes | Packed, data: bytes) -> bool:
    """Whether `data` are the bytes `content` holds (compared by length and digest when it is packed)."""
    if isinstance(content, Packed):
        return len(data) == content.size and hashlib.sha256(data).hexdigest() == content.sha256
    return data == content


def size_of(content: bytes | Packed) -> int:
    return content.size if isinstance(content, Packed) else len(content)


def packed_of(outputs: Mapping[str, bytes], path: str) -> Packed | None:
    """The output at `path` as `outputs` holds it packed, or None when it holds it as plain bytes."""
    return outputs.packed(path) if isinstance(outputs, PackedOutputs) else None


def sha256_of(outputs: Mapping[str, bytes], path: str) -> str:
    """The SHA-256 (hex) of one output, without unpacking it when it is packed."""
    held = packed_of(outputs, path)
    return held.sha256 if held is not None else hashlib.sha256(outputs[path]).hexdigest()
