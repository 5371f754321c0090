"""Test helper: `build.py serve` run as a real subprocess on a free loopback port, with its output
collected line by line so a test can wait for "serving", "rebuilt" or an error line; and a
livereload websocket to it, driven from an event loop of its own."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`python build.py serve` for the project at `project`; use as a context manager."""

    def __init__(self, project: Path, *args: str, port: int | None = None, search: bool = False) -> None:
        self.project = project
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(self.port), *args]
        if not search:
            command.append("--no-search")
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._collect, args=(stream,), daemon=True).start()

    def _collect(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, text: str, start: int = 0, timeout: float = 60) -> str:
        """The first output line from index `start` on that contains `text` (waits for it)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[start:]:
                    if text in line:
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self._changed.wait(0.2)):
                    raise AssertionError(f"no line with {text!r} from serve; output so far:\n" + "\n".join(self.lines))
                self._changed.wait(min(remaining, 0.5))

    def ready(self) -> ServeProcess:
        self.wait_for("serving http")
        return self

    def stop(self, number: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(number)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


async def livereload_connect(server: ServeProcess, page: str) -> object:
    """A websocket to `server` that has said hello as the livereload script on `page` does."""
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
    await socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket_.read_message()
    await socket_.write_message(json.dumps({"command": "info", "url": f"{server.url}{page}", "plugins": {}}))
    return socket_


async def next_message(socket_: object, timeout: float) -> dict[str, object] | None:
    """The next message on `socket_` as JSON, or None when none comes within `timeout` seconds."""
    try:
        message = await asyncio.wait_for(socket_.read_message(), timeout)  # type: ignore[attr-defined]
    except TimeoutError:
        return None
    return json.loads(message) if message else None


def in_own_loop(run: Callable[[], Coroutine[object, object, T]]) -> T:
    """Run a coroutine in a thread of its own: the browser tests' Playwright keeps an event loop
    running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()
