"""Dev-server latency: from saving a page's Markdown to the browser's reload message.

Starts `build.py serve` on a free loopback port for each site, connects to its live-reload
websocket the way livereload.js does (hello, then info with the page's URL), edits one page's text
`--edits` times, and times each save → reload message. It also reads the server's own line for
each rebuild ("rebuilt in N ms, K outputs rewritten") to report how many outputs each edit rewrote.
Sites: a copy of this repository's project ("real") and a generated one of `--pages` pages
(benchmarks/corpus.py), both in a temporary folder.

    python benchmarks/serve_latency.py [--edits 20] [--pages 1000] [--sites real,generated]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate, page_path  # noqa: E402 - the generator lives next to this script

REBUILT = re.compile(r"rebuilt in (\d+) ms, (\d+) outputs? rewritten")
PAUSE = 0.3  # seconds between a reload and the next save


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def real_project(target: Path) -> tuple[Path, Path, str]:
    """A copy of this repository's project; returns (root, page to edit, its URL path)."""
    for name in ("content", "seeds", "templates", "static"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "site.yaml", target / "site.yaml")
    return target, target / "content" / "migraine.md", "migraine/"


def generated_project(target: Path, pages: int) -> tuple[Path, Path, str]:
    generate(target, pages)
    index = pages // 2
    relative = page_path(index)
    return target, target / "content" / relative, relative.removesuffix(".md") + "/"


class Server:
    """`build.py serve` as a child process, its output lines collected as they come."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.lines: list[str] = []
        self.new_line = asyncio.Event()

    async def start(self) -> float:
        started = time.perf_counter()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, str(REPO / "build.py"), "serve", "--port", str(self.port), "--no-search",
            cwd=self.root, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.reader = asyncio.create_task(self._read())
        await self.wait_for("serving http", 0, timeout=900)
        return time.perf_counter() - started

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode().rstrip("\n"))
            self.new_line.set()

    async def wait_for(self, text: str, start: int, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines[start:]:
                if text in line:
                    return line
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve never printed {text!r}:\n" + "\n".join(self.lines))
            self.new_line.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.new_line.wait(), 1)

    async def stop(self) -> None:
        self.process.terminate()
        await self.process.wait()
        self.reader.cancel()


async def connect(server: Server, url_path: str) -> object:
    """Load the page, then connect to the live-reload websocket as its script does."""
    await asyncio.to_thread(lambda: urllib.request.urlopen(f"http://127.0.0.1:{server.port}/{url_path}").read())
    socket_ = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
    await socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket_.read_message()
    await socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{server.port}/{url_path}", "plugins": {}}))
    await asyncio.sleep(0.2)
    return socket_


async def measure(name: str, root: Path, page: Path, url_path: str, edits: int) -> None:
    server = Server(root)
    startup = await server.start()
    try:
        socket_ = await connect(server, url_path)
        original = page.read_text(encoding="utf-8")
        latencies: list[float] = []
        builds: list[int] = []
        rewritten: list[int] = []
        for n in range(1, edits + 1):
            text = original.rstrip("\n") + f"\n\nA sentence added by edit number {n} of the benchmark.\n"
            start = len(server.lines)
            saved = time.perf_counter()
            page.write_text(text, encoding="utf-8")
            message = await asyncio.wait_for(socket_.read_message(), 120)  # type: ignore[attr-defined]
            latencies.append((time.perf_counter() - saved) * 1000)
            if not message or json.loads(message).get("command") != "reload":
                raise RuntimeError(f"expected a reload message, got {message!r}")
            line = await server.wait_for("rebuilt", start)
            match = REBUILT.search(line)
            if match is None:
                raise RuntimeError(f"unexpected rebuild line: {line}")
            builds.append(int(match[1]))
            rewritten.append(int(match[2]))
            await asyncio.sleep(PAUSE)
        page.write_text(original, encoding="utf-8")
    finally:
        await server.stop()
    print(f"{name}: {edits} edits of {page.relative_to(root).as_posix()} (server start and first build {startup:.1f} s)")
    print(f"  save -> reload message: median {statistics.median(latencies):.0f} ms, p95 {_p95(latencies):.0f} ms, max {max(latencies):.0f} ms")
    print(f"  rebuild (server's own timing): median {statistics.median(builds):.0f} ms, p95 {_p95(builds):.0f} ms")
    print(f"  outputs rewritten per edit: {', '.join(str(n) for n in rewritten)}")


def _p95(values: list[float] | list[int]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]  # nearest rank


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated site")
    parser.add_argument("--sites", default="real,generated", help="comma-separated: real, generated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as folder:
        for site in args.sites.split(","):
            if site == "real":
                await measure("real site", *real_project(Path(folder) / "real"), args.edits)
            elif site == "generated":
                await measure(f"generated site, {args.pages} pages", *generated_project(Path(folder) / "generated", args.pages), args.edits)
            else:
                parser.error(f"unknown site {site!r}")


if __name__ == "__main__":
    asyncio.run(main())
