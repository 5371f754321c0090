"""The dev server over raw HTTP: what it serves, what it never serves, where it listens, how it stops."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import http.client
import re
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from projects import PAGES, page, write, write_project
from serving import ServeProcess, in_own_loop, livereload_connect, next_message

from sitegen.commands.http import allow_script, host_warning, resolve_request

SECRET = "secret-token-8f3a1c"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """A small project, served; a secret file lies next to the output folder."""
    project = write_project(tmp_path_factory.mktemp("serve") / "project", PAGES)
    write(project / "site.yaml", "title: Test site\nlanguage: en\nreview_interval_months: 12\n")  # words a leak of it would show
    (project / "secret.txt").write_text(SECRET, encoding="utf-8")
    with ServeProcess(project) as running:
        yield running.ready()
        running.stop()


def get(server: ServeProcess, path: str, method: str = "GET") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/static/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e%252fsecret.txt",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/%00",
    "/index.html%00.txt",
    "/..%00/secret.txt",
    "/C:%5cWindows%5cwin.ini",
    "/%ff%fe",
]


def test_serves_the_site_on_loopback(server: ServeProcess) -> None:
    status, body = get(server, "/")
    assert status == 200
    assert b"<h1" in body


def test_pages_carry_the_live_reload_script(server: ServeProcess) -> None:
    _, body = get(server, "/")
    assert b"/livereload.js?port=" in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_attempt_reads_nothing_outside_the_output_folder(server: ServeProcess, path: str) -> None:
    status, body = get(server, path)
    assert SECRET.encode() not in body
    assert b"root:x:0:0" not in body
    assert b"site_name" not in body and b"review_interval_months" not in body  # site.yaml
    assert status in (301, 302, 400, 403, 404)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_attempt_never_gives_a_server_error(server: ServeProcess, path: str) -> None:
    status, _ = get(server, path)
    assert status < 500


def test_symbolic_link_out_of_the_output_folder_is_not_followed(server: ServeProcess) -> None:
    link = server.project / "site" / "leak.txt"
    link.symlink_to(server.project / "secret.txt")
    try:
        status, body = get(server, "/leak.txt")
    finally:
        link.unlink()
    assert status == 404
    assert SECRET.encode() not in body


def test_missing_path_gets_the_site_404_page(server: ServeProcess) -> None:
    status, body = get(server, "/no/such/page/")
    assert status == 404
    assert _body(body) == _body((server.project / "site" / "404.html").read_bytes())


def _body(page: bytes) -> bytes:
    return page[page.index(b"<body"):]


def test_missing_path_404_page_carries_the_live_reload_script(server: ServeProcess) -> None:
    _, body = get(server, "/no/such/page/")
    assert b"/livereload.js?port=" in body


def test_folder_without_slash_redirects_to_the_folder(server: ServeProcess) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/sources")
    response = connection.getresponse()
    connection.close()
    assert (response.status, response.getheader("Location")) == (302, "/sources/")


def test_listens_only_on_loopback_by_default(server: ServeProcess) -> None:
    listening = _listening_addresses(server.port)
    assert listening == {"127.0.0.1"}


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, read from the kernel's socket tables."""
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].is_file():
        pytest.skip("needs Linux's /proc/net/tcp to read the listening address without sending traffic")
    found = set()
    for table in tables:
        if not table.is_file():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if len(address) == 8 else f"ipv6:{address}")
    return found


def test_busy_port_gives_one_line_error_suggesting_another_port(make_project: Callable[..., Path]) -> None:
    root = make_project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with ServeProcess(root, port=taken.getsockname()[1]) as busy:
            code = busy.process.wait(30)
            busy.wait_for("--port")
    errors = [line for line in busy.lines if line.strip()]
    assert (code, len(errors)) == (1, 1)
    assert "in use" in errors[0] and "--port" in errors[0]


def test_busy_port_fails_before_building(make_project: Callable[..., Path]) -> None:
    root = make_project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with ServeProcess(root, port=taken.getsockname()[1]) as busy:
            busy.process.wait(30)
    assert not (root / "site").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_signal_stops_the_server_with_exit_code_0(make_project: Callable[..., Path], number: int) -> None:
    with ServeProcess(make_project()) as running:
        running.ready()
        assert running.stop(number) == 0


def test_host_warning_for_an_address_other_machines_can_reach() -> None:
    warning = host_warning("0.0.0.0")
    assert warning is not None and "no authentication" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_no_host_warning_for_loopback(host: str) -> None:
    assert host_warning(host) is None


def test_folder_path_resolves_to_its_index(tmp_path: Path) -> None:
    (tmp_path / "topic").mkdir()
    (tmp_path / "topic" / "index.html").write_text("x")
    assert resolve_request(tmp_path, "topic/") == (tmp_path / "topic" / "index.html").resolve()


