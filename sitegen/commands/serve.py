"""Serve: the live preview. Builds the site, serves the output folder on loopback, watches the
project, rebuilds after every change and reloads the browser; a failing build shows its problems
in the browser and the terminal and the server keeps running.

Built on livereload (its reload protocol and websocket handler, its browser script and its
injection of that script before the first `</head>`), with its weak points wrapped:

- no reload throttle (livereload drops any reload within 3 s of the previous one);
- a watcher on operating-system events (watch.py) instead of polling every file's mtime;
- our own HTTP handler: never a file outside the output folder, never a 500 for a strange path,
  the site's `404.html` for missing paths, the error page while the build is broken, and the
  page's Content-Security-Policy extended by the hash of livereload's inline script only;
- our own application (`application`): while bound to loopback, every request, websocket
  included, whose `Host` names another machine is refused with 403 (DNS rebinding); websockets
  from another origin are refused; a websocket message that is not livereload's JSON is ignored;
  `/forcereload` reloads the connected pages (livereload's own answers 500);
- the port is taken before the first build (0: one the system chooses, announced), and a busy
  port is a one-line error;
- Ctrl-C and SIGTERM stop the server with exit code 0.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import ipaddress
import json
import logging
import mimetypes
import re
import signal
import sys
import time
import traceback
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import httputil, netutil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, Matcher, Rule

from ..core.errors import BuildError, Problem, shown
from ..core.layout import INPUT_FOLDERS, NOT_FOUND, SETTINGS_FILE
from ..incremental.memo import Memo
from ..load.settings import load_settings
from ..pipeline import build
from ..write.output import MARKER, check_output_dir, update_site
from ..write.search import BUNDLE_DIR, index_site
from .watch import FileWatcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WATCHED = (*INPUT_FOLDERS, SETTINGS_FILE)
INDEX = "index.html"
NOT_FOUND_PAGE = ""  # the key under which every URL answered with the not-found page is recorded
MAX_MESSAGE = 64 * 1024  # livereload.js sends a few hundred bytes; a longer websocket message closes the connection

# livereload's own snippet (livereload/server.py): loads livereload.js from the page's own host and port.
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){'
    b'var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port'
    b'+ "/livereload.js?port=" + port;'
    b"document.head.appendChild(s);"
    b"})();</script>"
)


def _say(message: str) -> None:
    print(message, flush=True)


def _complain(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    """Whether `host` (an address to listen on, or a host name from a request; IPv6 with or
    without brackets) is this machine only: `localhost` or a loopback address."""
    name = host.lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def host_warning(host: str) -> str | None:
    """A warning when `host` lets other machines reach the server, else None."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}: anyone who can reach this address can read the site, "
        "and the server has no authentication"
    )


def resolve_request(out_dir: Path, url_path: str) -> Path | str | None:
    """The file of `out_dir` that URL path `url_path` (already percent-decoded, without its leading
    "/") names; a string when the browser should be redirected there (a folder without its
    trailing slash); None when there is no such file inside `out_dir`.

    Never returns a path outside `out_dir`: `..` segments, NUL bytes, backslashes and absolute
    paths are refused, and symbolic links that lead out of the folder are not followed.
    """
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = [part for part in url_path.split("/") if part not in ("", ".")]
    if ".." in parts or any(":" in part for part in parts):
        return None
    base = out_dir.resolve()
    candidate = base.joinpath(*parts)
    try:
        if candidate.is_dir():
            if url_path and not url_path.endswith("/"):
                return quote("/" + "/".join(parts) + "/")
            candidate = candidate / INDEX
        real = candidate.resolve()
        if not real.is_relative_to(base) or not real.is_file() or real.name == MARKER:
            return None
    except (OSError, ValueError):
        return None
    return real


def _script_hash(script: bytes) -> str:
    body = script.split(b">", 1)[1].rsplit(b"</script>", 1)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"


_CSP_META = re.compile(rb"""(<meta\s[^>]*http-equiv=["']?content-security-policy["']?[^>]*\scontent=)(["'])(.*?)\2""", re.I | re.S)


def allow_script(page: bytes, script: bytes) -> bytes:
    """`page` with its Content-Security-Policy <meta> extended to allow exactly `script` (an inline
    <script> element) by its hash. Pages without such a <meta> are returned as they are."""
    allowed = _script_hash(script)

    def extend(match: re.Match[bytes]) -> bytes:
        quote = match[2].decode()
        policy = html.unescape(match[3].decode())
        directives = [d.strip() for d in policy.split(";") if d.strip()]
        names = [d.split()[0].lower() for d in directives]
        if "script-src" in names:
            directives[names.index("script-src")] += " " + allowed
        else:
            directives.append(f"script-src 'self' {allowed}")
        value = html.escape("; ".join(directives), quote=False).replace(quote, "&#39;" if quote == "'" else "&quot;")
        return match[1] + match[2] + value.encode() + match[2]

    return _CSP_META.sub(extend, page, count=1)


