"""Run the engine's tests on a new site: copy this repository's tracked files into a temporary
folder, replace the example site (site.yaml, content/, seeds/) there with what `sitegen new`
writes, and run every test outside tests/site/ in that copy. Exits with pytest's exit code, so
a test that still reads the example site's content fails here.

    python scripts/engine_tests_on_new_site.py              # the whole suite but tests/site/
    python scripts/engine_tests_on_new_site.py -x tests/load # arguments go to pytest
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = ("site.yaml", "content", "seeds")  # what `sitegen new` writes its own of
CHECKER = Path(".cache", "vnu")  # the Nu Html Checker, git-ignored: linked in when installed


def copy_tracked_files(source: Path, target: Path) -> None:
    """Copy every file git tracks in `source` (as it is in the work tree) to the same path in `target`."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=source, capture_output=True, check=True).stdout
    for relative in filter(None, listed.decode("utf-8").split("\0")):
        path = source / relative
        if not os.path.lexists(path):
            continue  # deleted in the work tree and not yet committed
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative, follow_symlinks=False)
    if (source / CHECKER).exists():
        (target / CHECKER).parent.mkdir(parents=True, exist_ok=True)
        (target / CHECKER).symlink_to((source / CHECKER).resolve())


def replace_example_site(copy: Path, scratch: Path) -> None:
    """Put the settings, content and seeds of a new project in place of the example site's."""
    environment = {**os.environ, "PYTHONPATH": str(copy)}
    subprocess.run([sys.executable, "build.py", "new", str(scratch)], cwd=copy, env=environment, check=True, stdout=subprocess.DEVNULL)
    for name in EXAMPLE_SITE:
        old = copy / name
        if old.is_dir():
            shutil.rmtree(old)
        elif os.path.lexists(old):
            old.unlink()
        if os.path.lexists(scratch / name):
            shutil.move(scratch / name, old)


def main(pytest_arguments: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="engine-tests-") as folder:
        copy, scratch = Path(folder, "repository"), Path(folder, "new-site")
        copy_tracked_files(ROOT, copy)
        replace_example_site(copy, scratch)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ignore=tests/site", *pytest_arguments]
        print(f"running the engine's tests on a new site in {copy}", flush=True)
        return subprocess.run(command, cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
