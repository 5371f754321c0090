"""A worker hands its results back in parts of a bounded size, in the order of the items."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from projects import ROOT

CODE = """
import json, os
from multiprocessing import pool
from sitegen.core import parallel
parallel.MIN_ITEMS_PER_WORKER, parallel.ITEMS_PER_RESULT = 1, 7
handed = []
real = pool.Pool.imap
def imap(self, function, parts, chunksize=1):
    parts = list(parts)
    handed.extend(end - start for start, end in parts)
    return real(self, function, parts, chunksize)
pool.Pool.imap = imap
results = parallel.parallel_map(lambda number: number * 3, list(range(100)))
print(json.dumps([results == [n * 3 for n in range(100)], max(handed), sum(handed)]))
"""


def test_a_workers_results_come_back_in_parts_of_at_most_the_bound_and_in_order() -> None:
    env = {"SITEGEN_WORKERS": "2", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(CODE)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[true, 7, 50]"
