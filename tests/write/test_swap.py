"""The swap cannot lose the site: a build killed at any step leaves one whole site in place (the old
or the new, byte for byte), the next build removes what a killed one left, and a second build
while one is writing fails at once, writes nothing and leaves the first one's site whole.

Builds run as `python driver.py …`: the command line with each step of the swap (each rename,
exchange, link and removal) announced on stdout, waiting for a line on stdin before it is taken,
so that a test can kill the build (SIGKILL) exactly before any step.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import ROOT

from sitegen.commands.cli import main
from sitegen.core.errors import display_path
from sitegen.core.files import site_entry
from sitegen.write import swap
from sitegen.write.output import update_site

TOPIC = "---\ntitle: A topic\norder: 1\n---\n\n{} [@001:p4].\n"
OLD, NEW = "A fact", "The same fact, said anew"
BUSY = "another build is writing this folder now; build again when it has finished"

DRIVER = '''
import os, shutil, sys
from sitegen.write import output
from sitegen.write import swap
from sitegen.commands.cli import main


def announced(name, step):
    def run(*args, **kwargs):
        names = " ".join(os.path.basename(os.fspath(arg)) for arg in args[:2] if isinstance(arg, (str, os.PathLike)))
        print(f"step {name} {names}", flush=True)
        sys.stdin.readline()
        return step(*args, **kwargs)
    return run


def refused(first, second):
    raise swap.ExchangeUnavailableError("refused for the test")


def no_links(*args, **kwargs):
    raise PermissionError(1, "Operation not permitted")


if os.environ.get("NO_EXCHANGE"):
    swap.exchange = refused
if os.environ.get("NO_LINKS"):
    os.symlink = no_links
os.rename = announced("rename", os.rename)
os.symlink = announced("symlink", os.symlink)
shutil.rmtree = announced("rmtree", shutil.rmtree)
swap.exchange = announced("exchange", swap.exchange)
output._write_all = announced("write", output._write_all)
output.update_spare = announced("write", output.update_spare)
sys.exit(main(sys.argv[1:]))
'''


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def say(root: Path, text: str) -> None:
    (root / "content" / "topic.md").write_text(TOPIC.format(text), encoding="utf-8")


def build_in_process(root: Path, *args: str) -> dict[str, bytes]:
    assert main(["--project", str(root), "build", "--no-search", *args]) == 0
    return snapshot(root / "site")


def beside(root: Path) -> list[str]:
    """The names of what the builds put beside the site (staging, retired, link folders, the lock)."""
    return sorted(name for name in os.listdir(root) if name.startswith(".site."))


def spares(root: Path) -> list[str]:
    """The replaced sites kept beside the site for the next build to bring up to date."""
    return [name for name in beside(root) if name.startswith(".site.spare-")]


def leftovers(root: Path) -> set[str]:
    """What lies beside the site other than the folder its link points to, the lock file and one spare."""
    site = root / "site"
    live = os.readlink(site) if site.is_symlink() else None
    return set(beside(root)) - {live, ".site.lock", *spares(root)[:1]}


def refused(first: Path, second: Path) -> None:
    raise swap.ExchangeUnavailableError("refused for the test")


class Build:
    """`build.py build` through the driver, stopped before the steps the test chooses."""

    def __init__(self, root: Path, exchange: bool = True, links: bool = True) -> None:
        (root / "driver.py").write_text(DRIVER, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SITEGEN_CACHE": "off", "SITEGEN_WORKERS": "1"}
        if not exchange:
            env["NO_EXCHANGE"] = "1"
        if not links:
            env["NO_LINKS"] = "1"
        command = [sys.executable, "driver.py", "build", "--no-search"]
        self.process = subprocess.Popen(command, cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.steps: list[str] = []
        self.pending = False  # stopped before a step, waiting to take it

    def run_until(self, stop: Callable[[str], bool]) -> str | None:
        """Take steps until `stop` is true of the next one (returned, not taken) or the build ends (None)."""
        assert self.process.stdin and self.process.stdout
        for line in self.process.stdout:
            if not line.startswith("step "):
                continue
            step = line[len("step ") :].strip()
            if stop(step):
                self.pending = True
                return step
            self.steps.append(step)
            self._go_on()
        return None

    def _go_on(self) -> None:
        assert self.process.stdin
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        self.pending = False

    def kill(self) -> None:
        self.process.kill()
        self.process.communicate(timeout=60)

    def finish(self) -> tuple[int, str]:
        if self.pending:
            self._go_on()
        self.run_until(lambda step: False)
        _, err = self.process.communicate(timeout=120)
        return self.process.returncode, err


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    root = make_project()
    say(root, OLD)
    return root


def kill_before_every_step(root: Path, old: dict[str, bytes], new: dict[str, bytes], exchange: bool) -> list[tuple[str, ...]]:
    """Kill a build before its first step, then one before its second, … until one ends by itself;
    each build makes the other of the two sites. After every kill the site must be the whole old or
    the whole new one. Returns, for each kill, the steps taken and the one it was killed before."""
    killed: list[tuple[str, ...]] = []
    while True:
        current = snapshot(root / "site")
        assert current in (old, new), f"killed after {killed[-1]}: the site is neither the old nor the new one, whole"
        say(root, NEW if current == old else OLD)
        build, taken = Build(root, exchange=exchange), len(killed)
        step = build.run_until(lambda step, build=build, taken=taken: len(build.steps) == taken)
        if step is None:
            code, err = build.finish()
            assert code == 0, err
            return killed
        build.kill()
        killed.append((*build.steps, step))


def kinds(steps: tuple[str, ...]) -> list[str]:
    return [step.split()[0] for step in steps]


def test_a_build_killed_before_any_step_of_the_exchange_leaves_the_old_or_the_new_site_whole(project: Path) -> None:
    old = build_in_process(project)
    say(project, NEW)
    new = build_in_process(project)
    killed = kill_before_every_step(project, old, new, exchange=True)
    assert any(kinds(steps)[-2:] == ["write", "exchange"] for steps in killed)  # the staging folder whole, the exchange not made
    assert any(kinds(steps)[-2:] == ["exchange", "rename"] and ".site.spare-" in steps[-1] for steps in killed)  # exchanged, the old site not yet the spare
    assert (project / "site").is_dir() and not (project / "site").is_symlink()


def test_where_the_exchange_is_refused_a_build_killed_before_any_step_leaves_the_old_or_the_new_site_whole(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(swap, "exchange", refused)
    old = build_in_process(project)
    say(project, NEW)
    new = build_in_process(project)
    assert (project / "site").is_symlink()  # the first build found the exchange refused: the site is a link, replaced by rename
    killed = kill_before_every_step(project, old, new, exchange=False)
    flip = [steps for steps in killed if steps[-1].startswith("rename .site.link-") and steps[-1].endswith(" site")]
    assert flip and kinds(flip[0])[-4:] == ["write", "symlink", "rename", "rename"]  # just before the link replaces the site
    # the link replaced, the old folder not yet the spare:
    assert any(kinds(steps)[-4:] == ["symlink", "rename", "rename", "rename"] and ".site.spare-" in steps[-1] for steps in killed)


@pytest.mark.parametrize("links", [True, False], ids=["into-a-link", "no-links"])
def test_where_the_exchange_is_refused_a_site_folder_caught_between_two_renames_is_put_back_by_the_next_build(
    project: Path, links: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    old = build_in_process(project)  # a real folder, made where the exchange works
    say(project, NEW)
    build = Build(project, exchange=False, links=links)
    assert build.run_until(lambda step: step.endswith(" site") and any(taken.startswith("rename site .site.old-") for taken in build.steps))
    build.kill()
    assert not (project / "site").exists()
    retired = [name for name in beside(project) if name.startswith(".site.old-")]
    assert len(retired) == 1 and snapshot(project / retired[0]) == old  # the whole old site, under its retired name
    say(project, "A broken [@999:p1] citation")
    assert main(["--project", str(project), "build", "--no-search"]) == 1
    capsys.readouterr()
    assert snapshot(project / "site") == old


def test_where_links_cannot_be_made_either_the_site_stays_a_folder_replaced_by_two_renames(project: Path) -> None:
    build_in_process(project)
    say(project, NEW)
    build = Build(project, exchange=False, links=False)
    code, err = build.finish()
    assert code == 0, err
    assert (project / "site").is_dir() and not (project / "site").is_symlink()
    assert NEW.encode() in (project / "site" / "topic" / "index.html").read_bytes()
    renames = [step.split()[1:] for step in build.steps if step.startswith("rename ")]
    assert len(renames) == 3 and renames[0][0] == "site" and renames[0][1].startswith(".site.old-") and renames[1][1] == "site"
    assert renames[2][0] == renames[0][1] and renames[2][1].startswith(".site.spare-")  # the old site kept as the spare


RAW_CALL = sys.platform.startswith("linux") and os.uname().machine in swap.RENAMEAT2_SYSCALL


@pytest.mark.skipif(not RAW_CALL, reason="the raw call is made on Linux on x86-64 and ARM64 only")
def test_where_the_c_library_has_no_renameat2_the_system_call_exchanges_the_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    libc = ctypes.CDLL(None, use_errno=True)

    class WithoutRenameat2:
        def __getattr__(self, name: str) -> object:
            if name == "renameat2":
                raise AttributeError(name)
            return getattr(libc, name)

    monkeypatch.setattr(ctypes, "CDLL", lambda *args, **kwargs: WithoutRenameat2())
    swap._exchange_call.cache_clear()
    monkeypatch.setattr(swap, "_exchange_call", swap._exchange_call.__wrapped__)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").touch()
    (tmp_path / "b").mkdir()
    swap.exchange(tmp_path / "a", tmp_path / "b")
    assert (os.listdir(tmp_path / "a"), os.listdir(tmp_path / "b")) == ([], ["from-a"])


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "link"])
def test_staging_and_old_folders_left_by_killed_builds_are_removed_by_the_next_build(project: Path, exchange: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not exchange:
        monkeypatch.setattr(swap, "exchange", refused)
    build_in_process(project)
    say(project, "Killed with its staging folder begun")
    staging_begun = Build(project, exchange=exchange)
    assert staging_begun.run_until(lambda step: step.startswith("write"))
    staging_begun.kill()
    left_first = leftovers(project)
    say(project, "Killed before the previous site was removed")
    swapped = Build(project, exchange=exchange)
    assert swapped.run_until(lambda step: ".site.spare-" in step.split()[-1] and "write" in kinds(tuple(swapped.steps)))
    swapped.kill()
    left_second = leftovers(project)
    assert left_first and left_second and not left_first & left_second  # the second build removed what the first left
    say(project, NEW)
    build_in_process(project)
    assert leftovers(project) == set()
    assert len(spares(project)) == 1
    assert ".site.lock" not in beside(project)


def test_a_second_build_while_the_first_is_writing_fails_at_once_with_a_true_message_and_the_first_site_is_whole(project: Path) -> None:
    build_in_process(project)
    say(project, NEW)
    (project / "expected").mkdir()
    build_in_process(project, "--out", str(project / "expected"))
    first = Build(project)
    assert first.run_until(lambda step: step.startswith("exchange"))  # holding the lock, its staging folder written
    before = beside(project)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    second = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-search"], cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stderr.splitlines()) == (1, [f"site: {BUSY}", "build failed: this build wrote nothing"])
    assert beside(project) == before  # the second build left nothing of its own
    code, err = first.finish()
    assert code == 0, err
    assert snapshot(project / "site") == snapshot(project / "expected")
    assert beside(project) == spares(project) and len(spares(project)) == 1  # nor did the first, its lock file included: only the spare


def test_the_dev_servers_update_fails_with_the_true_message_while_a_build_is_writing(project: Path) -> None:
    old = build_in_process(project)
    site = project / "site"
    with swap.writing(site_entry(site)), pytest.raises(swap.FolderBusyError) as raised:
        update_site({"index.html": b"changed"}, site, project)
    assert [str(problem) for problem in raised.value.problems] == [f"{display_path(site)}: {BUSY}"]
    assert snapshot(site) == old


def test_a_lock_left_by_a_killed_build_does_not_stop_the_next(project: Path) -> None:
    build_in_process(project)
    say(project, NEW)
    build = Build(project)
    assert build.run_until(lambda step: step.startswith("exchange"))
    build.kill()
    assert ".site.lock" in beside(project)
    assert b"said anew" in build_in_process(project)["topic/index.html"]