def error_page(problems: Sequence[Problem]) -> bytes:
    """The page served while the build is broken: every problem as `path:line: message`."""
    items = "\n".join(f"<li><code>{html.escape(shown(problem))}</code></li>" for problem in problems)
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Build failed: {count}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #b3261e; }}
code {{ font-size: 1rem; white-space: pre-wrap; word-break: break-word; }}
li {{ margin: .5rem 0; }}
</style>
</head>
<body>
<main>
<h1>Build failed: {count}</h1>
<ol class="problems">
{items}
</ol>
<p>The site was left as it was. Fix the file and save it: this page reloads by itself.</p>
</main>
</body>
</html>
""".encode()


class Preview:
    """What is being served: the project, its output folder, and the problems of the last build."""

    def __init__(self, root: Path, out_dir: Path, keep: Callable[[str], bool] = lambda _: False) -> None:
        self.root = root
        self.out_dir = out_dir
        self.keep = keep
        self.memo = Memo.for_project(root)
        self.problems: tuple[Problem, ...] = ()
        self.generation = 0  # counts the rebuilds that changed what the browser shows
        self.builds = 0  # builds that succeeded
        self.served: dict[str, int] = {}  # output page (or NOT_FOUND_PAGE) → generation when last served
        self._on_disk: tuple[dict[str, bytes], tuple[int, int] | None] | None = None  # last outputs written, and to which folder

    def page_served(self, url_path: str) -> None:
        """Record that a page was served at `url_path` (percent-decoded) now.

        Recorded under the output it names, so the record holds at most one entry per page the
        site has had: aliases of a page share its entry, and every URL that names no output shares
        the one entry NOT_FOUND_PAGE, however many unknown URLs are asked for."""
        key = page_key(url_path)
        outputs = self._on_disk[0] if self._on_disk else {}
        self.served[key if key in outputs else NOT_FOUND_PAGE] = self.generation

    def is_stale(self, url_path: str) -> bool:
        """Whether the page last served at `url_path` (percent-decoded) predates the latest visible change."""
        key = page_key(url_path)
        served = self.served[key] if key in self.served else self.served.get(NOT_FOUND_PAGE, self.generation)
        return served < self.generation

    def rebuild(self, changed: Sequence[str] = ()) -> bool:
        """Render the site and rewrite the outputs whose bytes changed. Never raises: problems are
        kept for the error page and printed. Returns whether the browser should reload."""
        started = time.perf_counter()
        before = self.problems
        try:
            result = build(self.root, self.memo, write=False, persist=self.generation == 0)  # the cache is written when serving stops
            written = self._write(result.outputs)
        except BuildError as exc:
            self.problems = exc.problems
        except Exception as exc:  # a bug in the engine: report it, keep serving
            traceback.print_exc()
            self.problems = (Problem("sitegen", 0, f"internal error: {type(exc).__name__}: {exc}"),)
        else:
            self.problems = ()
            elapsed = (time.perf_counter() - started) * 1000
            cause = f"{_names(changed, self.root)}: " if changed else ""
            count = len(result.findings)
            findings = f"; {count} finding{'' if count == 1 else 's'} (see `check`)" if count else ""
            # The build at start writes the folder; later ones rewrite what changed.
            built, done = ("rebuilt", "rewritten") if self.builds else ("built", "written")
            self.builds += 1
            rewritten = f"{len(written)} output{'' if len(written) == 1 else 's'} {done}"
            _say(f"{cause}{built} in {elapsed:.0f} ms, {rewritten}{findings}")
            return self._changed(bool(written) or bool(before))
        for problem in self.problems:
            _complain(shown(problem))
        _complain("build failed: the browser shows the error; the site was left as it was")
        return self._changed(self.problems != before)

    def _write(self, outputs: dict[str, bytes]) -> list[str]:
        """Update the output folder; returns the paths rewritten or removed.

        `update_site` compares every output with the file on disk; in a large site that means
        reading every page again after each edit. So after the first update, only the outputs
        whose bytes differ from the previous build's are handed to it (the others are kept), as
        long as the folder is still the one written last (`build` replaces it by a new one)."""
        previous, folder = self._on_disk or ({}, None)
        self._on_disk = None
        if folder is None or _identity(self.out_dir) != folder:
            written = update_site(outputs, self.out_dir, self.root, keep=self.keep)
        else:
            changed = {path: data for path, data in outputs.items() if previous.get(path) is not data and previous.get(path) != data}
            # The folder holds exactly the previous outputs: only a change in their set can leave a file to remove.
            prune = outputs.keys() != previous.keys()
            written = update_site(changed, self.out_dir, self.root, keep=lambda path: path in outputs or self.keep(path), prune=prune)
        self._on_disk = (outputs, _identity(self.out_dir))
        return written

    def _changed(self, visible: bool) -> bool:
        if visible:
            self.generation += 1
        return visible


def page_key(url_path: str) -> str:
    """The output path that URL path `url_path` (percent-decoded) names, read from the URL alone:
    `/topic/`, `topic/index.html` and `/./topic//` are all `topic/index.html`."""
    parts = [part for part in url_path.split("/") if part not in ("", ".")]
    if not parts or url_path.endswith("/"):
        parts.append(INDEX)
    return "/".join(parts)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at `folder` now (None: none), to notice when another process replaced it."""
    try:
        status = folder.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _names(changed: Sequence[str], root: Path) -> str:
    shown = []
    for path in changed[:3]:
        try:
            shown.append(Path(path).relative_to(root).as_posix())
        except ValueError:
            shown.append(path)
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return ", ".join(shown) + more