def test_live_script_is_allowed_by_its_hash_only() -> None:
    page = b"<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;self&#39;; script-src &#39;self&#39;\"></head>"
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest())
    assert allow_script(page, b"<script>alert(1)</script>") == (
        b"<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; "
        b"script-src 'self' 'sha256-" + digest + b"'\"></head>"
    )


# The live-reload websocket, spoken to as livereload.js does: hello, then info with the page's URL.

TOPIC = page("A topic", "## Facts {{#facts}}\n\n{text} [@001:p4].\n", order=1)


@pytest.fixture
def small(make_project: Callable[..., Path]) -> Iterator[ServeProcess]:
    root = make_project(pages={"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": TOPIC.format(text="A fact")})
    with ServeProcess(root) as running:
        yield running.ready()
        running.stop()


def _reload_after(server: ServeProcess, page: str, change: Callable[[], None], timeout: float = 15) -> dict[str, object] | None:
    assert get(server, f"/{page}")[0] == 200  # a browser loads the page, then its script connects

    async def run() -> dict[str, object] | None:
        socket_ = await livereload_connect(server, page)
        await asyncio.sleep(0.2)
        change()
        return await next_message(socket_, timeout)

    return in_own_loop(run)


def test_edit_sends_a_reload_message(small: ServeProcess) -> None:
    topic = small.project / "content" / "topic.md"
    message = _reload_after(small, "topic/", lambda: topic.write_text(TOPIC.format(text="A new fact"), encoding="utf-8"))
    assert message is not None and message["command"] == "reload", small.lines


def test_saving_unchanged_bytes_sends_no_reload(small: ServeProcess) -> None:
    topic = small.project / "content" / "topic.md"
    text = topic.read_text(encoding="utf-8")
    start = len(small.lines)
    message = _reload_after(small, "topic/", lambda: topic.write_text(text, encoding="utf-8"), timeout=1.5)
    small.wait_for("rebuilt", start=start)
    assert message is None


def test_page_connecting_after_a_change_it_missed_is_told_to_reload(small: ServeProcess) -> None:
    assert get(small, "/topic/")[0] == 200
    start = len(small.lines)
    (small.project / "content" / "topic.md").write_text(TOPIC.format(text="A missed fact"), encoding="utf-8")
    small.wait_for("content/topic.md: rebuilt", start=start)

    async def run() -> dict[str, object] | None:
        return await next_message(await livereload_connect(small, "topic/"), 5)

    message = in_own_loop(run)
    assert message is not None and message["command"] == "reload", small.lines


def test_page_connecting_after_no_change_is_left_alone(small: ServeProcess) -> None:
    assert get(small, "/topic/")[0] == 200

    async def run() -> dict[str, object] | None:
        return await next_message(await livereload_connect(small, "topic/"), 1)

    assert in_own_loop(run) is None


def test_the_build_at_start_says_it_wrote_the_site(small: ServeProcess) -> None:
    assert re.fullmatch(r"built in \d+ ms, [1-9]\d* outputs written", next(line for line in small.lines if "built in" in line))


def test_burst_of_changes_gives_one_rebuild(small: ServeProcess) -> None:
    start = len(small.lines)
    content = small.project / "content"
    for n in range(8):
        (content / f"extra-{n}.md").write_text(f"---\ntitle: Extra {n}\n---\nMore [@001:p4].\n", encoding="utf-8")
    small.wait_for("rebuilt", start=start)
    time.sleep(1.0)
    assert len([line for line in small.lines[start:] if "rebuilt" in line]) == 1


def test_editing_one_page_body_rewrites_only_that_page(small: ServeProcess) -> None:
    start = len(small.lines)
    (small.project / "content" / "topic.md").write_text(TOPIC.format(text="Another fact"), encoding="utf-8")
    assert re.fullmatch(r"content/topic\.md: rebuilt in \d+ ms, 1 output rewritten", small.wait_for("rebuilt", start=start))


def test_broken_build_keeps_serving_the_error_page(small: ServeProcess) -> None:
    start = len(small.lines)
    (small.project / "content" / "topic.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    small.wait_for("build failed", start=start)
    status, body = get(small, "/topic/")
    assert status == 500 and b"content/topic.md:" in body


def test_broken_build_leaves_the_site_on_disk_as_it_was(small: ServeProcess) -> None:
    site = small.project / "site"
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    start = len(small.lines)
    (small.project / "content" / "topic.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    small.wait_for("build failed", start=start)
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_output_folder_removed_while_serving_is_written_again(small: ServeProcess) -> None:
    site = small.project / "site"
    shutil.rmtree(site)
    start = len(small.lines)
    (small.project / "content" / "topic.md").write_text(TOPIC.format(text="Back again"), encoding="utf-8")
    small.wait_for("content/topic.md: rebuilt", start=start)
    assert (site / "index.html").is_file()
    assert "Back again" in (site / "topic" / "index.html").read_text(encoding="utf-8")
