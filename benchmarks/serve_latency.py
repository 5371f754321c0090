"""Dev-server latency: from saving a page's Markdown to its new text served over HTTP, and to the reload message.

Starts `build.py serve` on a free loopback port for each site, connects to its live-reload
websocket the way livereload.js does (hello, then info with the page's URL), and edits one page's
text `--edits` times. Every other edit, a poller asks for the edited page's URL over one
keep-alive HTTP connection every `--poll-ms` milliseconds from the save on, until the body holds
the edit's new sentence: that is "save -> new text served". Every edit times save -> reload
message, and the server's own line for each rebuild ("rebuilt in N ms, K outputs rewritten")
gives its engine time and how many outputs it rewrote; the edits without polling show whether
the polling slows the server down. Sites: a copy of this repository's project ("real") and
generated ones of each of `--pages` pages (benchmarks/corpus.py), in a temporary folder. A
summary table ends the run, with the engine time's ratio of the largest site to the smallest.

    python benchmarks/serve_latency.py [--edits 20] [--pages 100 1000 10000] [--sites real,generated] [--poll-ms 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
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
from dataclasses import dataclass, field
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


class Poller:
    """Asks for one URL over a single keep-alive HTTP connection until the body holds a text."""

    def __init__(self, port: int, url_path: str, interval: float) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.url = f"/{url_path}"
        self.interval = interval
        self.requests = 0

    def body(self) -> bytes:
        self.connection.request("GET", self.url)
        self.requests += 1
        return self.connection.getresponse().read()

    def until(self, text: bytes, timeout: float = 120) -> float:
        """Poll until a body holds `text`; returns the `perf_counter` time that body was read."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if text in self.body():
                return time.perf_counter()
            time.sleep(self.interval)
        raise RuntimeError(f"{self.url} never served {text!r}")


@dataclass
class Edits:
    """What the edits of one site measured, in milliseconds; `quiet` ones had no HTTP polling."""

    served: list[float] = field(default_factory=list)
    reload: dict[bool, list[float]] = field(default_factory=lambda: {True: [], False: []})
    engine: dict[bool, list[int]] = field(default_factory=lambda: {True: [], False: []})
    rewritten: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)


async def edit_once(server: Server, socket_: object, page: Path, text: str, poller: Poller | None, edits: Edits) -> None:
    """Save `text` into `page`; wait for the reload message (and, with a poller, the new text served)."""
    needle = text.rstrip("\n").rsplit("\n", 1)[-1].encode()
    start, before = len(server.lines), poller.requests if poller else 0
    saved = time.perf_counter()
    page.write_text(text, encoding="utf-8")
    served = asyncio.create_task(asyncio.to_thread(poller.until, needle)) if poller else None
    message = await asyncio.wait_for(socket_.read_message(), 120)  # type: ignore[attr-defined]
    edits.reload[poller is not None].append((time.perf_counter() - saved) * 1000)
    if not message or json.loads(message).get("command") != "reload":
        raise RuntimeError(f"expected a reload message, got {message!r}")
    if served is not None and poller is not None:
        edits.served.append((await served - saved) * 1000)
        edits.requests.append(poller.requests - before)
    match = REBUILT.search(await server.wait_for("rebuilt", start))
    if match is None:
        raise RuntimeError(f"unexpected rebuild line: {server.lines[start:]}")
    edits.engine[poller is not None].append(int(match[1]))
    edits.rewritten.append(int(match[2]))


