"""The cache cannot change the site.

Whatever is done to a file of the build cache after a first build (its pickles, Jinja's compiled
templates), the next build writes byte for byte what a build without a cache writes, prints no
traceback, and leaves a sound file in the damaged one's place. A cache folder among the project's
inputs or in its output is refused with one line naming SITEGEN_CACHE, and the previous site stays.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import shutil
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2.bccache
import pytest
from projects import PAGES, assert_clean_failure, run, snapshot

from sitegen.core.packed import Packed
from sitegen.incremental.cache import label_of, wait_for_saves
from sitegen.incremental.memo import Memo, all_kinds
from sitegen.incremental.shards import KindFolder, dump_entries, load_entries
from sitegen.incremental.verified import MAX_FILE_BYTES, read_verified, write_verified
from sitegen.pipeline import build

KINDS = sorted(all_kinds())
Damage = Callable[[Path, str], None]  # a cache file and the label it is written under


@pytest.fixture(scope="module")
def stash(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first test leaves its built project, with its cache, for the others to copy, and the
    site a build without a cache writes."""
    return tmp_path_factory.mktemp("cached")


@pytest.fixture
def project(make_project: Callable[..., Path], stash: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A valid project built once with its cache in `.cache/sitegen/`, copied afresh for each test to
    one same place (cache keys hold the project's path, so a copy elsewhere would find none of its
    entries), which is the working folder."""
    monkeypatch.delenv("SITEGEN_CACHE", raising=False)
    root = stash / "project"
    if (stash / "built").exists():
        shutil.rmtree(root)
        shutil.copytree(stash / "built", root, symlinks=True)
        monkeypatch.chdir(root)
    else:
        shutil.copytree(make_project(pages=PAGES), root, symlinks=True)
        monkeypatch.chdir(root)  # link checks are kept for the working folder they report in
        with monkeypatch.context() as off:
            off.setenv("SITEGEN_CACHE", "off")
            assert run(root, ("build", "--strict", "--no-search"), capsys) == (0, "")
        shutil.copytree(root / "site", stash / "clean-site")
        assert run(root, ("build", "--strict", "--no-search"), capsys) == (0, "")
        wait_for_saves(cache_of(root))
        shutil.copytree(root, stash / "built", symlinks=True)
    return root


@pytest.fixture
def clean_site(project: Path, stash: Path) -> dict[str, bytes]:
    """What a build of the project without a cache writes."""
    return snapshot(stash / "clean-site")


def test_the_project_the_tests_damage_builds_from_its_cache_alone(project: Path) -> None:
    memo = Memo.for_project(project)
    assert build(project, memo, write=False).rendered == frozenset()
    memo.wait()


def cache_of(root: Path) -> Path:
    return root / ".cache" / "sitegen"


def bytecode_files(root: Path) -> list[Path]:
    return sorted((cache_of(root) / "jinja").glob("*.cache"))


def compiled_here(root: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    """Compile every template of the project where it now is (Jinja's keys hold a template's path),
    leaving the cache without outputs so that the next build renders every page; the files kept."""
    shutil.rmtree(cache_of(root) / "jinja")
    without_outputs(root)
    build_with_the_cache(root, capsys)
    without_outputs(root)
    files = bytecode_files(root)
    assert files, "the build kept no compiled template"
    return files


def without_outputs(root: Path) -> None:
    shutil.rmtree(cache_of(root) / "output")


def a_shard(root: Path, kind: str) -> tuple[Path, str]:
    """The first shard file of `kind` in the project's cache, and the label it is written under."""
    shards = sorted((cache_of(root) / kind).glob("*.pickle"))
    assert shards, f"the build kept no {kind} entry"
    return shards[0], KindFolder(cache_of(root), kind, label_of(kind)).shard_label(shards[0].name)


def bytecode_label(path: Path) -> str:
    return label_of(f"jinja\0{path.stem}")


class Hung(BaseException):
    """Raised by `deadline` (not an OSError, which the code under test may catch)."""


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def build_with_the_cache(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The site the command line builds, once any save of the cache it starts is done."""
    with deadline(60):
        assert run(root, ("build", "--no-search"), capsys) == (0, "")  # no traceback, no message
    wait_for_saves(cache_of(root))
    return snapshot(root / "site")


# ---------------------------------------------------------------------------------------------
# Damage to the bytes or the nature of a file: any cache file
# ---------------------------------------------------------------------------------------------


def truncated(path: Path, label: str) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def emptied(path: Path, label: str) -> None:
    path.write_bytes(b"")


def one_byte_flipped(path: Path, label: str) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0x01
    path.write_bytes(bytes(data))


def garbage(path: Path, label: str) -> None:
    path.write_bytes(b"\x80\x05not a cache file at all" * 100)


def grown(path: Path, label: str) -> None:
    with path.open("ab") as stream:
        stream.write(b"more")


def huge(path: Path, label: str) -> None:
    os.truncate(path, MAX_FILE_BYTES + 1)  # sparse: its valid header, then 4 GiB of zeros


def fifo(path: Path, label: str) -> None:
    path.unlink()
    os.mkfifo(path)


def folder(path: Path, label: str) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def symlink_elsewhere(path: Path, label: str) -> None:
    target = path.parent.parent.parent / f"copy-of-{path.name}"
    shutil.copyfile(path, target)
    path.unlink()
    path.symlink_to(target)


def under_another_label(path: Path, label: str) -> None:
    """A sound file, but of another kind or engine (a file copied over another)."""
    payload = read_verified(path, label)
    assert payload is not None
    write_verified(path, label + "\0elsewhere", lambda stream: stream.write(payload))


BYTE_DAMAGES: list[Damage] = [truncated, emptied, one_byte_flipped, garbage, grown, huge, fifo, folder, symlink_elsewhere, under_another_label]
# Every damage to the kind that holds the site's bytes; one to each other kind (all go through the same reading).
DAMAGED = [("output", damage) for damage in BYTE_DAMAGES] + [(kind, one_byte_flipped) for kind in KINDS if kind != "output"]


@pytest.mark.parametrize(("kind", "damage"), DAMAGED, ids=[f"{kind}-{damage.__name__}" for kind, damage in DAMAGED])
def test_a_damaged_cache_file_is_a_miss_and_is_replaced(
    kind: str, damage: Damage, project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    path, label = a_shard(project, kind)
    damage(path, label)
    assert build_with_the_cache(project, capsys) == clean_site
    assert read_verified(path, label) is not None


@pytest.mark.parametrize("damage", BYTE_DAMAGES, ids=[d.__name__ for d in BYTE_DAMAGES])
def test_damaged_compiled_templates_are_compiled_again_and_replaced(
    damage: Damage, project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    files = compiled_here(project, capsys)
    for path in files:
        damage(path, bytecode_label(path))
    assert build_with_the_cache(project, capsys) == clean_site
    assert all(read_verified(path, bytecode_label(path)) is not None for path in files)


def test_a_symlink_in_the_cache_is_removed_and_what_it_points_to_is_left(
    project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = a_shard(project, "output")
    target = project.parent / "elsewhere.pickle"
    shutil.copyfile(path, target)
    pointed_to = target.read_bytes()
    path.unlink()
    path.symlink_to(target)
    assert build_with_the_cache(project, capsys) == clean_site
    assert not path.is_symlink()
    assert target.read_bytes() == pointed_to


def test_cache_files_of_another_user_are_not_used(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    someone_else = os.getuid() + 1
    monkeypatch.setattr(os, "getuid", lambda: someone_else)
    memo = Memo.for_project(project)
    result = build(project, memo, write=False)
    memo.wait()
    assert result.rendered == {path for path in result.outputs if path.endswith(".html")}
    assert result.outputs == build(project, Memo.off(), write=False).outputs


def test_the_cache_folder_is_created_readable_by_its_owner_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / ".cache")
    build_with_the_cache(project, capsys)
    assert [stat.S_IMODE(path.stat().st_mode) for path in (project / ".cache", cache_of(project), cache_of(project) / "jinja")] == [0o700] * 3
    assert {stat.S_IMODE(path.stat().st_mode) for path in cache_of(project).rglob("*.*") if path.is_file()} == {0o600}


# ---------------------------------------------------------------------------------------------
# Sound files (their digest matches) holding values of another type than the engine keeps
# ---------------------------------------------------------------------------------------------


def rewrite_entries(path: Path, label: str, change: Callable[[dict[str, object]], object], as_entries: bool = True) -> None:
    """Replace the entries of a sound cache file by `change(entries)`, written as the engine writes entries (or, not
    `as_entries`, pickled whole)."""
    entries = read_verified(path, label, load_entries)
    assert entries is not None
    changed = change(entries)
    write_verified(path, label, lambda stream: dump_entries(changed, stream) if as_entries else pickle.dump(changed, stream))  # type: ignore[arg-type]


def kept_entries(path: Path, label: str) -> dict[str, object]:
    entries = read_verified(path, label, load_entries)
    assert type(entries) is dict and entries
    return entries


def test_a_cache_file_holding_something_else_than_entries_is_a_miss(project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    path, label = a_shard(project, "output")
    rewrite_entries(path, label, lambda entries: list(entries.items()), as_entries=False)
    assert build_with_the_cache(project, capsys) == clean_site
    assert kept_entries(path, label)


@pytest.mark.parametrize("kind", KINDS)
def test_cache_entries_of_the_wrong_type_are_a_miss(kind: str, project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    path, label = a_shard(project, kind)
    rewrite_entries(path, label, lambda entries: {key: {"html": "<p>not from the site</p>"} for key in entries})
    assert build_with_the_cache(project, capsys) == clean_site
    assert all(all_kinds()[kind].shape(value) for value in kept_entries(path, label).values())


# Output entries that the renderer would take for rendered bytes (a list for a tuple, text for bytes).
WRONG_OUTPUTS: dict[str, Callable[[Any], object]] = {
    "a-list": lambda entry: [Packed.of(b"<p>not from the site</p>"), ()],
    "bytes-for-packed": lambda entry: (b"<p>not from the site</p>", ()),
    "packed-text": lambda entry: (Packed("<p>not from the site</p>", 24, entry[0].sha256), ()),  # type: ignore[arg-type]
    "pages-looked-up-as-a-list": lambda entry: (Packed.of(b"<p>not from the site</p>"), list(entry[1])),
}


@pytest.mark.parametrize("wrong", WRONG_OUTPUTS.values(), ids=list(WRONG_OUTPUTS))
def test_output_entries_of_the_wrong_shape_never_reach_the_site(
    wrong: Callable[[object], object], project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    path, label = a_shard(project, "output")
    rewrite_entries(path, label, lambda entries: {key: wrong(entry) for key, entry in entries.items()})
    assert build_with_the_cache(project, capsys) == clean_site
    assert all(all_kinds()["output"].shape(entry) for entry in kept_entries(path, label).values())


def test_compiled_templates_that_are_not_code_are_a_miss(project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    magic = jinja2.bccache.bc_magic
    files = compiled_here(project, capsys)
    for path in files:
        sound = read_verified(path, bytecode_label(path))
        assert sound is not None and sound.startswith(magic)
        checksum = pickle.loads(sound[len(magic):])  # what Jinja compares with the template's source
        text = magic + pickle.dumps(checksum, 2) + marshal.dumps("raise SystemExit('compiled template replaced')")
        write_verified(path, bytecode_label(path), lambda stream, text=text: stream.write(text))
    assert build_with_the_cache(project, capsys) == clean_site
    assert all(b"compiled template replaced" not in path.read_bytes() for path in files)


def test_a_file_in_place_of_the_compiled_templates_folder_is_replaced_by_it(
    project: Path, clean_site: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    jinja = cache_of(project) / "jinja"
    shutil.rmtree(jinja)
    jinja.write_bytes(b"not a folder")
    without_outputs(project)
    assert build_with_the_cache(project, capsys) == clean_site
    assert bytecode_files(project)


def test_compiled_templates_are_reused_by_the_next_build(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    compile_templates = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return compile_templates(self, source, filename)

    compiled_here(project, capsys)
    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    build_with_the_cache(project, capsys)
    assert compiled == []


# ---------------------------------------------------------------------------------------------
# Where the cache may be
# ---------------------------------------------------------------------------------------------


REFUSED = ["content", "templates", "static", "seeds", "site", "."]


@pytest.mark.parametrize("place", REFUSED, ids=["content", "templates", "static", "seeds", "output", "project"])
def test_a_cache_folder_in_the_project_inputs_or_output_is_refused(
    place: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project)
    cache = Path(place) / "cache" if place != "." else Path(".")
    monkeypatch.setenv("SITEGEN_CACHE", str(project / cache))
    code, stderr = run(project, ("build", "--no-search"), capsys)
    assert_clean_failure(code, stderr, cache.as_posix(), None, "SITEGEN_CACHE")
    assert len(stderr.splitlines()) == 2  # the problem and the summary
    assert snapshot(project) == before


def test_a_cache_folder_reached_through_a_symlink_into_the_content_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "elsewhere").symlink_to(project / "content", target_is_directory=True)
    before = snapshot(project)
    monkeypatch.setenv("SITEGEN_CACHE", str(project / "elsewhere" / "cache"))
    code, stderr = run(project, ("build", "--no-search"), capsys)
    assert_clean_failure(code, stderr, "elsewhere/cache", None, "content folder")  # named as SITEGEN_CACHE gives it
    assert snapshot(project) == before


def test_a_cache_folder_in_the_folder_given_with_out_is_refused(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project, ("build", "--no-search", "--out", "public"), capsys) == (0, "")
    wait_for_saves(cache_of(project))
    before = snapshot(project)
    monkeypatch.setenv("SITEGEN_CACHE", str(project / "public" / "cache"))
    code, stderr = run(project, ("build", "--no-search", "--out", "public"), capsys)
    assert_clean_failure(code, stderr, "public/cache", None, "SITEGEN_CACHE")
    assert snapshot(project) == before
