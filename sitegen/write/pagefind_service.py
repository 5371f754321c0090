"""Pagefind's indexing service (`pagefind --service`), fed pages from memory.

The service is Pagefind's own binary (the one the PyPI package ships) reading requests on its
standard input and answering on its standard output, each message base64-encoded JSON followed by a
comma; it is what Pagefind's Python API talks to. That API polls for answers every tenth of a
second, one answer at a time, which would cost minutes for a site of thousands of pages, so this
module speaks the protocol itself:

- the pages are written to the service as fast as it reads them (it reads eagerly and indexes
  in its own threads), with no Python thread in this process (a build forks its workers only
  from a process with no other thread);
- its answers go to a temporary file, so that the service never waits for this process to read them;
- the index files are asked for only once every page has been answered for, and come back in
  memory (`files`), to be written by the build with the rest of the site and kept for the next one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import importlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from ..core.errors import BuildError

TIMEOUT_SECONDS = 300  # a whole site's index; a service silent for this long is stopped
POLL_SECONDS = 0.005
STOPPED_WAIT_SECONDS = 5  # how long a service that stopped reading is given to exit, so that its exit status can be told
INSTALL_HINT = "install it with: pip install 'pagefind[extended]' (or build with --no-search)"


def pagefind_executable() -> Path | None:
    """The Pagefind binary, found as the PyPI package finds it (`pagefind.service.get_executable`, which
    this does without importing that package's asyncio service): `$PAGEFIND_BINARY_PATH`, the extended
    binary's package, the plain binary's package, then `pagefind_extended` or `pagefind` on the PATH."""
    if os.environ.get("PAGEFIND_BINARY_PATH") is not None:
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found: Path = importlib.import_module(package).get_executable()
        except (ImportError, FileNotFoundError):  # not installed, or its binary is missing
            continue
        return found
    external = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(external) if external else None


class PagefindService:
    """One running service holding one index; `folder` names the site in error messages."""

    def __init__(self, folder: Path, config: dict[str, Any]) -> None:
        executable = pagefind_executable()
        if executable is None:
            raise BuildError.at(folder, 0, f"search index not built: Pagefind is not installed; {INSTALL_HINT}")
        self.folder = folder
        self._answers = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the service runs: closed by `close`)
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._read = 0
        self._pending = b""
        self._sent = 0
        self._answered: dict[int, dict[str, Any]] = {}
        try:
            self._process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=self._answers, stderr=self._errors)
        except OSError as exc:
            self._close_files()
            raise BuildError.at(folder, 0, f"search index not built: {exc}") from None
        self._index = self._request({"type": "NewIndex", "config": config})
        self.wait_for(self._index)

    def add_html(self, path: str, html: str) -> int:
        """Send one page (its output path and HTML) to the index; returns the request's number."""
        return self._request({"type": "AddFile", "index_id": self._index_id(), "file_path": path, "url": None, "file_contents": html})

    def files(self) -> dict[str, bytes]:
        """The index files, by path inside the bundle folder, once every page sent has been indexed."""
        for number in range(self._index + 1, self._sent + 1):
            self.wait_for(number)
        answer = self.wait_for(self._request({"type": "GetFiles", "index_id": self._index_id()}))
        try:
            return {str(item["path"]): base64.b64decode(item["content"], validate=True) for item in answer["files"]}
        except (KeyError, TypeError, binascii.Error):
            raise self._failure("its answer held no index files") from None

    def close(self) -> None:
        """Stop the service (it ends when its input closes) and drop its answers."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):  # a service that stopped already
                self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._close_files()

    def _index_id(self) -> int:
        return int(self._answered[self._index]["index_id"])

    def _request(self, payload: dict[str, Any]) -> int:
        self._sent += 1
        message = base64.b64encode(json.dumps({"message_id": self._sent, "payload": payload}).encode("utf-8", "surrogatepass")) + b","
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(message)
            self._process.stdin.flush()
        except OSError:
            raise self._stopped_reading() from None
        return self._sent

    def _stopped_reading(self) -> BuildError:
        """The failure of a service that no longer reads its requests: its exit status when it has stopped."""
        try:
            status = self._process.wait(timeout=STOPPED_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            return self._failure("it stopped reading")
        return self._failure(f"it stopped (exit status {status})")

    def wait_for(self, number: int) -> dict[str, Any]:
        """The answer to request `number` (an error answer or a stopped service raises BuildError)."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while number not in self._answered:
            if not self._take_answers():
                if self._process.poll() is not None and not self._take_answers():
                    raise self._failure(f"it stopped (exit status {self._process.returncode})")
                if time.monotonic() > deadline:
                    raise self._failure(f"no answer in {TIMEOUT_SECONDS} s")
                time.sleep(POLL_SECONDS)
        payload = self._answered[number]
        if payload.get("type") == "Error":
            lines = str(payload.get("message") or "").strip().splitlines()
            raise self._failure(lines[-1] if lines else "it answered with an error")
        return payload

    def _take_answers(self) -> bool:
        """Read the answers written since the last call; returns whether there were any."""
        # pread: the file's offset is shared with the service, which writes at it; reading must not move it
        size = os.fstat(self._answers.fileno()).st_size
        data = os.pread(self._answers.fileno(), size - self._read, self._read) if size > self._read else b""
        self._read += len(data)
        *complete, self._pending = (self._pending + data).split(b",")
        for message in complete:
            self._note(message)
        return bool(complete)

    def _note(self, message: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(message, validate=True))
            payload = answer["payload"]
            number = answer.get("message_id")
            if number is None:  # an answer to a request the service could not read names it only inside
                number = json.loads(payload["original_message"])["message_id"]
            self._answered[int(number)] = payload
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise self._failure("it answered something that is not a Pagefind message") from None

    def _failure(self, detail: str) -> BuildError:
        errors = os.pread(self._errors.fileno(), os.fstat(self._errors.fileno()).st_size, 0)
        lines = errors.decode("utf-8", "replace").strip().splitlines()
        last = f": {lines[-1]}" if lines else ""
        return BuildError.at(self.folder, 0, f"search index not built: pagefind failed: {detail}{last}")

    def _close_files(self) -> None:
        self._answers.close()
        self._errors.close()
