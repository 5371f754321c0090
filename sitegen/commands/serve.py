"""Serve: the live preview command. Builds the site, serves the output folder on loopback, watches
the project, rebuilds after every change and reloads the browser; a failing build shows its
problems in the browser and the terminal and the server keeps running.

Built on livereload (its reload protocol and websocket handler, its browser script and its
injection of that script before the first `</head>`), with its weak points wrapped:

- no reload throttle (livereload drops any reload within 3 s of the previous one);
- a watcher on operating-system events (watch.py) instead of polling every file's mtime;
- our own HTTP handler and `Host` check (http.py), and the rebuilds in memory (preview.py);
- our own application (`application`): its websockets refuse another origin, ignore a message
  that is not livereload's JSON and reload a page that connects after a change it missed;
  `/forcereload` reloads the connected pages (livereload's own answers 500);
- the port is taken before the first build (0: one the system chooses, announced), and a busy
  port is a one-line error;
- Ctrl-C and SIGTERM stop the server with exit code 0.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import netutil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, Rule

from ..core.errors import BuildError
from ..core.layout import INPUT_FOLDERS, SETTINGS_FILE
from ..load.settings import load_settings
from ..write.output import check_output_dir
from ..write.search import BUNDLE_DIR
from .http import LIVE_SCRIPT, ForeignHost, LocalHost, SiteHandler, host_warning, is_loopback
from .live_search import LiveSearch
from .preview import Preview, complain, complain_of, say
from .watch import FileWatcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WATCHED = (*INPUT_FOLDERS, SETTINGS_FILE)
MAX_MESSAGE = 64 * 1024  # livereload.js sends a few hundred bytes; a longer websocket message closes the connection


def serve(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False, search: bool = True) -> int:
    """Build, serve and watch the project at `root` until Ctrl-C or SIGTERM; returns the exit code."""
    try:
        out_dir = _output_folder(root)
    except BuildError as exc:
        complain_of(exc.problems)
        return 1
    _configure(host)
    preview = Preview(root, out_dir, keep=_is_search_index)
    watcher = _watcher(root, preview)
    try:
        port = listen(application(preview, host, watcher), host, port)
    except (OSError, OverflowError) as exc:
        complain(_listen_error(host, port, exc))
        return 1
    _run(preview, watcher, f"http://{_url_host(host)}:{port}/", search=search, open_browser=open_browser)
    say("stopped")
    return 0


def _output_folder(root: Path) -> Path:
    """The output folder that site.yaml names, refused (BuildError) when it is not one the build may replace."""
    out_dir = load_settings(root).output_path
    check_output_dir(out_dir, root)
    return out_dir


def _configure(host: str) -> None:
    """Warn when `host` is reachable from other machines; silence tornado's access log; lift livereload's reload throttle."""
    warning = host_warning(host)
    if warning:
        complain(warning)
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # livereload drops reloads within 3 s of the previous one (read from this class)


def _watcher(root: Path, preview: Preview) -> FileWatcher:
    """A watcher (not started yet) that rebuilds `preview` when an input of the project changes."""
    watcher = FileWatcher()
    for name in WATCHED:
        if (root / name).exists():
            watcher.watch(str(root / name), preview.rebuild)
    return watcher


def _run(preview: Preview, watcher: FileWatcher, url: str, *, search: bool, open_browser: bool) -> None:
    """Build, index, announce `url` and serve until stopped; however it ends, the watcher stops and the cache is written."""
    loop = IOLoop.current()
    _stop_on_signals(loop)
    try:
        _ReloadHandler.start_tasks()  # starts the watcher before the first build: no edit is missed
        if search:  # indexed in the background: pages are served (and reloaded) first, search results catch up
            live_search = LiveSearch(preview)
            preview.on_built = live_search.built
        preview.rebuild()
        say(f"serving {url} (Ctrl-C to stop)")
        if open_browser:
            loop.call_later(0.3, webbrowser.open, url)
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        preview.memo.persist()


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
        routes = [Rule(LocalHost(), routes), Rule(AnyMatches(), ForeignHost)]
    return web.Application(routes, transforms=[_LiveScript], websocket_max_message_size=MAX_MESSAGE)


def listen(app: web.Application, host: str, port: int) -> int:
    """Serve `app` on `host`:`port` (0: a free port the system chooses); returns the port taken."""
    sockets = netutil.bind_sockets(port, address=host)
    HTTPServer(app).add_sockets(sockets)
    return sockets[0].getsockname()[1]


def _is_search_index(relative: str) -> bool:
    """Files Pagefind adds to the output folder: kept when a rebuild updates the folder."""
    return relative.startswith(f"{BUNDLE_DIR}/")


def _stop_on_signals(loop: IOLoop) -> None:
    """Ctrl-C and SIGTERM stop the loop; one that comes before the loop runs stops it at once.

    asyncio's signal handling wakes the loop whichever thread the signal lands on (the watcher's
    threads included), which a plain `signal.signal` handler would not."""
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, AttributeError):  # Windows: Ctrl-C arrives as KeyboardInterrupt
            loop.asyncio_loop.add_signal_handler(number, loop.stop)  # type: ignore[attr-defined]


def _url_host(host: str) -> str:
    """`host` as written in a URL a browser can open: a wildcard address as loopback, IPv6 in brackets."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _listen_error(host: str, port: int, exc: BaseException) -> str:
    """The one-line error when `host`:`port` cannot be listened on."""
    if isinstance(exc, OSError) and exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
        return f"error: port {port} on {host} is already in use: stop the other server or choose another port with --port {port + 1}"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"error: cannot listen on {host}:{port}: {reason}; choose another address with --host or port with --port"
