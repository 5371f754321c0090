"""Per-page work spread over processes gives exactly what one process gives.

Forking is only done from a process with no other thread, and a test session may have threads
left by earlier tests (a browser driver): each case runs in a fresh Python process.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import ROOT, page

from sitegen.core import parallel
from sitegen.core.errors import BuildError, Problem
from sitegen.core.parallel import parallel_map

PRELUDE = """
import json, os, sys, threading
from sitegen.core import parallel
from sitegen.core.parallel import parallel_map
parallel.MIN_ITEMS_PER_WORKER = 1

def square_and_pid(number):
    return number * number, os.getpid()
"""


def run_fresh(code: str, workers: int = 2) -> object:
    """Run `code` after PRELUDE in a new interpreter; it prints one JSON value, returned here."""
    env = {**os.environ, "SITEGEN_WORKERS": str(workers), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_results_come_back_in_the_order_of_the_items() -> None:
    squares = run_fresh("print(json.dumps([square for square, _ in parallel_map(square_and_pid, list(range(100)))]))")
    assert squares == [n * n for n in range(100)]


def test_a_large_batch_is_shared_with_another_process() -> None:
    found = run_fresh("print(json.dumps([os.getpid(), sorted({pid for _, pid in parallel_map(square_and_pid, list(range(100)))})]))")
    assert isinstance(found, list)
    this, pids = found
    assert len(pids) == 2 and this in pids


def test_one_worker_means_no_other_process() -> None:
    pids = run_fresh("print(json.dumps(sorted({pid for _, pid in parallel_map(square_and_pid, list(range(100)))})))", workers=1)
    assert isinstance(pids, list) and len(pids) == 1


def test_no_fork_while_another_thread_runs() -> None:
    found = run_fresh("""
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        pids = {pid for _, pid in parallel_map(square_and_pid, list(range(100)))}
        stop.set()
        thread.join()
        print(json.dumps(sorted(pids) == [os.getpid()]))
    """)
    assert found is True


def test_a_small_batch_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    results = parallel_map(lambda number: (number, os.getpid()), list(range(parallel.MIN_ITEMS_PER_WORKER)))
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_build_error_survives_the_trip_between_processes() -> None:
    error = BuildError([Problem("content/a.md", 3, "broken"), Problem("content/b.md", 0, "also broken")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)


def _project_with_topics(make_project: Callable[..., Path], count: int) -> Path:
    pages = {"index.md": page("Home", "Welcome [@001:p2].\n")}
    for n in range(1, count + 1):
        pages[f"topic{n}.md"] = f"---\ntitle: Topic {n}\norder: {n}\n---\n## Part {{#part}}\n\nText {n} [@001:p4], see [the next](topic{n % count + 1}.md).\n"
    return make_project(pages=pages)


BUILD = """
from pathlib import Path
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.core.errors import BuildError
assert parallel.processes_for(13) == int(os.environ["SITEGEN_WORKERS"])  # the build really runs in that many processes
try:
    result = build(Path({root!r}), Memo.off(), write=False)
    print(json.dumps({{"outputs": {{path: data.decode("utf-8", "replace") for path, data in result.outputs.items()}},
                      "findings": [str(f) for f in result.findings]}}))
except BuildError as error:
    print(json.dumps({{"problems": [str(p) for p in error.problems]}}))
"""


def test_a_build_over_two_processes_equals_a_build_in_one(make_project: Callable[..., Path]) -> None:
    root = _project_with_topics(make_project, 12)
    together = run_fresh(BUILD.format(root=str(root)))
    alone = run_fresh(BUILD.format(root=str(root)), workers=1)
    assert isinstance(together, dict) and "outputs" in together
    assert together == alone


def test_template_problems_found_in_another_process_are_all_reported(make_project: Callable[..., Path]) -> None:
    root = _project_with_topics(make_project, 12)
    page_template = root / "templates" / "page.html"
    page_template.write_text(page_template.read_text(encoding="utf-8").replace("{{ page.title }}", "{{ page.title.no_such_thing }}", 1), encoding="utf-8")
    found = run_fresh(BUILD.format(root=str(root)))
    assert isinstance(found, dict) and found.get("problems")
    assert all("page.html" in problem for problem in found["problems"])
