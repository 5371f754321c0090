"""Build time of hostile pages: does any construct cost more than linear time in a page's size?

For each construct (long runs of citation-like text, unbalanced brackets, emphasis runs, footnotes,
abbreviations, tables, nesting, a line without breaks...) this writes a small project in a
temporary folder whose one extra page is that construct repeated to 0.25, 0.5, 1 and 2 MB, builds
it as a user does (`python build.py --project DIR build --no-search`, `SITEGEN_CACHE=off`, one
process), and prints the wall seconds at each size, seconds per MB (at the largest size built) and
the ratio t(2 MB) / t(1 MB): about 2 for linear cost, about 4 for quadratic. The first row, plain
short paragraphs, is the reference: compare the other rows with it, in the same run.

A build that runs past `--timeout` is stopped and shown as `>N`; the larger sizes of that construct
are then skipped. A build that fails is shown as `fail` and its first message printed below.

    python benchmarks/pathological.py [--sizes 0.25 0.5 1 2] [--only cite-open,emphasis] [--timeout 60]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from sitegen.dialect import density  # noqa: E402 (after the path that finds it)
from sitegen.dialect.limits import MAX_BREAK_WORK, MAX_TEXT_CHARACTERS  # noqa: E402

MB = 1_000_000
SEED = "Example Article\n\nA first paragraph about the topic. It has two sentences.\n\nSection Two\n\nThe second paragraph, with a fact.\n"
WORDS = "the patient reported a short attack of pain in the evening and slept"
LONG_LINE_UNITS = (MAX_TEXT_CHARACTERS - 200) // (len(WORDS) + 8)  # units of "{WORDS} {i} " in a line as long as a paragraph may be


def _repeat(unit: Callable[[int], str], size: int, joiner: str = "") -> str:
    """Units `unit(0)`, `unit(1)`, … joined until the text has `size` characters."""
    parts: list[str] = []
    length = index = 0
    while length < size:
        part = unit(index) + joiner
        parts.append(part)
        length += len(part)
        index += 1
    return "".join(parts)


def _paragraphs(unit: Callable[[int], str], size: int, per_line: int = 8) -> str:
    """Units `unit(0)`, `unit(1)`, … `per_line` to a line, in paragraphs as long as the limit allows
    (`MAX_TEXT_CHARACTERS`, less a line), until the text has `size` characters."""
    paragraphs: list[str] = []
    lines: list[str] = []
    length = paragraph = index = 0
    while length < size:
        line = "".join(unit(index + k) for k in range(per_line))
        index += per_line
        if paragraph + len(line) + 1 > MAX_TEXT_CHARACTERS - 100 and lines:
            paragraphs.append("\n".join(lines))
            lines, paragraph = [], 0
        lines.append(line)
        paragraph += len(line) + 1
        length += len(line) + 1
    paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _lines(unit: str, size: int, per_line: int = 8) -> str:
    """`unit` repeated, `per_line` to a line, in paragraphs as long as the limit allows."""
    return _paragraphs(lambda i: unit, size, per_line)


def _nested_list(depth: int) -> Callable[[int], str]:
    return lambda i: "".join(f"{'    ' * level}- item {i} at {level}\n" for level in range(depth)) + "\n"


def _nested_quote(depth: int) -> Callable[[int], str]:
    return lambda i: "".join(f"{'> ' * (level + 1)}quote {i} at {level}\n" for level in range(depth)) + "\n"


def _footnotes(size: int) -> str:
    count = size // 60
    refs = _paragraphs(lambda i: f"A claim[^n{i}] ", size // 2)
    used = refs.count("[^")
    notes = "".join(f"[^n{i}]: The note number {i}.\n" for i in range(max(used, count // 2)))
    return refs + "\n\n" + notes


def _abbreviations(size: int) -> str:
    defined = max(10, size // 2000)
    definitions = "".join(f"*[AB{i}]: Abbreviation number {i}\n" for i in range(defined))
    uses = _repeat(lambda i: f"We saw AB{i % defined} again. ", size - len(definitions), "")
    return definitions + "\n" + "\n\n".join(uses[k : k + 400] for k in range(0, len(uses), 400))


def _crowded_blocks(unit: Callable[[int], str], size: int, per_block: int) -> str:
    """Blocks of `per_block` units with no blank line between them (a block parser splits each at every unit)."""
    return _repeat(lambda i: "".join(unit(i * per_block + k) for k in range(per_block)) + "\n", size)


def _heading_and_text(i: int) -> str:
    return f"## Heading {i}\n" + f"{WORDS} {i}\n" * 6


def _note_and_lazy_text(i: int) -> str:
    return f"[^n{i}]: Note {i}.\n" + f"{WORDS} {i}\n" * 6


def _table(size: int) -> str:
    return "| a | b | c |\n| --- | --- | --- |\n" + _repeat(lambda i: f"| cell {i} | *x* {i} | `y` |", size, "\n")


def _in_paragraphs(lines: list[str]) -> str:
    """`lines` in paragraphs as long as the limit allows (`MAX_TEXT_CHARACTERS`, less a line)."""
    paragraphs: list[list[str]] = [[]]
    length = 0
    for line in lines:
        if length + len(line) + 1 > MAX_TEXT_CHARACTERS - 100 and paragraphs[-1]:
            paragraphs.append([])
            length = 0
        paragraphs[-1].append(line)
        length += len(line) + 1
    return "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)


def _units(unit: str, count: int, per_line: int = 8) -> str:
    """`count` times `unit`, `per_line` to a line, in paragraphs as long as the limit allows."""
    lines = [unit * per_line] * (count // per_line) + ([unit * (count % per_line)] if count % per_line else [])
    return _in_paragraphs(lines)


def _nesting_at_limit(nested: Callable[[int], Callable[[int], str]]) -> str:
    """Nested lists or quotes, eight deep (fewer in the last ones), whose levels past each line's first sum to the limit."""
    left, parts = density.MAX_NESTED_LEVELS, []
    while left:
        depth = max(d for d in range(2, 9) if d * (d - 1) // 2 <= left)
        parts.append(nested(depth)(len(parts)))
        left -= depth * (depth - 1) // 2
    return "".join(parts)


# The dense constructs cut to exactly each limit of `sitegen.dialect.density` (the page is refused
# one element later), then padded with short paragraphs to the size.
AT_LIMIT: dict[str, tuple[int, Callable[[], str]]] = {
    "citations": (density.MAX_CITATIONS, lambda: _units("fact [@001:p2] ", density.MAX_CITATIONS)),
    "footnote references and definitions": (
        density.MAX_FOOTNOTES,
        lambda: _in_paragraphs([f"A claim[^n{i}]" for i in range(density.MAX_FOOTNOTES // 2)])
        + "\n\n"
        + "".join(f"[^n{i}]: The note number {i}.\n" for i in range(density.MAX_FOOTNOTES // 2)),
    ),
    "links and images": (density.MAX_LINKS, lambda: _units("see [home](index.md) ", density.MAX_LINKS)),
    "emphasis delimiters": (density.MAX_EMPHASIS_DELIMITERS, lambda: _units("*a* **b** ", density.MAX_EMPHASIS_DELIMITERS // 4)),
    "table cell separators": (
        density.MAX_TABLE_CELLS,
        lambda: "| a | b | c |\n| --- | --- | --- |\n" + "".join(f"| cell {i} | x {i} | `y` |\n" for i in range(density.MAX_TABLE_CELLS // 4 - 2)),
    ),
    "levels of nesting (lists)": (density.MAX_NESTED_LEVELS, lambda: _nesting_at_limit(_nested_list)),
    "levels of nesting (quotes)": (density.MAX_NESTED_LEVELS, lambda: _nesting_at_limit(_nested_quote)),
}


def _at_limit(kind: str) -> Callable[[int], str]:
    """A page holding exactly the limit of `kind` (checked here with the engine's own count), padded to the size."""
    limit, make = AT_LIMIT[kind]
    dense = make()
    index = next(i for i, (what, _) in enumerate(density.LIMITS) if what.startswith(kind.split(" (")[0]))
    counted = sum(counts[index] for _, counts in density.element_counts(dense))
    assert counted == limit, f"{kind}: {counted:,} counted, the limit is {limit:,}"
    return lambda size: dense + "\n\n" + _repeat(lambda i: f"Short paragraph {i} of {WORDS}.", size - len(dense), "\n\n")


CONSTRUCTS: dict[str, Callable[[int], str]] = {
    "paragraphs (reference)": lambda size: _repeat(lambda i: f"Short paragraph {i} of {WORDS}.", size, "\n\n"),
    "cite-open `[@`": lambda size: _lines("[@ ", size, 20),
    "cite-range `[@000:p1-p`": lambda size: _lines("[@000:p1-p", size),
    "cite-many `[@001:p2]`": lambda size: _lines("fact [@001:p2] ", size),
    "brackets `[`": lambda size: _lines("[a ", size, 20),
    "parens `(`": lambda size: _lines("(a ", size, 20),
    "link-open `[a](b `": lambda size: _lines("[a](b ", size),
    "link-title `[a](b \"`": lambda size: _lines('[a](b "', size),
    "emphasis `**` `_`": lambda size: _lines("**a _b ", size),
    "emphasis-closed `*a*`": lambda size: _lines("*a* **b** ", size),
    "cross-links `.md`": lambda size: _lines("see [home](index.md) ", size, 4),
    "footnotes `[^n]`": _footnotes,
    "footnote-repeats `[^1]`": lambda size: _lines("A claim[^1] ", size) + "\n\n[^1]: The one note.\n",
    "abbreviations `*[X]:`": _abbreviations,
    "headings in one block (refused)": lambda size: _repeat(lambda i: f"## Heading {i}\n", size),
    f"headings, {MAX_BREAK_WORK} to a block": lambda size: _crowded_blocks(_heading_and_text, size, MAX_BREAK_WORK),
    f"notes and lazy lines, {MAX_BREAK_WORK} to a block": lambda size: "Claims[^n0][^n1].\n\n" + _crowded_blocks(_note_and_lazy_text, size, MAX_BREAK_WORK),
    "table": _table,
    "nested lists (depth 8)": lambda size: _repeat(_nested_list(8), size),
    "nested quotes (depth 8)": lambda size: _repeat(_nested_quote(8), size),
    "long lines (one a paragraph)": lambda size: _paragraphs(lambda i: f"{WORDS} {i} ", size, per_line=LONG_LINE_UNITS),
    **{f"at the limit: {kind}": _at_limit(kind) for kind in AT_LIMIT},
}


@dataclass(frozen=True)
class Timing:
    seconds: float
    outcome: str  # "ok", "timeout" or "fail"
    message: str = ""


def write_project(root: Path, body: str) -> None:
    """A minimal valid project (this repository's templates and static files, one seed) plus `content/big.md`."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "site.yaml").write_text("title: Pathological pages\nlanguage: en\n", encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / "001_example.txt").write_text(SEED, encoding="utf-8")
    digest = hashlib.sha256(SEED.encode()).hexdigest()
    sources = f'"001":\n  title: Example\n  publisher: Example\n  date: 2022-01-01\n  kind: article\n  promotional: false\n  sha256: {digest}\n'
    (root / "seeds" / "sources.yaml").write_text(sources, encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("---\ntitle: Home\n---\nWelcome [@001:p2].\n", encoding="utf-8")
    (root / "content" / "big.md").write_text(f"---\ntitle: Big\norder: 1\n---\n\n{body}\n", encoding="utf-8")


def time_build(root: Path, timeout: float) -> Timing:
    env = {**os.environ, "SITEGEN_CACHE": "off", "SITEGEN_WORKERS": "1", "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(REPO / "build.py"), "--project", str(root), "build", "--no-search"]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Timing(timeout, "timeout")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return Timing(seconds, "fail", lines[0][:200] if lines else f"exit {done.returncode}")
    return Timing(seconds, "ok")


def measure(name: str, make: Callable[[int], str], sizes: list[float], timeout: float, scratch: Path) -> list[Timing | None]:
    timings: list[Timing | None] = []
    for size in sizes:
        if any(t is None or t.outcome == "timeout" for t in timings):
            timings.append(None)
            continue
        root = scratch / f"project-{len(timings)}"
        write_project(root, make(int(size * MB)))
        timings.append(time_build(root, timeout))
        shutil.rmtree(root)
    return timings


def _cell(timing: Timing | None) -> str:
    if timing is None:
        return "skipped"
    if timing.outcome == "timeout":
        return f">{timing.seconds:.0f}"
    return f"{timing.seconds:.2f}" + (" fail" if timing.outcome == "fail" else "")


def _per_mb(timings: list[Timing | None], sizes: list[float]) -> str:
    done = [(size, t) for size, t in zip(sizes, timings, strict=True) if t is not None and t.outcome != "timeout"]
    if not done:
        return "-"
    size, timing = done[-1]
    return f"{timing.seconds / size:.2f}"


def _ratio(timings: list[Timing | None], sizes: list[float]) -> str:
    by_size = dict(zip(sizes, timings, strict=True))
    one, two = by_size.get(1.0), by_size.get(2.0)
    if one is None or one.outcome == "timeout" or two is None:
        return "-"
    return f"{'>' if two.outcome == 'timeout' else ''}{two.seconds / one.seconds:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0], help="page sizes in MB (default: 0.25 0.5 1 2)")
    parser.add_argument("--only", default="", help="comma-separated words: only constructs whose name holds one of them")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds after which a build is stopped (default: 60)")
    args = parser.parse_args()
    wanted = [word.strip() for word in args.only.split(",") if word.strip()]
    names = [name for name in CONSTRUCTS if not wanted or any(word in name for word in wanted)]
    with tempfile.TemporaryDirectory(prefix="sitegen-pathological-") as folder:
        scratch = Path(folder)
        write_project(scratch / "empty", "Nothing here.")
        startup = time_build(scratch / "empty", args.timeout)
        print(f"start-up and a two-page build: {startup.seconds:.2f} s; seconds are wall time of `build.py build --no-search`\n")
        header = ["construct", *(f"{size:g} MB" for size in args.sizes), "s/MB", "t(2)/t(1)"]
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        failures: list[str] = []
        for name in names:
            timings = measure(name, CONSTRUCTS[name], args.sizes, args.timeout, scratch)
            cells = [name, *(_cell(t) for t in timings), _per_mb(timings, args.sizes), _ratio(timings, args.sizes)]
            print("| " + " | ".join(cells) + " |", flush=True)
            failures.extend(f"{name}: {t.message}" for t in timings if t is not None and t.outcome == "fail")
        for failure in dict.fromkeys(failures):
            print(f"failed: {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
