"""The package as a user gets it: a wheel built from this repository, installed into a fresh virtual
environment, runs in an empty folder with no file of the repository in reach (its working folder
outside it, no PYTHONPATH), with the default theme it carries.

Each step of `STEPS` is one command run in order in the same folder; add a command by adding a step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from projects import ROOT, page, write
from serving import free_port

# What a wheel is built from: the packaging files, the package and the theme's source.
PACKAGING = ("pyproject.toml", "setup.py", "README.md", "sitegen", "templates", "static")
TIMEOUT = 300


@dataclass(frozen=True)
class Installed:
    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def run(self, args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
        """`args` run with the venv's executables first on the path, in `cwd`, with no PYTHONPATH."""
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        command = [str(self.venv / "bin" / args[0]), *args[1:]]
        return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _checked(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"


def _source_copy(work: Path) -> Path:
    """What a wheel is built from, copied, so that building leaves no files in the repository."""
    source = work / "source"
    source.mkdir()
    for name in PACKAGING:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    return source


def _fresh_venv(venv: Path) -> Installed:
    _checked([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], venv.parent)
    return Installed(venv)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A wheel of this repository installed with no dependencies and no index into a venv that takes
    its libraries from this machine."""
    work = tmp_path_factory.mktemp("wheel")
    source = _source_copy(work)
    wheels = work / "dist"
    _checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(wheels), str(source)], work)
    (wheel,) = wheels.glob("sitegen-*.whl")
    venv = _fresh_venv(work / "venv")
    # --force-reinstall: a sitegen of the same version among the machine's packages must not count as installed.
    _checked([str(venv.python), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", "-q", str(wheel)], work)
    return venv


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert not folder.resolve().is_relative_to(ROOT.resolve())
    return folder


def minimal_project(folder: Path) -> None:
    write(folder / "site.yaml", "title: A site of my own\nlanguage: en\n")
    write(folder / "content" / "index.md", page("Home", "Welcome to the site.\n", statements="editorial"))


@dataclass(frozen=True)
class Step:
    """One command of a user's session: run in the session's folder; it must succeed, and its output show `says`."""

    args: tuple[str, ...]
    says: str = ""


STEPS = (
    Step(("sitegen", "build"), says="built "),
    Step(("sitegen", "check", "--strict"), says="check found no problems"),
)


def test_the_installed_sitegen_is_the_wheels_not_the_repositorys(installed: Installed, empty_folder: Path) -> None:
    probe = "import sitegen, sitegen.commands.cli, sitegen.render.bundled as b; print(sitegen.__file__); print(b.default_theme().root)"
    done = installed.run(("python", "-c", probe), empty_folder)
    assert done.returncode == 0, done.stderr
    package, theme = (Path(line) for line in done.stdout.splitlines())
    for path in (package, theme):
        assert path.resolve().is_relative_to(installed.venv.resolve()), path
    assert (theme / "templates" / "base.html").is_file() and (theme / "static" / "style.css").is_file()


def test_a_wheel_installed_in_a_fresh_venv_builds_and_checks_a_minimal_project_in_an_empty_folder(installed: Installed, empty_folder: Path) -> None:
    minimal_project(empty_folder)
    for step in STEPS:
        done = installed.run(step.args, empty_folder)
        assert done.returncode == 0, f"{' '.join(step.args)}:\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr
        assert step.says in done.stdout, f"{' '.join(step.args)}:\n{done.stdout}"
    assert "<html" in (empty_folder / "site" / "index.html").read_text(encoding="utf-8")
    assert any((empty_folder / "site" / "static").glob("favicon.*.svg"))


def test_every_sitegen_module_a_command_loads_comes_from_the_wheel(installed: Installed, empty_folder: Path) -> None:
    minimal_project(empty_folder)
    probe = (
        "import sys; from sitegen.commands.cli import main; import sitegen.commands.serve; code = main(['check']); "
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('sitegen') and getattr(m, '__file__', None))); sys.exit(code)"
    )
    done = installed.run(("python", "-c", probe), empty_folder)
    assert done.returncode == 0, done.stderr
    loaded = [Path(line) for line in done.stdout.splitlines() if line.endswith(".py")]
    assert loaded
    assert [path for path in loaded if not path.resolve().is_relative_to(installed.venv.resolve())] == []


def test_an_editable_install_reads_the_default_theme_from_its_source_tree(tmp_path: Path, empty_folder: Path) -> None:
    source = _source_copy(tmp_path)
    venv = _fresh_venv(tmp_path / "venv")
    _checked([str(venv.python), "-m", "pip", "install", "--no-deps", "--no-index", "--no-build-isolation", "-q", "-e", str(source)], tmp_path)
    done = venv.run(("python", "-c", "from sitegen.render.bundled import default_theme; print(default_theme().root)"), empty_folder)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == source
    minimal_project(empty_folder)
    built = venv.run(("sitegen", "build", "--no-search"), empty_folder)
    assert built.returncode == 0, built.stderr


def test_a_wheel_installed_in_a_fresh_venv_starts_a_new_site_that_checks_builds_and_serves(installed: Installed, empty_folder: Path) -> None:
    done = installed.run(("sitegen", "new", "demo"), empty_folder)
    assert done.returncode == 0, done.stdout + done.stderr
    demo = empty_folder / "demo"
    for step in STEPS:
        done = installed.run(step.args, demo)
        assert done.returncode == 0 and step.says in done.stdout, f"{' '.join(step.args)}:\n{done.stdout}\n{done.stderr}"
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    command = [str(installed.venv / "bin" / "sitegen"), "serve", "--port", str(port), "--no-search"]
    server = subprocess.Popen(command, cwd=demo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = _fetched(f"http://127.0.0.1:{port}/how-it-works/", server)
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT)
    assert "<title>How this site works" in body


def _fetched(url: str, server: subprocess.Popen[bytes]) -> str:
    """The page at `url` once the server answers (it builds first)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
