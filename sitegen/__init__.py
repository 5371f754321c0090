"""sitegen: a static educational site generator in which every statement cites its source passage.

The pipeline is load → resolve → render → write: `sources` and `pages` load the input, `site`
resolves it into one plain-data model, `render` turns that model into `{output path: bytes}`, and
`output` writes the mapping atomically. `checks` verifies a rendered site; `cli` is the command line.
"""

__version__ = "0.1.0"
