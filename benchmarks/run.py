"""Speed benchmarks: builds of generated sites of 10 / 100 / 1,000 (/ 10,000) pages and of the real site.

Every build runs in its own process (`python build.py …`, as a user runs it), so the figures
include start-up; wall time comes from the clock, CPU time and peak memory from the operating
system's accounting of that one child (`os.wait4`). Each scenario is run several times and the
median is reported. Scenarios per size:

- cold:       no output folder, no build cache
- repeat:     the same build again, nothing changed
- page edit:  one page's text changed, then built
- template:   page.html changed, then built
- check:      `check --strict`
- serve edit: one page changed under a long-lived `Memo` (what the dev server does): engine
              time of one build in-process, and how many outputs were re-rendered

    python benchmarks/run.py                 # 10, 100, 1,000 pages and the real site
    python benchmarks/run.py --large         # also 10,000 pages
    python benchmarks/run.py --sizes 100 --runs 5 --compare   # with Hugo, MkDocs and Pelican (see peers.py)

Results are printed as a table and written to benchmarks/results/<date-time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
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
sys.path.insert(0, str(REPO))

import corpus  # noqa: E402
import peers  # noqa: E402

CACHE = ".cache"


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run `command` once as a child process: wall seconds, CPU seconds, peak resident MB."""
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a build that says much must not wait for a reader
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    if child.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def median(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


@functools.cache
def _build_flags() -> tuple[str, ...]:
    """Builds are timed without the search index (a separate tool's work), where the engine has it."""
    usage = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--help"], capture_output=True, text=True, check=False).stdout
    return ("--no-search",) if "--no-search" in usage else ()


def build_command(project: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--project", str(project), "build", "--out", str(out), *_build_flags(), *extra]


def clear(project: Path, out: Path) -> None:
    shutil.rmtree(project / CACHE, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)


def edit_page(project: Path, run: int) -> None:
    path = project / "content" / corpus.page_path(0)
    text = path.read_text(encoding="utf-8")
    marker = "\n\nA sentence added by the benchmark, edit number "
    text = text.split(marker)[0] + f"{marker}{run}.\n"
    path.write_text(text, encoding="utf-8")


def edit_template(project: Path, run: int) -> None:
    path = project / "templates" / "page.html"
    text = path.read_text(encoding="utf-8")
    marker = "\n{# edited by the benchmark "
    text = text.split(marker)[0] + f"{marker}{run} #}}\n"
    path.write_text(text, encoding="utf-8")


def bench_project(project: Path, runs: int, pages: int, scenarios: tuple[str, ...]) -> dict[str, dict[str, float]]:
    out = project / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    results: dict[str, dict[str, float]] = {}
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        clear(project, out)
        samples.append(measure(build_command(project, out), project, env))
    results["cold"] = median(samples)
    if "repeat" in scenarios:
        results["repeat"] = median([measure(build_command(project, out), project, env) for _ in range(runs)])
    for scenario, edit in (("page edit", edit_page), ("template", edit_template)):
        if scenario in scenarios:
            samples = []
            for run in range(runs):
                edit(project, run)
                samples.append(measure(build_command(project, out), project, env))
            results[scenario] = median(samples)
    if "check" in scenarios:
        command = [sys.executable, str(REPO / "build.py"), "--project", str(project), "check", "--strict"]
        results["check"] = median([measure(command, project, env) for _ in range(runs)])
    if "serve edit" in scenarios:
        command = [sys.executable, str(Path(__file__).resolve()), "--probe", str(project), "--runs", str(runs)]
        probe = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            raise SystemExit(f"serve-edit probe failed:\n{probe.stderr[-2000:]}")
        results["serve edit"] = json.loads(probe.stdout)
    for values in results.values():
        if "wall" in values:
            values["pages_per_s"] = pages / values["wall"] if values["wall"] else 0.0
    return results


def probe(project: Path, runs: int) -> None:
    """In-process: engine time of a rebuild through one long-lived `Memo` after one page edit, as `serve`
    runs it (`build` told the last build and the edited path): the cache is written after the first
    build only, and the project's files were not all written in the last seconds (the scenarios
    before this one rewrote them, so the probe lets them settle)."""
    from sitegen.incremental.memo import Memo
    from sitegen.pipeline import build

    memo = Memo.for_project(project)
    build(project, memo, write=False, drafts=True)
    memo.wait()
    time.sleep(2.5)  # a file changed less than 2 s before a build is read again by the next one
    last = build(project, memo, write=False, persist=False, drafts=True)
    times, rerendered, whole = [], [], 0
    edited = (project / "content" / corpus.page_path(0)).absolute()
    for run in range(runs):
        edit_page(project, 100 + run)
        start = time.perf_counter()
        last = build(project, memo, write=False, persist=False, drafts=True, last=last, changed=[edited])
        times.append(time.perf_counter() - start)
        rerendered.append(len(last.rendered))
        whole += last.differing is None
    print(json.dumps({"engine_ms": statistics.median(times) * 1000, "rerendered": statistics.median(rerendered), "whole_builds": whole}))


def real_site(runs: int) -> dict[str, dict[str, float]]:
    """Cold builds of this repository's own site, into a temporary folder, without search indexing."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        env = {**os.environ, "SITEGEN_CACHE": str(Path(folder) / "cache")}
        samples = []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(Path(folder) / "cache", ignore_errors=True)
            samples.append(measure(build_command(REPO, out), REPO, env))
        cold = median(samples)
    pages = len(list((REPO / "content").rglob("*.md")))
    cold["pages_per_s"] = pages / cold["wall"]
    return {"cold": cold}


def compare(project: Path, runs: int) -> dict[str, dict]:
    """Hugo, MkDocs and Pelican on the same corpus, interleaved with sitegen's cold and repeat builds."""
    out = project / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}

    def cold() -> dict[str, float]:
        clear(project, out)
        return measure(build_command(project, out), project, env)

    return peers.compare(project, runs, measure, cold, lambda: measure(build_command(project, out), project, env))


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    rows = [f"{'site':<10} {'scenario':<12} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'pages/s':>9}  notes"]
    for site, scenarios in results.items():
        for name, values in scenarios.items():
            if "wall" in values:
                rows.append(
                    f"{site:<10} {name:<12} {values['wall']:>8.3f} {values['cpu']:>8.3f} {values['peak_mb']:>8.1f} {values.get('pages_per_s', 0):>9.0f}"
                )
            else:
                rows.append(f"{site:<10} {name:<12} {values['engine_ms'] / 1000:>8.3f} {'':>8} {'':>8} {'':>9}  "
                            f"engine time of one build through a long-lived Memo; {values['rerendered']:.0f} outputs re-rendered")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", help="page counts (default: 10 100 1000, with --large also 10000)")
    parser.add_argument("--large", action="store_true", help="also measure 10,000 pages (several minutes)")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario; the median is reported (default 3)")
    parser.add_argument("--compare", action="store_true", help="also time Hugo, MkDocs and Pelican on the same corpus (interleaved) and print the ratios")
    parser.add_argument("--no-real", action="store_true", help="skip the real site")
    parser.add_argument("--scenarios", default="repeat,page edit,template,check,serve edit", help="comma-separated (cold always runs)")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.runs)
        return
    sizes = args.sizes or [10, 100, 1000, *([10000] if args.large else [])]
    scenarios = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    results: dict[str, dict[str, dict[str, float]]] = {}
    comparisons: dict[str, dict[str, dict]] = {}
    if not args.no_real:
        results["real"] = real_site(args.runs)
        print(table({"real": results["real"]}), flush=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        for size in sizes:
            project = corpus.generate(Path(folder) / f"corpus-{size}", size)
            runs = args.runs if size < 10000 else max(1, min(args.runs, 2))
            results[str(size)] = bench_project(project, runs, size, scenarios)
            print(table({str(size): results[str(size)]}).split("\n", 1)[1], flush=True)
            if args.compare:
                comparisons[str(size)] = compare(project, runs)
                print(peers.table(size, comparisons[str(size)]), flush=True)
            shutil.rmtree(project)
    print()
    print(table(results))
    for size, comparison in comparisons.items():
        print()
        print(peers.table(int(size), comparison))
    target = HERE / "results" / f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    target.parent.mkdir(exist_ok=True)
    record = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": results, "comparisons": comparisons}
    target.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
