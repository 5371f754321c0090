"""The search index of a build's outputs, made from memory and reused while what it indexes is unchanged.

`SearchIndex` starts as soon as the pages are rendered. When every HTML output has the bytes the
last index was made from (`outputs_key`, from the digests packed outputs hold: nothing is unpacked),
that index is reused as it was. Otherwise it works out what Pagefind reads of each page
(`indexed_document`) and digests it with Pagefind's identity and options (`index_key`). When the
key is that of the last index made (kept in this process and in the build cache folder), that
index is reused as it was, byte for byte; otherwise the pages go to Pagefind's service at once
(`pagefind_service`), which indexes them in its own process while the build checks and writes the
site, and the index files are collected into the staged folder before it goes live.

What Pagefind reads of a page, when any page marks its content with `data-pagefind-body`, is that
content, the page's language and title and its `data-pagefind-*` attributes. The document it is
given is cut to exactly what the key covers: the `<html>` tag, the `<title>` and the page from its
first `data-pagefind-body` element to its end; everything before that element (the header, the
menus) is left out, unless it holds something Pagefind could read (a `data-pagefind-` attribute,
an `<h1>` or an `<img>`: then the whole page is given, and keyed). A page with no such element is
not indexed when another page has one, and is given whole when none has. So the key is the
digest of everything Pagefind is handed, and an unchanged key means an unchanged index.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..core.layout import SEARCH_BUNDLE as BUNDLE_DIR
from ..core.packed import sha256_of
from ..incremental.cache import label_of
from ..incremental.memo import Memo
from ..incremental.verified import discard, read_verified, write_verified
from .pagefind_service import PagefindService, pagefind_executable
from .search import EXCLUDED, UNUSED_FILES

KEY_FORMAT = b"search index 2"
CACHE_KIND = "search-index"  # its file in the build cache folder, and what the build keeps in this process
CONFIG: dict[str, Any] = {"exclude_selectors": [selector.strip() for selector in EXCLUDED.split(",")]}
BODY = b"data-pagefind-body"
READ_OUTSIDE_BODY = (b"data-pagefind", b"<h1", b"<img")  # what Pagefind may read before the body element


def indexed_document(html: bytes, any_body: bool) -> bytes | None:
    """What Pagefind is given of a page (None: nothing, a page it would not index); `any_body`: whether
    some page of the site has a `data-pagefind-body` element."""
    body = html.find(BODY)  # the attribute as the theme writes it; any other case is found below
    if body < 0:
        body = html.lower().find(BODY)
        if body < 0:
            return None if any_body else html
    start = html.rfind(b"<", 0, body)
    before = html[:start].lower()
    if start < 0 or any(part in before for part in READ_OUTSIDE_BODY):
        return html
    return b"".join((_element(html, before, b"<html", b">"), b"<head>", _element(html, before, b"<title", b"</title>"), b"</head>\n", html[start:]))


def _element(html: bytes, lowered: bytes, opening: bytes, closing: bytes) -> bytes:
    """The first `opening` … `closing` of the page (empty if it has none)."""
    begin = lowered.find(opening)
    end = lowered.find(closing, begin) if begin >= 0 else -1
    return html[begin : end + len(closing)] if end >= 0 else b""


def indexed_documents(outputs: Mapping[str, bytes]) -> dict[str, bytes]:
    """What Pagefind is given of the site: each HTML output's indexed document, by output path."""
    pages = sorted(path for path in outputs if path.endswith(".html"))  # each read when needed: outputs may be packed
    any_body = any(BODY in data or BODY in data.lower() for data in (outputs[path] for path in pages))
    documents = {path: indexed_document(outputs[path], any_body) for path in pages}
    return {path: document for path, document in documents.items() if document is not None}


def pagefind_identity() -> str:
    """Which Pagefind runs: its binary (path, size, time of change), which is all of Pagefind that indexes."""
    executable = pagefind_executable()
    try:
        status = os.stat(executable) if executable is not None else None
    except OSError:
        status = None
    return f"{executable} {status.st_size} {status.st_mtime_ns}" if status else f"{executable} absent"


def index_key(documents: Mapping[str, bytes]) -> str:
    """The digest of everything the index is made from: the documents, Pagefind and its options."""
    hashed = _indexing()
    for path, document in documents.items():
        encoded = path.encode("utf-8", "surrogatepass")
        hashed.update(b"%d:%s%d:" % (len(encoded), encoded, len(document)))
        hashed.update(document)
    return hashed.hexdigest()


def outputs_key(outputs: Mapping[str, bytes]) -> str:
    """A digest of every HTML output's path and bytes (by the digests packed outputs hold), with
    Pagefind and its options: the documents follow from these, so while it is unchanged so is the
    index, and nothing needs unpacking to tell."""
    hashed = _indexing()
    for path in sorted(path for path in outputs if path.endswith(".html")):
        hashed.update(b"%s\0%s\0" % (path.encode("utf-8", "surrogatepass"), sha256_of(outputs, path).encode()))
    return "outputs " + hashed.hexdigest()


