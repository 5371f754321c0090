"""The one rule for URLs the site links to: http, https, mailto or relative, and nothing a browser
would read otherwise.

Every URL field of a data file, every link and image of a page's Markdown and of a data file's
Markdown goes through `url_problem`. A URL is read as a browser would read it: character references
decoded (`java&#x09;script:`), and a backslash at the start of a relative URL taken for the slash
browsers make of it (`/\\evil.example` goes to another host), so that what is checked is what would
be followed.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

ALLOWED_SCHEMES = ("http", "https", "mailto")
SCRIPT_SCHEMES = ("javascript", "vbscript")
# Browsers drop ASCII tabs and line breaks anywhere in a URL and controls and spaces around it, so
# "java\tscript:" runs as "javascript:"; any of them is refused rather than guessed at.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def url_problem(url: str) -> str:
    """Why `url` may not be linked to ("" when it may): a scheme other than http, https or mailto,
    a control character or space, or a URL that does not parse."""
    decoded = html.unescape(url) if "&" in url else url
    invisible = _INVISIBLE.search(decoded)
    if invisible:
        character = f"U+{ord(invisible.group(0)):04X}"
        return f"URL {_shown(url)} holds a space or an invisible character ({character}) that browsers drop or misread: remove it (a space: %20)"
    scheme = url_scheme(decoded)
    if scheme and scheme not in ALLOWED_SCHEMES:
        return f"URL {_shown(url)} has the scheme {_shown(scheme, 20)}: only http, https, mailto and relative URLs are allowed"
    try:
        parts = urlsplit(decoded)
        parts.port  # noqa: B018 (reading it raises ValueError for a port that is not a number)
    except ValueError as exc:
        return f"malformed URL {_shown(url)}: {exc}"
    if scheme in ("http", "https") and not parts.hostname:
        return f"URL {_shown(url)} names no host: write {scheme}://host/path"
    if not scheme and decoded[:2].replace("\\", "/") == "//":
        return f"URL {_shown(url)} starts with two slashes (a backslash counts as one): it names another host, by whatever scheme the page has: write https://…"
    return ""


def _shown(url: str, limit: int = 80) -> str:
    """`url` quoted for a message, cut to its first `limit` characters when longer."""
    return repr(url) if len(url) <= limit else repr(url[:limit]) + f" (… {len(url):,} characters)"


def url_scheme(url: str) -> str:
    """The scheme of `url`, lowercased, as a browser finds it ("" for a relative URL)."""
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url) if "&" in url else url))
    return match.group(1).lower() if match else ""


def runs_script(url: str) -> bool:
    """Whether following `url` runs script (`javascript:`, `vbscript:`, however disguised)."""
    return url_scheme(url) in SCRIPT_SCHEMES


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both relative to the site root, pretty form)."""
    depth = from_url.count("/")
    return ("../" * depth or "./") + to_url


_FRAGMENT_WORDS = 4  # words of a passage's start and of its end that a text fragment names


def text_fragment(url: str, text: str) -> str:
    """`url` with a text fragment (`#:~:text=start,end`) that makes a browser scroll to `text` and highlight it:
    the whole text when it is short, else its first and last words. Each term is percent-encoded, `-`, `,` and `&` included,
    as the text-fragment syntax requires; a fragment `url` already has is kept before the directive."""
    words = text.split()
    if not words:
        return url
    short = len(words) <= 2 * _FRAGMENT_WORDS
    terms = [" ".join(words)] if short else [" ".join(words[:_FRAGMENT_WORDS]), " ".join(words[-_FRAGMENT_WORDS:])]
    directive = ",".join(quote(term, safe="").replace("-", "%2D") for term in terms)
    return f"{url}{':~:' if '#' in url else '#:~:'}text={directive}"
