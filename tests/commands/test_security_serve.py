"""The dev server stays up and stays private: `/forcereload` never fails, strange websocket traffic
is ignored, other origins and other host names are refused while bound to loopback, the port is
checked, `--port 0` takes a free port, and asking for unknown URLs does not grow what it records."""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from projects import PAGES, page, run, write_project
from serving import ServeProcess, in_own_loop, livereload_connect, next_message
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect

from sitegen.commands.preview import NOT_FOUND_PAGE, Preview
from sitegen.commands.serve import MAX_MESSAGE, application
from sitegen.commands.watch import FileWatcher
from sitegen.load.settings import load_settings

HELLO = json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    project = write_project(tmp_path_factory.mktemp("private") / "project", PAGES)
    with ServeProcess(project) as running:
        yield running.ready()
        running.stop()


def request(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def no_traceback(server: ServeProcess, start: int) -> bool:
    """Whether the server printed no traceback since output line `start`."""
    time.sleep(0.3)  # its output is read by other threads: let what it printed arrive
    return not any("Traceback" in line or "Uncaught exception" in line for line in server.lines[start:])


def websocket_status(server: ServeProcess, headers: dict[str, str]) -> int:
    """101 when a websocket to /livereload with these headers is accepted, else the HTTP status."""

    async def attempt() -> int:
        try:
            connection = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload", headers=headers))
        except HTTPClientError as refused:
            return refused.code
        connection.close()
        return 101

    return in_own_loop(attempt)


# --- /forcereload ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/forcereload", "/forcereload?path=topic/", "/forcereload?path="])
def test_forcereload_answers_without_a_server_error(server: ServeProcess, path: str) -> None:
    start = len(server.lines)
    status, _ = request(server.port, path)
    assert status == 200
    assert no_traceback(server, start), server.lines[start:]


def test_forcereload_reloads_the_connected_pages(server: ServeProcess) -> None:
    async def run_() -> dict[str, object] | None:
        page = await livereload_connect(server, "")
        await asyncio.sleep(0.2)
        await asyncio.get_running_loop().run_in_executor(None, request, server.port, "/forcereload")
        return await next_message(page, 5)

    message = in_own_loop(run_)
    assert message is not None and message["command"] == "reload"


# --- malformed websocket traffic -------------------------------------------------------------------

MALFORMED = {
    "garbage text": "garbage",
    "empty": "",
    "json array": "[1, 2, 3]",
    "json string": '"hello"',
    "object without command": "{}",
    "command not a string": '{"command": 5}',
    "info without url": '{"command": "info"}',
    "info with a number for url": '{"command": "info", "url": 5}',
    "info with an object for url": '{"command": "info", "url": {"a": 1}}',
    "nested too deep": "[" * 50_000,
    "invalid utf-8 binary": b"\xff\xfe\x00\x81",
    "binary zeros": bytes(1000),
}


@pytest.mark.parametrize("message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_websocket_message_is_ignored_and_the_connection_still_works(server: ServeProcess, message: str | bytes) -> None:
    start = len(server.lines)
    async def run_() -> object:
        connection = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
        await connection.write_message(message, binary=isinstance(message, bytes))
        await connection.write_message(HELLO)
        reply = await asyncio.wait_for(connection.read_message(), 5)
        connection.close()
        return reply

    reply = in_own_loop(run_)
    assert isinstance(reply, str) and json.loads(reply)["command"] == "hello"
    assert no_traceback(server, start), server.lines[start:]


def test_oversized_websocket_message_closes_only_that_connection(server: ServeProcess) -> None:
    start = len(server.lines)
    async def run_() -> object:
        connection = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
        await connection.write_message("x" * (MAX_MESSAGE + 1))
        return await asyncio.wait_for(connection.read_message(), 5)

    assert in_own_loop(run_) is None  # closed by the server
    assert request(server.port, "/")[0] == 200
    assert no_traceback(server, start), server.lines[start:]


def _handshake(port: int) -> socket.socket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert raw.recv(4096).startswith(b"HTTP/1.1 101")
    return raw


FRAMES = {
    "random bytes": os.urandom(256),
    "unmasked text frame": b"\x81\x05hello",
    "reserved opcode": b"\x83\x80\x00\x00\x00\x00",
    "reserved bits set": b"\xf1\x80\x00\x00\x00\x00",
    "length beyond the limit": b"\x81\xff" + (2**62).to_bytes(8, "big") + b"\x00\x00\x00\x00",
    "continuation without a start": b"\x80\x80\x00\x00\x00\x00",
    "text frame of invalid utf-8": b"\x81\x82\x00\x00\x00\x00\xff\xfe",
    "truncated frame": b"\x81\x85\x00\x00",
}


@pytest.mark.parametrize("frame", FRAMES.values(), ids=FRAMES.keys())
def test_malformed_websocket_frame_leaves_the_server_up_without_a_traceback(server: ServeProcess, frame: bytes) -> None:
    start = len(server.lines)
    with _handshake(server.port) as raw:
        raw.sendall(frame)
    assert request(server.port, "/")[0] == 200
    assert no_traceback(server, start), server.lines[start:]


# --- other origins, other host names ---------------------------------------------------------------


def test_websocket_from_another_origin_is_refused(server: ServeProcess) -> None:
    assert websocket_status(server, {"Origin": "http://evil.example"}) == 403


def test_websocket_from_a_page_of_this_server_is_accepted(server: ServeProcess) -> None:
    assert websocket_status(server, {"Origin": f"http://127.0.0.1:{server.port}"}) == 101


def test_websocket_naming_another_host_is_refused(server: ServeProcess) -> None:
    assert websocket_status(server, {"Host": f"evil.example:{server.port}"}) == 403


@pytest.mark.parametrize("path", ["/", "/topic/", "/no/such/page/", "/livereload.js", "/forcereload", "/livereload"])
@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost.evil.example"])
def test_request_naming_another_host_is_refused(server: ServeProcess, path: str, host: str) -> None:
    status, body = request(server.port, path, host=host.format(port=server.port))
    assert status == 403
    assert b"<h1" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}", "127.0.0.1", "localhost", "[::1]"])
def test_request_naming_this_machine_is_served(server: ServeProcess, host: str) -> None:
    status, body = request(server.port, "/", host=host.format(port=server.port))
    assert status == 200 and b"<h1" in body


# --- the port --------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "eighty"])
def test_port_outside_the_range_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    code, stderr = run(tmp_path, ("serve", "--port", port), capsys, in_subprocess=True)
    assert code == 2
    assert len(stderr.splitlines()) == 1, stderr
    assert "--port" in stderr and port in stderr and "Traceback" not in stderr


def test_port_0_announces_the_free_port_taken_and_that_port_answers(make_project: Callable[..., Path]) -> None:
    with ServeProcess(make_project(), "--port", "0") as running:
        announced = re.fullmatch(r"serving http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)", running.wait_for("serving http"))
        assert announced is not None
        port = int(announced[1])
        assert port != 0
        assert request(port, "/")[0] == 200
        running.stop()


# --- what the server records per page, and the host check's decision, in this process ---------------


@contextmanager
def serving_in_process(preview: Preview, bound_as: str) -> Iterator[int]:
    """`application(preview, bound_as)` on a free loopback port, on an event loop of its own thread."""
    ready = threading.Event()
    state: dict[str, object] = {}

    def loop_thread() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        sockets = bind_sockets(0, "127.0.0.1")
        http_server = HTTPServer(application(preview, bound_as, FileWatcher()))
        http_server.add_sockets(sockets)
        state.update(loop=IOLoop.current(), server=http_server, port=sockets[0].getsockname()[1])
        ready.set()
        IOLoop.current().start()

    thread = threading.Thread(target=loop_thread, daemon=True)
    thread.start()
    assert ready.wait(10)
    loop: IOLoop = state["loop"]  # type: ignore[assignment]
    try:
        yield state["port"]  # type: ignore[misc]
    finally:
        loop.add_callback(state["server"].stop)  # type: ignore[attr-defined]
        loop.add_callback(loop.stop)
        thread.join(10)


@pytest.fixture
def preview(make_project: Callable[..., Path]) -> Preview:
    root = make_project()
    built = Preview(root, load_settings(root).output_path)
    assert built.rebuild() and not built.problems
    return built


def test_a_thousand_unknown_urls_add_one_entry_to_the_served_pages_record(preview: Preview) -> None:
    with serving_in_process(preview, "127.0.0.1") as port:
        assert request(port, "/")[0] == 200
        before = set(preview.served)
        for number in range(1000):
            assert request(port, f"/unknown-{number}/page-{number}.html")[0] == 404
    assert set(preview.served) == before | {NOT_FOUND_PAGE}


def test_aliases_of_a_page_share_its_entry_in_the_served_pages_record(preview: Preview) -> None:
    with serving_in_process(preview, "127.0.0.1") as port:
        for alias in ("/topic/", "/topic/index.html", "/./topic//", "/topic/./index.html", "/%74opic/"):
            assert request(port, alias)[0] == 200
    assert set(preview.served) == {"topic/index.html"}


def test_unknown_url_served_before_a_change_is_stale_after_it(preview: Preview) -> None:
    with serving_in_process(preview, "127.0.0.1") as port:
        assert request(port, "/no/such/page/")[0] == 404
    (preview.root / "content" / "topic.md").write_text(page("Changed", "A changed fact [@001:p4].\n", order=1), encoding="utf-8")
    assert preview.rebuild()
    assert preview.is_stale("/no/such/page/")


def test_any_host_name_is_served_when_bound_to_all_addresses(preview: Preview) -> None:
    with serving_in_process(preview, "0.0.0.0") as port:
        assert request(port, "/", host="laptop.example:8000")[0] == 200


def test_other_host_names_are_refused_when_bound_to_localhost(preview: Preview) -> None:
    with serving_in_process(preview, "localhost") as port:
        assert request(port, "/", host="laptop.example:8000")[0] == 403
