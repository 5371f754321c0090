"""Other generators on the same corpus: Hugo, MkDocs and Pelican, timed interleaved with sitegen.

Each peer gets its own folder beside the generated project, with a minimal configuration that
points at the project's `content/` folder, so every tool reads the same Markdown files. Runs are
interleaved (sitegen, Hugo, MkDocs, Pelican, sitegen, …) so that the machine's drift affects all
alike; each ratio is sitegen's median wall time ÷ the peer's, from the same run.

- cold: no output folder and no cache of the tool;
- repeat: the same build again, nothing changed (Hugo and Pelican keep their output folder and
  their cache; MkDocs has no cache, so its repeat is its cold build and is not run again).

A peer whose program is not on the PATH is reported as not installed. `run.py --compare` calls
`compare` and prints `table`.
"""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Sample = dict[str, float]
Measure = Callable[[list[str], Path], Sample]

_HUGO_LAYOUT = (
    "<!doctype html><title>{{ .Title }}</title>"
    "<nav>{{ range .CurrentSection.RegularPages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}</nav>"
    "{{ .Content }}\n"
)


@dataclass(frozen=True)
class Peer:
    """One other generator: the program it needs, how to configure it, whether it keeps a cache."""

    name: str
    program: str
    has_cache: bool
    configure: Callable[[Path, Path], list[str]]  # (content folder, peer folder) -> build command


def _hugo(content: Path, folder: Path) -> list[str]:
    """Hugo with a one-file layout listing the pages of the page's section (at most 100 here).

    The corpus's `content/index.md` would make the whole folder one page bundle in Hugo, so the
    mount leaves it (and the glossary's YAML) out; Hugo makes its own home page."""
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(_HUGO_LAYOUT, encoding="utf-8")
    (folder / "hugo.toml").write_text(
        "title = 'Benchmark'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n"
        f"[[module.mounts]]\nsource = '{content}'\ntarget = 'content'\nexcludeFiles = ['index.md', '*.yaml']\n",
        encoding="utf-8",
    )
    return ["hugo", "--quiet", "--destination", str(folder / "out"), "--cacheDir", str(folder / "cache")]


def _mkdocs(content: Path, folder: Path) -> list[str]:
    """MkDocs, default theme, a navigation of the home page only (every page is still built)."""
    (folder / "mkdocs.yml").write_text(
        f"site_name: Benchmark\ndocs_dir: {content}\nsite_dir: {folder / 'out'}\nnav:\n  - index.md\n", encoding="utf-8"
    )
    return ["mkdocs", "build", "--quiet", "--config-file", str(folder / "mkdocs.yml")]


def _pelican(content: Path, folder: Path) -> list[str]:
    """Pelican, its default theme, feeds off, ten articles per index page, its content cache on."""
    settings = {
        "SITENAME": "Benchmark", "SITEURL": "", "PATH": str(content), "OUTPUT_PATH": str(folder / "out"),
        "CACHE_PATH": str(folder / "cache"), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
        "TIMEZONE": "UTC", "DEFAULT_LANG": "en", "DEFAULT_DATE": (2026, 1, 1), "DEFAULT_PAGINATION": 10,
        "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None,
    }
    (folder / "pelicanconf.py").write_text("".join(f"{key} = {value!r}\n" for key, value in settings.items()), encoding="utf-8")
    return ["pelican", "--quiet", "--settings", str(folder / "pelicanconf.py")]


PEERS = (Peer("hugo", "hugo", True, _hugo), Peer("mkdocs", "mkdocs", False, _mkdocs), Peer("pelican", "pelican", True, _pelican))


def _clear(folder: Path) -> None:
    for name in ("out", "cache"):
        shutil.rmtree(folder / name, ignore_errors=True)


def _median(samples: list[Sample]) -> Sample:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def compare(project: Path, runs: int, measure: Measure, sitegen_cold: Callable[[], Sample], sitegen_repeat: Callable[[], Sample]) -> dict[str, dict]:
    """Cold, then repeat, builds of sitegen and every installed peer, interleaved run by run."""
    commands = {}
    for peer in PEERS:
        if shutil.which(peer.program):
            folder = project.parent / f"{project.name}-{peer.name}"
            folder.mkdir(exist_ok=True)
            commands[peer.name] = (folder, peer.configure(project / "content", folder))
    samples: dict[str, dict[str, list[Sample]]] = {name: {"cold": [], "repeat": []} for name in ("sitegen", *commands)}
    for _ in range(runs):
        samples["sitegen"]["cold"].append(sitegen_cold())
        for name, (folder, command) in commands.items():
            _clear(folder)
            samples[name]["cold"].append(measure(command, folder))
    for _ in range(runs):
        samples["sitegen"]["repeat"].append(sitegen_repeat())
        for peer in PEERS:
            if peer.name in commands and peer.has_cache:
                folder, command = commands[peer.name]
                samples[peer.name]["repeat"].append(measure(command, folder))
    for folder, _ in commands.values():
        shutil.rmtree(folder)
    return _summarise(samples)


def _summarise(samples: dict[str, dict[str, list[Sample]]]) -> dict[str, dict]:
    """Medians per tool and scenario, sitegen ÷ peer ratios of wall time; missing peers marked."""
    results: dict[str, dict] = {name: {kind: _median(runs) for kind, runs in kinds.items() if runs} for name, kinds in samples.items()}
    sitegen = results["sitegen"]
    for peer in PEERS:
        if peer.name not in results:
            results[peer.name] = {"installed": False}
            continue
        own = results[peer.name]
        if not peer.has_cache:
            own["repeat"] = {**own["cold"], "same_as_cold": True}
        own["ratio"] = {kind: sitegen[kind]["wall"] / own[kind]["wall"] for kind in ("cold", "repeat")}
    return results


def table(size: int, results: dict[str, dict]) -> str:
    """The comparison as text rows: wall and CPU seconds per tool, and the ratios."""
    rows = [f"{'pages':>6} {'tool':<8} {'cold wall':>9} {'cold cpu':>9} {'repeat wall':>11} {'ratio cold':>10} {'ratio repeat':>12}  notes"]
    for name, own in results.items():
        if not own.get("installed", True):
            rows.append(f"{size:>6} {name:<8} {'not installed':>9}")
            continue
        ratio = own.get("ratio", {})
        cold, repeat = own["cold"], own["repeat"]
        note = "no cache: repeat = cold, not run again" if repeat.get("same_as_cold") else ""
        ratios = f"{ratio['cold']:>10.2f} {ratio['repeat']:>12.2f}" if ratio else f"{'':>10} {'':>12}"
        rows.append(f"{size:>6} {name:<8} {cold['wall']:>9.2f} {cold['cpu']:>9.2f} {repeat['wall']:>11.2f} {ratios}  {note}".rstrip())
    return "\n".join(rows)