def _indexing() -> Any:
    """A SHA-256 that has read which Pagefind indexes and with which options."""
    hashed = hashlib.sha256(KEY_FORMAT)
    for part in (pagefind_identity(), json.dumps(CONFIG, sort_keys=True), repr(UNUSED_FILES)):
        hashed.update(b"%d:%s" % (len(part.encode()), part.encode()))
    return hashed


class SearchIndex:
    """The search index of `outputs`: the last one, when its key is unchanged, or Pagefind's, started at
    once. `site` names the site in error messages; `memo` is where the last index is kept."""

    def __init__(self, outputs: Mapping[str, bytes], memo: Memo, site: Path) -> None:
        self.memo = memo
        self.key = ""  # of the documents, worked out unless the outputs are those the last index was made from
        self.outputs_key = outputs_key(outputs)
        self._service: PagefindService | None = None
        self.reused = _last_index(memo, lambda entry: entry[1] == self.outputs_key)  # the very bytes it was made from
        if self.reused is not None:
            return
        documents = indexed_documents(outputs)
        self.key = index_key(documents)
        self.reused = _last_index(memo, lambda entry: entry[0] == self.key)  # other bytes, the same documents
        if self.reused is not None:
            _keep(memo, self.key, self.outputs_key, self.reused)
        else:
            self._service = PagefindService(site, CONFIG)
            try:
                for path, document in documents.items():
                    self._service.add_html(path, document.decode("utf-8", "replace"))
            except BaseException:
                self.close()
                raise

    def files(self) -> dict[str, bytes]:
        """The index files, by path inside the bundle folder (waits for Pagefind on a miss)."""
        if self.reused is not None:
            return self.reused
        assert self._service is not None
        files = {path: data for path, data in self._service.files().items() if path not in UNUSED_FILES}
        self.close()
        self.reused = files
        _keep(self.memo, self.key, self.outputs_key, files)
        return files

    def outputs(self) -> dict[str, bytes]:
        """The index files as outputs of the site (under the bundle folder)."""
        return {f"{BUNDLE_DIR}/{path}": data for path, data in self.files().items()}

    def write_into(self, folder: Path) -> None:
        """Write the index files into the staged site `folder` (created anew: nothing is replaced)."""
        files = [(os.path.join(folder, relative), data) for relative, data in self.outputs().items()]
        for parent in sorted({os.path.dirname(path) for path, _ in files}, key=len):
            os.makedirs(parent, exist_ok=True)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(_write_file, *zip(*files, strict=True)))

    def close(self) -> None:
        """Stop Pagefind if it still runs (a build that fails after the index was started)."""
        if self._service is not None:
            self._service.close()
            self._service = None


@contextlib.contextmanager
def search_index(outputs: Mapping[str, bytes], memo: Memo, site: Path) -> Iterator[SearchIndex]:
    """A `SearchIndex` that stops Pagefind however the block ends."""
    index = SearchIndex(outputs, memo, site)
    try:
        yield index
    finally:
        index.close()


def _write_file(path: str, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)


def _last_index(memo: Memo, made_from: Callable[[tuple[str, str, dict[str, bytes]]], bool]) -> dict[str, bytes] | None:
    """The index last made, if `made_from` holds for its entry (its key, its outputs' key, its
    files): kept in this process, else in the cache folder."""
    if not memo.remember:
        return None
    kept: dict[str, Any] = memo.kept(CACHE_KIND, dict)
    entry = kept.get("entry")
    if entry is None and memo.folder is not None:
        path = memo.folder / f"{CACHE_KIND}.pickle"
        entry = read_verified(path, label_of(CACHE_KIND), pickle.load)
        if entry is not None and not _is_entry(entry):
            discard(path)
            entry = None
        kept["entry"] = entry
    return dict(entry[2]) if entry is not None and made_from(entry) else None


def _is_entry(entry: object) -> bool:
    return (
        type(entry) is tuple and len(entry) == 3 and type(entry[0]) is str and type(entry[1]) is str and type(entry[2]) is dict
        and all(type(path) is str and _is_plain_path(path) and type(data) is bytes for path, data in entry[2].items())
    )


def _is_plain_path(path: str) -> bool:
    """A relative POSIX path of named parts only: it stays inside the bundle folder."""
    parts = path.split("/")
    return "\\" not in path and all(part not in ("", ".", "..") for part in parts)


def _keep(memo: Memo, key: str, made_from: str, files: dict[str, bytes]) -> None:
    """Remember the index just made (or found again), with its key and its outputs' key, in this process and in the cache folder."""
    if not memo.remember:
        return
    entry = (key, made_from, files)
    memo.kept(CACHE_KIND, dict)["entry"] = entry
    if memo.folder is not None:
        def dump(stream: Any) -> None:
            pickle.dump(entry, stream, protocol=pickle.HIGHEST_PROTOCOL)

        with contextlib.suppress(OSError, ValueError):  # a cache that cannot be written only makes the next build slower
            write_verified(memo.folder / f"{CACHE_KIND}.pickle", label_of(CACHE_KIND), dump)