async def measure(name: str, root: Path, page: Path, url_path: str, count: int, poll_ms: float) -> Edits:
    """`count` edits of `page` under a running server, every other one polled over HTTP."""
    server = Server(root)
    startup = await server.start()
    edits = Edits()
    try:
        socket_ = await connect(server, url_path)
        poller = Poller(server.port, url_path, poll_ms / 1000)
        poller.body()  # the connection is open before the first save
        original = page.read_text(encoding="utf-8")
        for n in range(1, count + 1):
            text = original.rstrip("\n") + f"\n\nA sentence added by edit number {n} of the benchmark.\n"
            await edit_once(server, socket_, page, text, poller if n % 2 else None, edits)
            await asyncio.sleep(PAUSE)
        page.write_text(original, encoding="utf-8")
    finally:
        await server.stop()
    print(f"{name}: {count} edits of {page.relative_to(root).as_posix()} (server start and first build {startup:.1f} s)")
    print(f"  save -> new text served over HTTP: {_spread(edits.served)} ({len(edits.served)} edits polled every {poll_ms:g} ms, "
          f"median {statistics.median(edits.requests):.0f} requests each)")
    for polled, label in ((True, "with polling"), (False, "without polling")):
        print(f"  {label:<16} save -> reload message: {_spread(edits.reload[polled])}; rebuild (server's own timing): {_spread(edits.engine[polled])}")
    print(f"  outputs rewritten per edit: {', '.join(str(n) for n in edits.rewritten)}")
    return edits


def _spread(values: list[float] | list[int]) -> str:
    return f"median {statistics.median(values):.0f} ms, p90 {percentile(values, 90):.0f} ms" if values else "none"


def percentile(values: list[float] | list[int], rank: int) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-rank * len(ordered) // 100) - 1)]


def summary(results: dict[str, Edits]) -> str:
    """One row per site (medians and p90s in ms), then the engine time's ratio largest ÷ smallest generated site."""
    rows = [f"{'site':<16} {'served':>13} {'reload':>13} {'reload, quiet':>14} {'engine':>7} {'engine, quiet':>14}"]
    for name, e in results.items():
        rows.append(
            f"{name:<16} {_pair(e.served):>13} {_pair(e.reload[True]):>13} {_pair(e.reload[False]):>14} "
            f"{statistics.median(e.engine[True]):>7.0f} {statistics.median(e.engine[False]):>14.0f}"
        )
    rows.extend(_engine_ratio(results))
    return "\n".join(rows)


def _engine_ratio(results: dict[str, Edits]) -> list[str]:
    """The server's median rebuild time at the largest generated site ÷ at the smallest (all edits)."""
    sizes = sorted(int(name.split()[0]) for name in results if name.endswith(" pages"))
    if len(sizes) < 2:
        return []
    small, large = (statistics.median([*results[f"{size} pages"].engine[True], *results[f"{size} pages"].engine[False]]) for size in (sizes[0], sizes[-1]))
    return [f"engine time, {sizes[-1]} ÷ {sizes[0]} pages: {large / max(small, 1):.1f} ({large:.0f} ms ÷ {small:.0f} ms)"]


def _pair(values: list[float] | list[int]) -> str:
    return f"{statistics.median(values):.0f} / {percentile(values, 90):.0f}" if values else "-"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="edits per site, half of them polled over HTTP (default 20)")
    parser.add_argument("--pages", type=int, nargs="+", default=[1000], help="page counts of the generated sites (default 1000)")
    parser.add_argument("--sites", default="real,generated", help="comma-separated: real, generated")
    parser.add_argument("--poll-ms", type=float, default=3, help="pause between two HTTP requests of the poller (default 3)")
    args = parser.parse_args()
    results: dict[str, Edits] = {}
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as folder:
        for site in args.sites.split(","):
            if site == "real":
                results["real site"] = await measure("real site", *real_project(Path(folder) / "real"), args.edits, args.poll_ms)
            elif site == "generated":
                for pages in args.pages:
                    project = generated_project(Path(folder) / f"generated-{pages}", pages)
                    results[f"{pages} pages"] = await measure(f"generated site, {pages} pages", *project, args.edits, args.poll_ms)
                    shutil.rmtree(project[0])
            else:
                parser.error(f"unknown site {site!r}")
    print("\nmedian / p90, ms; quiet = the edits without HTTP polling; engine = the server's own rebuild time")
    print(summary(results))


if __name__ == "__main__":
    asyncio.run(main())
