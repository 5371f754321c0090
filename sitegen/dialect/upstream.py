"""Recognising the Python-Markdown code this package replaces: a digest of a function's source.

The linear versions in `inline`, `brackets` and `footnotes` reproduce Python-Markdown's code of one
version; each compares the digest of the code it replaces with the digests it was written against,
and leaves Python-Markdown's own in place when they differ.
"""

from __future__ import annotations

import hashlib
import inspect


def source_digest(function: object) -> str:
    """A short digest of the source of `function`; "" when its source cannot be read."""
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""
