"""HTTP: how the dev server answers a request for the site.

- which requests are answered at all: while bound to loopback, only those whose `Host` names this
  machine (`LocalHost`; the others get `ForeignHost`'s 403, against DNS rebinding);
- which file a URL names (`resolve_request`): never one outside the output folder, never a 500 for
  a strange path; a folder without its trailing slash is redirected;
- what is sent (`SiteHandler`): the file, the site's `404.html` for a missing one, the error page
  while the build is broken; never cached;
- the live-reload script livereload injects into every page (`LIVE_SCRIPT`), and the page's
  Content-Security-Policy extended by that script's hash only (`allow_script`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import ipaddress
import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tornado import httputil, web
from tornado.routing import Matcher

from ..core.errors import Problem, shown
from ..core.layout import NOT_FOUND
from ..write.output import MARKER
from .preview import INDEX, Preview

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


class LocalHost(Matcher):
    """Matches the requests whose `Host` names this machine: `localhost` or a loopback address
    (`127.0.0.1`, `[::1]`, the address bound), with any port or none. No other name can be
    trusted to mean this machine: a page whose name an attacker's DNS points at 127.0.0.1 would
    read the site."""

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        return {} if is_loopback(request.host_name) else None


class ForeignHost(web.RequestHandler):
    """The answer to a request whose `Host` names another machine, on any path and method."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("403: this server answers only to localhost, 127.0.0.1 and [::1]\n")


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
