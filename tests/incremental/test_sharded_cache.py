"""Each kind of the build cache is a folder of shards: a save rewrites only the shards whose entries
changed or were dropped, the folder holds exactly the entries the last build used, and a damaged
shard is a miss for its own entries only."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

from sitegen.incremental.cache import BuildCache, instance_of, label_of
from sitegen.incremental.memo import Kind
from sitegen.incremental.shards import ENTRIES_PER_SHARD, KindFolder, dump_entries, shard_count, shard_name, shard_of
from sitegen.incremental.verified import read_verified, write_verified

TEXT = instance_of(str)
KIND = "markup"
COUNT = 20 * ENTRIES_PER_SHARD  # a kind of many shards


def keys(count: int = COUNT) -> list[str]:
    return [f"key-{number}" for number in range(count)]


def saved(folder: Path, names: list[str]) -> None:
    """A cache in `folder` holding `names`, each the value `value of <name>`."""
    cache = BuildCache(folder)
    for key in names:
        cache.put(KIND, key, f"value of {key}", TEXT)
    cache.save()


def shard_files(folder: Path, kind: str = KIND) -> dict[str, int]:
    """Each shard file of `kind` by name, with its inode (a file replaced has a new one)."""
    return {path.name: path.stat().st_ino for path in (folder / kind).iterdir()}


def the_shard_of(key: str, folder: Path) -> str:
    counts = {int(name.split("-of-")[1].split(".")[0], 16) for name in shard_files(folder)}
    assert len(counts) == 1
    count = counts.pop()
    return shard_name(shard_of(key, count), count)


def rebuilt(folder: Path, used: list[str], put: dict[str, str]) -> BuildCache:
    """A later build through a cache loaded from `folder` that uses `used` and puts `put`, saved."""
    cache = BuildCache(folder)
    cache.start()
    for key in used:
        assert cache.get(KIND, key, TEXT) == f"value of {key}"
    for key, value in put.items():
        cache.put(KIND, key, value, TEXT)
    cache.save()
    return cache


def stored(folder: Path) -> dict[str, object]:
    """Every entry in the shard files of the kind, read back one shard at a time."""
    kind = KindFolder(folder, KIND, label_of(KIND))
    entries, _ = kind.load(TEXT)
    return entries


def test_a_kind_of_many_entries_is_spread_over_several_shards(tmp_path: Path) -> None:
    saved(tmp_path, keys())
    assert len(shard_files(tmp_path)) > 1


def test_a_build_that_changes_nothing_rewrites_no_shard(tmp_path: Path) -> None:
    saved(tmp_path, keys())
    before = shard_files(tmp_path)
    rebuilt(tmp_path, keys(), {})
    assert shard_files(tmp_path) == before


def test_an_entry_replaced_by_another_rewrites_only_the_shards_of_the_two(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    before = shard_files(tmp_path)
    rebuilt(tmp_path, names[1:], {"key-new": "value of key-new"})
    after = shard_files(tmp_path)
    rewritten = {name for name in after if before.get(name) != after[name]}
    assert rewritten == {the_shard_of(names[0], tmp_path), the_shard_of("key-new", tmp_path)}


def test_after_a_save_the_shards_hold_exactly_the_entries_the_build_used(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    rebuilt(tmp_path, names[::3], {"key-new": "value of key-new"})
    assert stored(tmp_path) == {key: f"value of {key}" for key in [*names[::3], "key-new"]}


def test_a_shard_left_with_no_entry_is_removed(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    emptied = the_shard_of(names[0], tmp_path)
    rebuilt(tmp_path, [key for key in names if the_shard_of(key, tmp_path) != emptied], {})
    assert emptied not in shard_files(tmp_path)


def test_a_damaged_shard_is_a_miss_for_its_own_entries_only_and_is_removed(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    damaged = the_shard_of(names[0], tmp_path)
    path = tmp_path / KIND / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    cache = BuildCache(tmp_path)
    found = {key: cache.get(KIND, key, TEXT) for key in names}
    assert {key for key, value in found.items() if value is None} == {key for key in names if the_shard_of(key, tmp_path) == damaged}
    assert all(value == f"value of {key}" for key, value in found.items() if value is not None)
    assert not path.exists()


def test_a_shard_holding_an_entry_of_another_shard_is_a_miss(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    elsewhere = next(key for key in names if the_shard_of(key, tmp_path) != the_shard_of(names[0], tmp_path))
    name = the_shard_of(names[0], tmp_path)
    kind = KindFolder(tmp_path, KIND, label_of(KIND))
    write_verified(kind.path / name, kind.shard_label(name), functools.partial(dump_entries, {names[0]: "a", elsewhere: "b"}))
    assert (BuildCache(tmp_path).get(KIND, names[0], TEXT), (kind.path / name).exists()) == (None, False)


def test_a_shard_written_under_another_shards_name_is_a_miss(tmp_path: Path) -> None:
    names = keys()
    saved(tmp_path, names)
    first, second = sorted(shard_files(tmp_path))[:2]
    shutil.copyfile(tmp_path / KIND / second, tmp_path / KIND / first)
    kind = KindFolder(tmp_path, KIND, label_of(KIND))
    assert read_verified(tmp_path / KIND / first, kind.shard_label(first)) is None


def test_shards_of_two_counts_that_a_killed_save_left_are_read_then_made_one_count_by_the_next_save(tmp_path: Path) -> None:
    names = keys(10)
    kind = KindFolder(tmp_path, KIND, label_of(KIND))
    for count in (1, 4):
        shards: dict[int, dict[str, str]] = {}
        for key in names:
            shards.setdefault(shard_of(key, count), {})[key] = f"value of {key}"
        for index, shard in shards.items():
            name = shard_name(index, count)
            write_verified(kind.path / name, kind.shard_label(name), functools.partial(dump_entries, shard))
    rebuilt(tmp_path, names, {"key-new": "value of key-new"})
    assert sorted(shard_files(tmp_path)) == [shard_name(0, 1)]
    assert stored(tmp_path) == {key: f"value of {key}" for key in [*names, "key-new"]}


def test_a_file_in_a_kinds_folder_that_is_not_a_shard_is_removed(tmp_path: Path) -> None:
    saved(tmp_path, keys(10))
    stray = tmp_path / KIND / "notes.txt"
    stray.write_text("not a shard", encoding="utf-8")
    assert BuildCache(tmp_path).get(KIND, "key-0", TEXT) == "value of key-0"
    assert not stray.exists()


def test_a_link_in_place_of_a_kinds_folder_is_a_miss_and_what_it_points_to_is_left(tmp_path: Path) -> None:
    saved(tmp_path / "cache", keys(10))
    elsewhere = tmp_path / "elsewhere"
    shutil.move(tmp_path / "cache" / KIND, elsewhere)
    (tmp_path / "cache" / KIND).symlink_to(elsewhere, target_is_directory=True)
    before = shard_files(tmp_path, "elsewhere")
    rebuilt_cache = BuildCache(tmp_path / "cache")
    assert rebuilt_cache.get(KIND, "key-0", TEXT) is None
    rebuilt_cache.put(KIND, "key-0", "value of key-0", TEXT)
    rebuilt_cache.save()
    assert not (tmp_path / "cache" / KIND).is_symlink() and (tmp_path / "cache" / KIND).is_dir()
    assert shard_files(tmp_path, "elsewhere") == before


def test_a_file_in_place_of_a_kinds_folder_is_replaced_by_the_folder(tmp_path: Path) -> None:
    (tmp_path / KIND).write_bytes(b"not a folder")
    saved(tmp_path, keys(10))
    assert stored(tmp_path) == {key: f"value of {key}" for key in keys(10)}


def test_a_kinds_whole_file_as_engines_before_shards_wrote_it_is_removed(tmp_path: Path) -> None:
    legacy = tmp_path / f"{KIND}.pickle"
    legacy.write_bytes(b"a whole kind in one file")
    assert BuildCache(tmp_path).get(KIND, "key", TEXT) is None
    assert not legacy.exists()


def test_the_shard_count_is_kept_while_near_the_ideal_and_changed_far_from_it() -> None:
    ideal = shard_count(100 * ENTRIES_PER_SHARD, None)
    assert (shard_count(100 * ENTRIES_PER_SHARD, ideal * 2), shard_count(100 * ENTRIES_PER_SHARD, ideal // 2)) == (ideal * 2, ideal // 2)
    assert shard_count(100 * ENTRIES_PER_SHARD, ideal * 8) == shard_count(100 * ENTRIES_PER_SHARD, ideal // 8) == ideal


def test_a_small_kind_is_one_shard() -> None:
    assert shard_count(ENTRIES_PER_SHARD, None) == 1


@pytest.mark.parametrize("name", ["jinja", "../markup", ".hidden", "Markup", ""])
def test_a_kind_may_not_be_named_as_no_folder_of_its_own_could_be(name: str) -> None:
    with pytest.raises(ValueError, match="may not be named"):
        Kind(name, TEXT)


def test_shard_files_are_readable_by_their_owner_alone(tmp_path: Path) -> None:
    saved(tmp_path / "cache", keys())
    assert {os.stat(path).st_mode & 0o777 for path in (tmp_path / "cache" / KIND).iterdir()} == {0o600}
    assert os.stat(tmp_path / "cache" / KIND).st_mode & 0o777 == 0o700
