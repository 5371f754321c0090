"""The cache's shard files hold their entries in chunks: every entry comes back, and a file whose
chunks are not what the engine writes is a miss, removed like any damaged file."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sitegen.core.errors import Problem
from sitegen.incremental import shards
from sitegen.incremental.cache import BuildCache, instance_of, label_of, tuple_of
from sitegen.incremental.shards import ENTRIES_PER_CHUNK, KindFolder, shard_name
from sitegen.incremental.verified import write_verified

TEXT = instance_of(str)
PROBLEMS = tuple_of(instance_of(Problem))


def _saved(folder: Path, count: int) -> None:
    cache = BuildCache(folder)
    for number in range(count):
        cache.put("markup", f"key-{number}", f"value {number}", TEXT)
    cache.save()


@pytest.fixture
def one_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind in one shard, however many entries it has: a shard of several chunks."""
    monkeypatch.setattr(shards, "ENTRIES_PER_SHARD", 1 << 20)


def test_every_entry_of_a_shard_larger_than_one_chunk_is_read_back(tmp_path: Path, one_shard: None) -> None:
    count = 3 * ENTRIES_PER_CHUNK + 5
    _saved(tmp_path / "cache", count)
    later = BuildCache(tmp_path / "cache")
    assert [later.get("markup", f"key-{number}", TEXT) for number in range(count)] == [f"value {number}" for number in range(count)]


def test_records_in_chunks_of_different_shapes_are_read_back_as_written(tmp_path: Path, one_shard: None) -> None:
    count = 2 * ENTRIES_PER_CHUNK + 1
    cache = BuildCache(tmp_path / "cache")
    made = {f"key-{number}": _problems(number) for number in range(count)}
    for key, problems in made.items():
        cache.put("links", key, problems, PROBLEMS)
    cache.save()
    later = BuildCache(tmp_path / "cache")
    assert {key: later.get("links", key, PROBLEMS) for key in made} == made


def _problems(number: int) -> tuple[Problem, ...]:
    """None in the first chunk, then as many as `number` makes, sharing their path: each chunk refers to objects anew."""
    path = "/shared/path"
    return tuple(Problem(path, line, f"message {line}") for line in range(number % 3 + 1)) if number >= ENTRIES_PER_CHUNK else ()


def test_an_empty_kind_is_read_back_empty(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    cache.put("markup", "key", "value", TEXT)
    cache.start()
    cache.save()  # the entry was not used by this build: the kind is saved empty
    assert BuildCache(tmp_path / "cache").get("markup", "key", TEXT) is None


def _written(folder: Path, *pickles: object) -> Path:
    """The one shard of a kind of one entry, holding `pickles`."""
    kind = KindFolder(folder, "markup", label_of("markup"))
    name = shard_name(0, 1)
    path = kind.path / name

    def dump(stream: object) -> None:
        for value in pickles:
            pickle.dump(value, stream)  # type: ignore[arg-type]

    write_verified(path, kind.shard_label(name), dump)
    return path


def test_a_file_holding_fewer_chunks_than_it_announces_is_a_miss_and_removed(tmp_path: Path) -> None:
    path = _written(tmp_path, 2, [("key", "value")])
    assert (BuildCache(tmp_path).get("markup", "key", TEXT), path.exists()) == (None, False)


def test_a_file_with_data_after_its_last_chunk_is_a_miss(tmp_path: Path) -> None:
    _written(tmp_path, 1, [("key", "value")], [("other", "value")])
    assert BuildCache(tmp_path).get("markup", "key", TEXT) is None


def test_a_file_whose_chunk_is_not_a_list_of_entries_is_a_miss(tmp_path: Path) -> None:
    _written(tmp_path, 1, {"key": "value"})
    assert BuildCache(tmp_path).get("markup", "key", TEXT) is None


def test_a_file_of_one_whole_pickled_dict_is_a_miss(tmp_path: Path) -> None:
    _written(tmp_path, {"key": "value"})
    assert BuildCache(tmp_path).get("markup", "key", TEXT) is None


def test_a_well_formed_file_written_under_the_kinds_label_is_read(tmp_path: Path) -> None:
    _written(tmp_path, 1, [("key", "value")])
    assert BuildCache(tmp_path).get("markup", "key", TEXT) == "value"