class SiteHandler(web.RequestHandler):
    """Serves the output folder: files, `404.html` for missing ones, the error page while the
    build is broken. livereload's output transform then adds its script before `</head>`."""

    def initialize(self, preview: Preview, script: bytes) -> None:
        self.preview = preview
        self.script = script

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def compute_etag(self) -> None:
        return None

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        target = resolve_request(self.preview.out_dir, path)
        if isinstance(target, str):
            self.redirect(target)
            return
        wants_page = (target if target else Path(path)).suffix in ("", ".html", ".htm")
        if self.preview.problems and wants_page:
            self._send(500, "text/html; charset=utf-8", error_page(self.preview.problems))
        elif target is None:
            self._not_found()
        else:
            try:
                body = target.read_bytes()
            except OSError:  # removed since: as if it had never been there
                self._not_found()
                return
            self._send(200, _content_type(target), body)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        if status_code == 404:
            self._not_found()
        else:
            super().write_error(status_code, **kwargs)

    def _not_found(self) -> None:
        page = self.preview.out_dir / NOT_FOUND
        body = page.read_bytes() if page.is_file() else b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
        self._send(404, "text/html; charset=utf-8", body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        if content_type.startswith("text/html"):
            body = allow_script(body, self.script)
            self.preview.page_served(self.path_args[0] if self.path_args else "")  # the URL path, percent-decoded
        if self.request.method == "HEAD":
            self.set_header("Content-Length", str(len(body)))
            self.finish()
        else:
            self.finish(body)


def _content_type(path: Path) -> str:
    if path.suffix in (".html", ".htm"):
        return "text/html; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed and (guessed.startswith("text/") or guessed in ("application/javascript", "image/svg+xml", "application/xml")):
        return f"{guessed}; charset=utf-8"
    return guessed or "application/octet-stream"


class _ReloadHandler(LiveReloadHandler):
    """livereload's websocket, which also reloads a page that connects after a change it missed.

    livereload sends a reload only to the pages connected at that moment; a page that is itself
    reloading (between its old connection closing and its new one opening) would miss the change
    and stay stale. Each page says its URL when it connects; if the site changed since that page
    was served, it is told to reload at once.

    Only pages of this server may connect (livereload accepts any origin), and a message that is
    not livereload.js's JSON object is ignored (livereload's handler raises on it)."""

    preview: Preview | None = None

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() == self.request.host.lower()

    def on_message(self, message: str | bytes) -> None:
        info = _client_message(message)
        if info is None:
            return
        super().on_message(message)
        url = info.get("url") if info["command"] == "info" else None
        if isinstance(url, str) and self.preview is not None and self.preview.is_stale(unquote(urlsplit(url).path)):
            self.send_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})


def _client_message(message: str | bytes) -> dict[str, Any] | None:
    """`message` as livereload.js sends them: a JSON object with a string `command`; else None."""
    try:
        info = json.loads(message)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
        return None
    return info if isinstance(info, dict) and isinstance(info.get("command"), str) else None


class _ForceReloadHandler(web.RequestHandler):
    """livereload's `/forcereload[?path=…]`: reload the connected pages (all, or those showing
    `path`). livereload's own handler calls a class this server never sets up, and answers 500."""

    def get(self) -> None:
        _ReloadHandler.reload_waiters(self.get_argument("path", default=None) or "*")
        self.write("ok")


