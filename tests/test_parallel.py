"""Per-page work spread over processes gives exactly what one process gives."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen import parallel
from sitegen.builder import Builder
from sitegen.errors import BuildError, Problem
from sitegen.parallel import parallel_map, processes_for


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two processes for any batch of two items or more."""
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    if processes_for(2) != 2:
        pytest.fail("this test needs a Linux process with no other thread running")
    yield


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_back_in_the_order_of_the_items(two_workers: None) -> None:
    results = parallel_map(square_and_pid, list(range(100)))
    assert [square for square, _ in results] == [n * n for n in range(100)]


def test_a_large_batch_is_shared_with_another_process(two_workers: None) -> None:
    pids = {pid for _, pid in parallel_map(square_and_pid, list(range(100)))}
    assert len(pids) == 2 and os.getpid() in pids


def test_a_small_batch_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    pids = {pid for _, pid in parallel_map(square_and_pid, list(range(parallel.MIN_ITEMS_PER_WORKER)))}
    assert pids == {os.getpid()}


def test_one_worker_means_no_other_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_WORKERS", "1")
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    assert {pid for _, pid in parallel_map(square_and_pid, list(range(100)))} == {os.getpid()}


def test_no_fork_while_another_thread_runs(two_workers: None) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for _, pid in parallel_map(square_and_pid, list(range(100)))} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_a_build_error_survives_the_trip_between_processes() -> None:
    error = BuildError([Problem("content/a.md", 3, "broken"), Problem("content/b.md", 0, "also broken")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)


def _project_with_topics(make_project: Callable[..., Path], count: int) -> Path:
    pages = {"index.md": "---\ntitle: Home\n---\nWelcome [@001:p2].\n"}
    for n in range(1, count + 1):
        pages[f"topic{n}.md"] = f"---\ntitle: Topic {n}\norder: {n}\n---\n## Part {{#part}}\n\nText {n} [@001:p4], see [the next](topic{n % count + 1}.md).\n"
    return make_project(pages=pages)


def test_a_build_over_two_processes_equals_a_build_in_one(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_workers: None
) -> None:
    root = _project_with_topics(make_project, 12)
    together = Builder(root, cache_dir=None).render()
    monkeypatch.setenv("SITEGEN_WORKERS", "1")
    alone = Builder(root, cache_dir=None).render()
    assert together.outputs == alone.outputs
    assert together.findings == alone.findings


def test_template_problems_found_in_another_process_are_all_reported(
    make_project: Callable[..., Path], two_workers: None
) -> None:
    root = _project_with_topics(make_project, 12)
    page_template = root / "templates" / "page.html"
    page_template.write_text(page_template.read_text(encoding="utf-8").replace("{{ page.title }}", "{{ page.title.no_such_thing }}", 1), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        Builder(root, cache_dir=None).render()
    assert raised.value.problems and all(problem.path.endswith("page.html") for problem in raised.value.problems)
