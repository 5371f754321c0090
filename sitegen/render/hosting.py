"""Hosting files: what static hosts read from the published folder, beside the pages themselves.

- `.nojekyll` tells GitHub Pages to publish the folder as it is (no Jekyll pass that would drop
  files whose names start with `_`, such as `_headers`).
- `_headers` (read by Netlify and Cloudflare Pages) sends the same Content-Security-Policy as the
  pages' `<meta>` tag, plus the security headers a `<meta>` tag cannot carry, and caches the
  content-hashed files under `static/` for a year: their names change whenever their bytes do.

Paths in `_headers` are URL paths on the host, so they start at the site's base path.
"""

from __future__ import annotations

from ..core.layout import ASSETS_URL, HEADERS, NOJEKYLL
from ..load.settings import Settings
from .pages import CONTENT_SECURITY_POLICY

# `frame-ancestors` only works in a header (browsers ignore it in a <meta> policy), so it is added here.
HEADER_CONTENT_SECURITY_POLICY = f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", HEADER_CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


def headers_file(base_path: str = "/") -> str:
    """The `_headers` file for a site published at `base_path` ("/" or "/guide/")."""
    lines = [
        "# Response headers for Netlify and Cloudflare Pages (other hosts: see the README's Deploy section).",
        f"{base_path}*",
        *(f"  {name}: {value}" for name, value in SECURITY_HEADERS),
        "",
        "# Content-hashed assets: a changed file gets a new name, so a cached copy never goes stale.",
        f"{base_path}{ASSETS_URL}*",
        f"  Cache-Control: {IMMUTABLE_CACHE}",
    ]
    return "\n".join(lines) + "\n"


def hosting_files(settings: Settings) -> dict[str, bytes]:
    """The hosting files of a site, as render outputs (`{output path: bytes}`)."""
    return {
        NOJEKYLL: b"",
        HEADERS: headers_file(settings.base_path).encode("utf-8"),
    }