class _LiveScript(LiveScriptInjector):
    script = LIVE_SCRIPT


class _LocalHost(Matcher):
    """Matches the requests whose `Host` names this machine: `localhost` or a loopback address
    (`127.0.0.1`, `[::1]`, the address bound), with any port or none. No other name can be
    trusted to mean this machine: a page whose name an attacker's DNS points at 127.0.0.1 would
    read the site."""

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        return {} if is_loopback(request.host_name) else None


class _ForeignHost(web.RequestHandler):
    """The answer to a request whose `Host` names another machine, on any path and method."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("403: this server answers only to localhost, 127.0.0.1 and [::1]\n")


def application(preview: Preview, host: str, watcher: FileWatcher) -> web.Application:
    """The server for `preview` when listening on `host`: livereload's websocket (told of changes
    by `watcher`), script and `/forcereload`, then the site. While `host` is loopback, every route
    is behind the `Host` check; on another address the server is meant to be reached under any
    name (see `host_warning`)."""
    _ReloadHandler.preview = preview
    _ReloadHandler.watcher = watcher
    _ReloadHandler.live_css = False
    routes: list[Any] = [
        (r"/livereload", _ReloadHandler),
        (r"/forcereload", _ForceReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/(.*)", SiteHandler, {"preview": preview, "script": LIVE_SCRIPT}),
    ]
    if is_loopback(host):
        routes = [Rule(_LocalHost(), routes), Rule(AnyMatches(), _ForeignHost)]
    return web.Application(routes, transforms=[_LiveScript], websocket_max_message_size=MAX_MESSAGE)


def listen(app: web.Application, host: str, port: int) -> int:
    """Serve `app` on `host`:`port` (0: a free port the system chooses); returns the port taken."""
    sockets = netutil.bind_sockets(port, address=host)
    HTTPServer(app).add_sockets(sockets)
    return sockets[0].getsockname()[1]


def _is_search_index(relative: str) -> bool:
    """Files Pagefind adds to the output folder: kept when a rebuild updates the folder."""
    return relative.startswith(f"{BUNDLE_DIR}/")


def _index_search(out_dir: Path) -> None:
    """Index the served site once, at start; later rebuilds keep the index as it is."""
    try:
        index_site(out_dir)
    except BuildError as exc:  # search is a convenience while previewing: say why it is missing, keep serving
        for problem in exc.problems:
            _complain(f"warning: {shown(problem)}")


def serve(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False, search: bool = True) -> int:
    """Build, serve and watch the project at `root` until Ctrl-C or SIGTERM; returns the exit code."""
    try:
        settings = load_settings(root)
        out_dir = settings.output_path
        check_output_dir(out_dir, root)
    except BuildError as exc:
        for problem in exc.problems:
            _complain(shown(problem))
        return 1
    warning = host_warning(host)
    if warning:
        _complain(warning)
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # livereload drops reloads within 3 s of the previous one (read from this class)
    loop = IOLoop.current()
    watcher = FileWatcher()
    preview = Preview(root, out_dir, keep=_is_search_index)
    for name in WATCHED:
        if (root / name).exists():
            watcher.watch(str(root / name), preview.rebuild)
    try:
        port = listen(application(preview, host, watcher), host, port)
    except (OSError, OverflowError) as exc:
        _complain(_listen_error(host, port, exc))
        return 1

    _stop_on_signals(loop)
    try:
        _ReloadHandler.start_tasks()  # starts the watcher before the first build: no edit is missed
        preview.rebuild()
        if search and not preview.problems:
            _index_search(out_dir)
        url = f"http://{_url_host(host)}:{port}/"
        _say(f"serving {url} (Ctrl-C to stop)")
        if open_browser:
            loop.call_later(0.3, webbrowser.open, url)
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        preview.memo.persist()
    _say("stopped")
    return 0


def _stop_on_signals(loop: IOLoop) -> None:
    """Ctrl-C and SIGTERM stop the loop; one that comes before the loop runs stops it at once.

    asyncio's signal handling wakes the loop whichever thread the signal lands on (the watcher's
    threads included), which a plain `signal.signal` handler would not."""
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, AttributeError):  # Windows: Ctrl-C arrives as KeyboardInterrupt
            loop.asyncio_loop.add_signal_handler(number, loop.stop)  # type: ignore[attr-defined]


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _listen_error(host: str, port: int, exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
        return f"error: port {port} on {host} is already in use: stop the other server or choose another port with --port {port + 1}"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"error: cannot listen on {host}:{port}: {reason}; choose another address with --host or port with --port"
