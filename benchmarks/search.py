"""What the search index costs: the default build (with search) against `--no-search` and the plain loop.

In one run, on the same generated corpus, runs of each scenario interleaved (so that a busy
moment of the machine spreads over all of them), each build its own process:

- plain:           the plain single-process Python-Markdown + Jinja2 loop, cold (`plain_loop.py`)
- no-search cold:  `build --no-search`, no output folder and no build cache
- no-search repeat: `build --no-search` again, nothing changed
- default cold:    `build` (with search), no output folder and no build cache
- default repeat:  `build` again, nothing changed
- default edit:    `build` after a change outside every page's indexed text (a comment in the head
                   of the base template): every page is rendered anew, the index is reused

and, in one process, as the dev server runs them, a page edit: the time until the rebuild returns
(the browser reloads then) and until the search index has caught up.

    python benchmarks/search.py [--pages 1000] [--runs 3] [--engine OTHER_CHECKOUT]

`--engine` also times the builds of another checkout of the engine (for example the one before a
change), interleaved with this one's, on the same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from run import measure  # noqa: E402


def _build(engine: Path, project: Path, *extra: str) -> dict[str, float]:
    """One `build` of `project` by the engine at `engine`, measured."""
    env = {**os.environ, "PYTHONPATH": str(engine), "SOURCE_DATE_EPOCH": "1767225600"}
    return measure([sys.executable, str(engine / "build.py"), "--project", str(project), "build", "--out", str(project / "site"), *extra], project, env)


def _clear(project: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)


def _edit_head(project: Path, run: int) -> None:
    base = project / "templates" / "base.html"
    text = re.sub(r"\n<!-- benchmark \d+ -->", "", base.read_text(encoding="utf-8"))
    base.write_text(text.replace("<head>", f"<head>\n<!-- benchmark {run} -->", 1), encoding="utf-8")


def one_round(engine: Path, project: Path, run: int) -> dict[str, dict[str, float]]:
    """Each scenario once, for the engine at `engine`."""
    results: dict[str, dict[str, float]] = {}
    print("  no-search cold and repeat, default cold, repeat, edit", file=sys.stderr, flush=True)
    _clear(project)
    results["no-search cold"] = _build(engine, project, "--no-search")
    results["no-search repeat"] = _build(engine, project, "--no-search")
    _clear(project)
    results["default cold"] = _build(engine, project)
    results["default repeat"] = _build(engine, project)
    _edit_head(project, run)
    results["default edit"] = _build(engine, project)
    return results


def plain(project: Path) -> dict[str, float]:
    out = project / "plain-site"
    shutil.rmtree(out, ignore_errors=True)
    return measure([sys.executable, str(HERE / "plain_loop.py"), str(project), str(out)], project)


def serve_probe(project: Path) -> None:
    """In-process: a page edit as the dev server sees it; prints when the rebuild returned and when the index caught up."""
    sys.path.insert(0, str(REPO))
    from sitegen.commands.live_search import LiveSearch
    from sitegen.commands.preview import Preview

    _clear(project)
    preview = Preview(project, project / "site", keep=lambda path: path.startswith("pagefind/"))
    live = LiveSearch(preview)
    preview.on_built = live.built
    preview.rebuild()
    live.wait_idle(600)
    times = []
    for run in range(3):
        time.sleep(2.5)  # a file changed less than 2 s before a build is read again by the next one
        page = project / "content" / corpus.page_path(0)
        page.write_text(page.read_text(encoding="utf-8").split("\n\nAn edit")[0] + f"\n\nAn edit, number {run}.\n", encoding="utf-8")
        start = time.perf_counter()
        preview.rebuild()
        reloaded = time.perf_counter() - start
        live.wait_idle(600)
        times.append((reloaded, time.perf_counter() - start))
    live.stop()
    print(json.dumps({"reload_ms": statistics.median(t[0] for t in times) * 1000, "index_ms": statistics.median(t[1] for t in times) * 1000}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine", type=Path, help="another checkout of the engine to time alongside this one")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        serve_probe(args.probe)
        return
    engines = {"this": REPO, **({"other": args.engine.resolve()} if args.engine else {})}
    samples: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as folder:
        project = corpus.generate(Path(folder) / "corpus", args.pages)
        for run in range(args.runs):
            samples.setdefault("plain loop cold", []).append(plain(project))
            for name, engine in engines.items():
                print(f"run {run + 1}: {name}", file=sys.stderr, flush=True)
                for scenario, values in one_round(engine, project, run).items():
                    samples.setdefault(f"{name}: {scenario}", []).append(values)
        probe = subprocess.run([sys.executable, __file__, "--probe", str(project)], capture_output=True, text=True, check=False,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    medians = {name: {key: statistics.median(s[key] for s in runs) for key in runs[0]} for name, runs in samples.items()}
    plain_wall = medians["plain loop cold"]["wall"]
    print(f"{args.pages} pages, median of {args.runs} interleaved runs; ratios to the plain loop's cold wall time ({plain_wall:.2f} s)")
    plain_cpu = medians["plain loop cold"]["cpu"]
    print(f"{'scenario':<26} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'wall × plain':>13} {'cpu × plain':>12}")
    for name, values in medians.items():
        ratios = f"{values['wall'] / plain_wall:>13.2f} {values['cpu'] / plain_cpu:>12.2f}"
        print(f"{name:<26} {values['wall']:>7.2f} {values['cpu']:>7.2f} {values['peak_mb']:>8.0f} {ratios}")
    for name in engines:
        cold, bare = medians[f"{name}: default cold"]["wall"], medians[f"{name}: no-search cold"]["wall"]
        print(f"{name}: the search step adds {cold - bare:.2f} s to the cold build ({(cold / bare - 1) * 100:+.0f} %)")
    serve = probe.stdout.strip().splitlines()[-1:] or [probe.stderr.strip()[-2000:]]
    print("serve, one page edit:", serve[0])
    target = HERE / "results" / f"search-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps({"pages": args.pages, "runs": args.runs, "medians": medians, "serve": serve[0]}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
